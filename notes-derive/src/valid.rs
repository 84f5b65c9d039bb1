//! The rules an `Item` struct must follow, checked on the parsed input; every error points at
//! the tokens at fault, and all of them are reported together.

use crate::ast::{Field, Input, option_inner};
use crate::attr::{IndexKindAttr, SerdeOptionKind};
use crate::ctxt::Ctxt;

/// Records in `cx` every rule `input` breaks.
pub(crate) fn check(cx: &Ctxt, input: &Input<'_>) {
    if !input.is_struct {
        return; // reported while parsing; no struct rule applies
    }
    check_generics(input, cx);
    check_table(input, cx);
    check_keys(input, cx);
    check_version_and_ttl(input, cx);
    check_indexes(input, cx);
    check_written_fields_read_back(input, cx);
}

/// A field serde leaves out of the items it writes must be one serde reads without: otherwise
/// `put` would store an item its own type cannot read.
fn check_written_fields_read_back(input: &Input<'_>, cx: &Ctxt) {
    for field in &input.fields {
        let serde = &field.attrs.serde;
        if field.attrs.is_key() || serde.skip_deserializing || input.may_be_absent(field) {
            continue; // keys take no skip options (reported); `skip_deserializing` never reads
        }
        for option in &serde.options {
            let which = match option.kind {
                SerdeOptionKind::SkipSerializing => "every item",
                SerdeOptionKind::SkipSerializingIf => "some items",
                _ => continue,
            };
            cx.syn_error(syn::Error::new(
                option.span,
                format_args!(
                    "#[serde({})] leaves `{}` out of {which}, but serde cannot read an item \
                     without it: add #[serde(default)] (or make the field an `Option`)",
                    option.kind.name(),
                    field.name
                ),
            ));
        }
    }
}

fn check_generics(input: &Input<'_>, cx: &Ctxt) {
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            input.generics,
            "#[derive(Item)] does not support generic parameters: an item type has one fixed \
             key schema",
        );
    }
}

fn check_table(input: &Input<'_>, cx: &Ctxt) {
    if let Some(table) = &input.attrs.table {
        check_name(table, "table", cx);
    }
}

/// DynamoDB's rule for table and index names.
fn check_name(name: &syn::LitStr, what: &str, cx: &Ctxt) {
    let value = name.value();
    let valid_chars = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !(3..=255).contains(&value.len()) || !valid_chars {
        cx.error_spanned_by(
            name,
            format_args!(
                "invalid {what} name {value:?}: DynamoDB {what} names are 3 to 255 characters \
                 of a-z, A-Z, 0-9, '_', '-' and '.'"
            ),
        );
    }
}

fn check_version_and_ttl(input: &Input<'_>, cx: &Ctxt) {
    check_unique(input, cx, "version", |f| &f.attrs.version[..]);
    check_unique(input, cx, "ttl", |f| &f.attrs.ttl[..]);
    for field in &input.fields {
        let is_key = field.attrs.is_key();
        for (attrs, what) in [(&field.attrs.version, "version"), (&field.attrs.ttl, "ttl")] {
            let Some(attr) = attrs.first() else { continue };
            if is_key {
                cx.error_spanned_by(
                    attr,
                    format_args!("a key attribute cannot also be the #[{what}]"),
                );
            } else if !field.attrs.is_stored() {
                cx.error_spanned_by(
                    attr,
                    format_args!(
                        "the #[{what}] attribute must be stored: remove the serde skip/flatten"
                    ),
                );
            }
        }
    }
}

fn check_indexes(input: &Input<'_>, cx: &Ctxt) {
    let mut names = std::collections::HashSet::new();
    let (mut globals, mut locals) = (0, 0);
    for index in &input.attrs.indexes {
        let Some(name) = &index.name else {
            cx.error_spanned_by(&index.path, "an index needs `name = \"...\"`");
            continue;
        };
        check_name(name, "index", cx);
        if !names.insert(name.value()) {
            cx.error_spanned_by(
                name,
                format_args!("duplicate index name {:?}", name.value()),
            );
        }
        match index.kind {
            IndexKindAttr::Global => {
                globals += 1;
                if index.partition_key.is_none() {
                    cx.error_spanned_by(
                        &index.path,
                        "a global index needs `partition_key = \"field\"`",
                    );
                }
            }
            IndexKindAttr::Local => {
                locals += 1;
                if index.sort_key.is_none() {
                    cx.error_spanned_by(&index.path, "a local index needs `sort_key = \"field\"`");
                }
            }
        }
        for field_name in index.partition_key.iter().chain(&index.sort_key) {
            let Some(field) = input.field_named(field_name) else {
                cx.error_spanned_by(
                    field_name,
                    format_args!("no field `{}` in `{}`", field_name.value(), input.ident),
                );
                continue;
            };
            if !field.attrs.is_stored() {
                cx.error_spanned_by(
                    field_name,
                    format_args!(
                        "`{}` is not stored (serde skips it), so it cannot be an index key",
                        field.ident
                    ),
                );
            }
            let ty = match option_inner(field.ty) {
                Some(inner) => {
                    let skips_none = field.attrs.serde.has(SerdeOptionKind::SkipSerializingIf);
                    if !skips_none {
                        cx.error_spanned_by(
                            field.ty,
                            format_args!(
                                "`{}` is an optional index key: add \
                                 #[serde(skip_serializing_if = \"Option::is_none\")] so that \
                                 `None` leaves the item out of the index instead of writing NULL",
                                field.ident
                            ),
                        );
                    }
                    inner
                }
                None => field.ty,
            };
            if let Some(why) = never_a_key(ty) {
                cx.error_spanned_by(
                    field.ty,
                    format_args!("`{}` cannot be an index key: {why}", field.ident),
                );
            }
        }
    }
    if globals > 20 {
        cx.error_spanned_by(
            input.ident,
            "a table has at most 20 global secondary indexes",
        );
    }
    if locals > 5 {
        cx.error_spanned_by(input.ident, "a table has at most 5 local secondary indexes");
    }
}

