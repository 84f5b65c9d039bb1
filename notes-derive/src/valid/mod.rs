//! The rules an `Item` struct must follow, checked on the parsed input; every error points at
//! the tokens at fault, and all of them are reported together.

mod encryption;
mod indexes;
mod unique;

use crate::ast::{Field, Input, option_inner};
use crate::attr::{IndexKindAttr, SerdeOptionKind};
use crate::ctxt::Ctxt;
use crate::template::Template;

/// Records in `cx` every rule `input` breaks.
pub(crate) fn check(cx: &Ctxt, input: &Input<'_>) {
    if !input.is_struct {
        return; // reported while parsing; no struct rule applies
    }
    check_generics(input, cx);
    check_table(input, cx);
    if input.is_templated() {
        check_templates(input, cx);
    } else {
        check_keys(input, cx);
    }
    check_version_and_ttl(input, cx);
    unique::check(input, cx);
    indexes::check(input, cx);
    encryption::check(input, cx);
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

/// The rules of an item with computed keys: `entity`, `partition_key(template = ..)` and an
/// optional `sort_key(template = ..)`, each template naming stored, always-present fields of a
/// type that renders in order.
fn check_templates(input: &Input<'_>, cx: &Ctxt) {
    let attrs = &input.attrs;
    for field in &input.fields {
        for attr in field
            .attrs
            .partition_key
            .iter()
            .chain(&field.attrs.sort_key)
        {
            cx.error_spanned_by(
                attr,
                "this item's keys are computed from templates (`#[item(partition_key(template = ..))]`): \
                 remove the field marker; the template's fields stay plain fields",
            );
        }
    }
    let Some(partition) = &attrs.partition_template else {
        cx.error_spanned_by(
            input.ident,
            "an entity needs its partition key template: add \
             `#[item(partition_key(name = \"pk\", template = \"USER#{user_id}\"))]`",
        );
        return;
    };
    if attrs.entity.is_none() {
        cx.error_spanned_by(
            input.ident,
            "an item with key templates needs `#[item(entity = \"...\")]`: the entity name stored \
             in every item, which tells its type apart from the table's other types",
        );
    }
    if let Some(entity) = &attrs.entity
        && entity.value().is_empty()
    {
        cx.error_spanned_by(entity, "the entity name cannot be empty");
    }
    for index in &attrs.indexes {
        if index.kind == IndexKindAttr::Local {
            cx.error_spanned_by(
                &index.path,
                "a local index of an item with key templates is not supported yet: use a \
                 `global_index`",
            );
        }
    }
    let mut names: Vec<(String, &dyn quote::ToTokens)> = Vec::new();
    let entity_attribute = attrs
        .entity_attribute
        .as_ref()
        .map_or_else(|| "_et".to_owned(), syn::LitStr::value);
    for (key, template, default) in [
        (Some(partition), &input.partition_template, "pk"),
        (attrs.sort_template.as_ref(), &input.sort_template, "sk"),
    ] {
        let Some(key) = key else { continue };
        let name = key.attribute(default);
        let span: &dyn quote::ToTokens = match &key.name {
            Some(lit) => lit,
            None => &key.path,
        };
        if name.is_empty() {
            cx.error_spanned_by(span, "a key attribute name cannot be empty");
        }
        names.push((name, span));
        match (&key.template, template) {
            (None, _) => cx.error_spanned_by(
                &key.path,
                format_args!(
                    "`{}(..)` needs `template = \"...\"`, like `template = \"USER#{{user_id}}\"`",
                    quote::ToTokens::to_token_stream(&key.path)
                ),
            ),
            (Some(_), Some(template)) => check_template(input, template, cx),
            (Some(_), None) => {} // malformed: reported while parsing
        }
    }
    for (index, (partition, sort)) in attrs.indexes.iter().zip(&input.index_templates) {
        let index_name = index
            .name
            .as_ref()
            .map(syn::LitStr::value)
            .unwrap_or_default();
        for (key, template, suffix) in [
            (index.partition_template.as_ref(), partition, "pk"),
            (index.sort_template.as_ref(), sort, "sk"),
        ] {
            let Some(key) = key else { continue };
            let name = key.attribute(&format!("{index_name}{suffix}"));
            let span: &dyn quote::ToTokens = match &key.name {
                Some(lit) => lit,
                None => &key.path,
            };
            if name.is_empty() {
                cx.error_spanned_by(span, "a key attribute name cannot be empty");
            }
            // Two entities write one index attribute, so its name repeats across entities but
            // not within one.
            names.push((name, span));
            match (&key.template, template) {
                (None, _) => cx.error_spanned_by(
                    &key.path,
                    format_args!(
                        "`{}(..)` of index `{index_name}` needs `template = \"...\"`, like \
                         `template = \"TAG#{{tag}}\"`",
                        quote::ToTokens::to_token_stream(&key.path)
                    ),
                ),
                (Some(_), Some(template)) => check_template_of(input, template, true, cx),
                (Some(_), None) => {}
            }
        }
    }
    let entity_span: &dyn quote::ToTokens = match &attrs.entity_attribute {
        Some(lit) => lit,
        None => input.ident,
    };
    names.push((entity_attribute, entity_span));
    for (i, (name, span)) in names.iter().enumerate() {
        if names[..i].iter().any(|(other, _)| other == name) {
            cx.error_spanned_by(
                span,
                format_args!("`{name}` names two computed attributes: give each its own name"),
            );
        }
        if let Some(field) = input
            .fields
            .iter()
            .find(|f| f.attrs.is_stored() && &f.name == name)
        {
            cx.error_spanned_by(
                span,
                format_args!(
                    "the computed attribute `{name}` would overwrite the field `{}`, stored as \
                     `{name}`: rename one of them",
                    field.ident
                ),
            );
        }
    }
}

fn check_template(input: &Input<'_>, template: &Template, cx: &Ctxt) {
    check_template_of(input, template, false, cx);
}

/// A table key template (`sparse` false) or an index key template (`sparse`: an `Option`
/// component that is `None` leaves the item out of the index).
fn check_template_of(input: &Input<'_>, template: &Template, sparse: bool, cx: &Ctxt) {
    let lit = &template.lit;
    let mut seen = Vec::new();
    for name in template.fields() {
        if seen.contains(&name) {
            cx.error_spanned_by(
                lit,
                format_args!(
                    "`{{{name}}}` appears twice in key template {:?}",
                    lit.value()
                ),
            );
        }
        seen.push(name);
        let Some(field) = input.fields.iter().find(|f| f.rust_name == name) else {
            let fields: Vec<&str> = input.fields.iter().map(|f| f.rust_name.as_str()).collect();
            cx.error_spanned_by(
                lit,
                format_args!(
                    "no field `{name}` in `{}` for the key template {:?}; the fields are: {}",
                    input.ident,
                    lit.value(),
                    fields.join(", ")
                ),
            );
            continue;
        };
        if option_inner(field.ty).is_some() && !sparse {
            cx.error_spanned_by(
                lit,
                format_args!(
                    "`{name}` is an `Option`, but a key is always present: make `{name}` a \
                     plain (non-`Option`) field, or leave it out of the key template"
                ),
            );
            continue;
        }
        if field.attrs.serde.skip_serializing
            || field.attrs.serde.skip_deserializing
            || field.attrs.serde.flatten
        {
            cx.error_spanned_by(
                lit,
                format_args!(
                    "`{name}` is skipped or flattened by serde, so it is not an attribute of the \
                     item: a key template component must be stored as itself; remove the serde option"
                ),
            );
            continue;
        }
        if let Some(why) = never_a_component(option_inner(field.ty).unwrap_or(field.ty)) {
            cx.error_spanned_by(
                field.ty,
                format_args!(
                    "`{name}` cannot be a key template component: {why}; components are \
                     String, u8..u128 and i8..i64 (rendered zero-padded), or uuid::Uuid"
                ),
            );
        }
    }
}

/// Why a type spelt like a float, `bool`, a platform-sized integer or a collection never
/// renders in order; other types are left to the `KeyComponent` bound.
fn never_a_component(ty: &syn::Type) -> Option<&'static str> {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            Some(match last.ident.to_string().as_str() {
                "f32" | "f64" => {
                    "a float has no fixed-width text that sorts in numeric order; store a scaled \
                     integer (cents, milliseconds), or format it into a String field yourself"
                }
                "usize" | "isize" => {
                    "its width depends on the platform, so would its zero-padded rendering; use \
                     u64 or i64"
                }
                "bool" => "use a String (or u8) field for a flag in a key",
                "char" => "use a String field",
                "Vec" | "HashMap" | "BTreeMap" | "HashSet" | "BTreeSet" => {
                    "collections have no single rendering in a key"
                }
                _ => return None,
            })
        }
        syn::Type::Tuple(_) | syn::Type::Array(_) | syn::Type::Slice(_) => {
            Some("collections have no single rendering in a key")
        }
        syn::Type::Reference(_) => Some("an item owns its key; use an owned type"),
        _ => None,
    }
}
