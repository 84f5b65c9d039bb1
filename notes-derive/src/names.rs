//! The names of what the derive generates, made from the names the user wrote: `NoteKey`,
//! `NotePartition`, `NoteGsi1Sort`, `NoteSortPrefix`, the handles `Note::CREATED_AT` and
//! `Note::BY_CREATED_AT`.

use quote::format_ident;
use syn::Ident;

/// The typed key of `item`: `NoteKey`.
pub(crate) fn key_struct(item: &Ident) -> Ident {
    format_ident!("{}Key", item)
}

/// The value types of `item`'s computed partition and sort keys: `NotePartition`, `NoteSort`.
pub(crate) fn value_types(item: &Ident) -> (Ident, Ident) {
    (
        format_ident!("{}Partition", item),
        format_ident!("{}Sort", item),
    )
}

/// The value types of the keys of `item`'s templated index `index`: `NoteGsi1Partition`,
/// `NoteGsi1Sort`.
pub(crate) fn index_value_types(item: &Ident, index: &str) -> (Ident, Ident) {
    value_types(&format_ident!("{}{}", item, pascal(index)))
}

/// The prefix of the names of what index `index` of `item` generates: `SaleByRegion`.
pub(crate) fn index_prefix(item: &Ident, index: &str) -> String {
    format!("{item}{}", pascal(index))
}

/// The `begins_with` prefix builder of sort key value type `sort`: `NoteSortPrefix`.
pub(crate) fn prefix_builder(sort: &Ident) -> Ident {
    format_ident!("{}Prefix", sort)
}

/// The attribute handle of a field: `CREATED_AT` for `created_at`, `TYPE` for `r#type`.
pub(crate) fn attribute_handle(rust_name: &str) -> String {
    rust_name.to_ascii_uppercase()
}

/// `Gsi1` for `gsi1`, `ByTag` for `byTag` / `by-tag`.
pub(crate) fn pascal(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for ch in name.chars() {
        if !ch.is_ascii_alphanumeric() {
            upper = true;
        } else if upper {
            out.push(ch.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// The handle of an index: `byCreatedAt`, `by-created-at` -> `BY_CREATED_AT`.
pub(crate) fn index_handle(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for ch in name.chars() {
        if matches!(ch, '-' | '.' | '_') {
            out.push('_');
            previous_lower = false;
        } else {
            if ch.is_ascii_uppercase() && previous_lower {
                out.push('_');
            }
            previous_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
            out.push(ch.to_ascii_uppercase());
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "INDEX_");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_handles_are_screaming_snake_case() {
        assert_eq!(index_handle("byCreatedAt"), "BY_CREATED_AT");
        assert_eq!(index_handle("by-created-at"), "BY_CREATED_AT");
        assert_eq!(index_handle("gsi1"), "GSI1");
        assert_eq!(index_handle("1st"), "INDEX_1ST");
    }

    #[test]
    fn index_value_types_are_pascal_case() {
        let item = format_ident!("Note");
        let (partition, sort) = index_value_types(&item, "by-tag");
        assert_eq!(partition, "NoteByTagPartition");
        assert_eq!(sort, "NoteByTagSort");
        assert_eq!(index_value_types(&item, "gsi1").0, "NoteGsi1Partition");
    }
}