fn check_keys(input: &Input<'_>, cx: &Ctxt) {
    check_unique(input, cx, "partition_key", |f| &f.attrs.partition_key[..]);
    check_unique(input, cx, "sort_key", |f| &f.attrs.sort_key[..]);

    if input.partition_key().is_none() {
        cx.error_spanned_by(
            input.ident,
            "#[derive(Item)] needs one field marked #[partition_key]: the table's partition key",
        );
    }
    for field in &input.fields {
        let is_pk = !field.attrs.partition_key.is_empty();
        let is_sk = !field.attrs.sort_key.is_empty();
        if is_pk && is_sk {
            cx.error_spanned_by(
                field.attrs.sort_key[0],
                format_args!(
                    "`{}` cannot be both the partition key and the sort key",
                    field.ident
                ),
            );
        }
        if (is_pk || is_sk)
            && let Some(why) = never_a_key(field.ty)
        {
            cx.error_spanned_by(
                field.ty,
                format_args!(
                    "`{}` cannot be a DynamoDB key attribute: {why}; keys are String (S), \
                         an integer or float type (N), or Vec<u8> (B)",
                    quote::ToTokens::to_token_stream(field.ty)
                        .to_string()
                        .replace(' ', "")
                        .replace(',', ", ")
                ),
            );
            continue;
        }
        if (is_pk || is_sk) && is_byte_vec(field.ty) && !field.attrs.serde.custom_serializer {
            cx.error_spanned_by(
                field.ty,
                format_args!(
                    "a `Vec<u8>` key is binary (B), but serde writes `Vec<u8>` as a list of \
                     numbers: add #[serde(with = \"serde_bytes\")] to `{}`",
                    field.ident
                ),
            );
        }
        if is_pk || is_sk {
            for option in &field.attrs.serde.options {
                cx.syn_error(syn::Error::new(
                    option.span,
                    format_args!(
                        "#[serde({})] cannot be used on a key field: every item must store its \
                         key attribute `{}` as a plain value",
                        option.kind.name(),
                        field.name
                    ),
                ));
            }
        }
    }
}

/// At most one field may carry the key attribute `which`, once.
fn check_unique(
    input: &Input<'_>,
    cx: &Ctxt,
    which: &str,
    attrs_of: for<'f> fn(&'f Field<'_>) -> &'f [&'f syn::Attribute],
) {
    let mut first: Option<&Field<'_>> = None;
    for field in &input.fields {
        for attr in attrs_of(field) {
            match first {
                None => first = Some(field),
                Some(first) => cx.error_spanned_by(
                    attr,
                    format_args!(
                        "duplicate #[{which}]: `{}` is already the {} key; a table has exactly one",
                        first.ident,
                        which.trim_end_matches("_key"),
                    ),
                ),
            }
        }
    }
}

/// Whether `ty` is spelt `Vec<u8>` (serde writes it as a list unless told otherwise).
pub(crate) fn is_byte_vec(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return false;
    };
    last.ident == "Vec"
        && matches!(args.args.first(), Some(syn::GenericArgument::Type(syn::Type::Path(inner)))
            if inner.path.is_ident("u8"))
}

/// Why a type that is spelt like `Option<..>`, `bool`, a collection, a tuple or a reference can
/// never be a key; other types are left to the `KeyValue` bound, which the compiler checks.
fn never_a_key(ty: &syn::Type) -> Option<&'static str> {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            Some(match last.ident.to_string().as_str() {
                "Option" => "a key attribute is always present, so it cannot be optional",
                "bool" => "DynamoDB keys cannot be booleans",
                "char" => "use String for a one-character key",
                "Vec" if !is_byte_vec(ty) => "lists cannot be keys (only Vec<u8>, as binary)",
                "HashMap" | "BTreeMap" => "maps cannot be keys",
                "HashSet" | "BTreeSet" => "sets cannot be keys",
                _ => return None,
            })
        }
        syn::Type::Tuple(_) => Some("tuples cannot be keys"),
        syn::Type::Array(_) | syn::Type::Slice(_) => Some("lists cannot be keys"),
        syn::Type::Reference(_) => Some("an item owns its key; use an owned type"),
        _ => None,
    }
}
