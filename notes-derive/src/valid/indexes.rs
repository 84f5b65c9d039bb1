//! The rules of `global_index(..)` and `local_index(..)`: names, the fields their keys name
//! (one each, or up to four per side of a global index: a multi-attribute key), and DynamoDB's
//! limits on the number of indexes.

use std::collections::HashSet;

use crate::ast::{Input, option_inner};
use crate::attr::{IndexAttr, IndexKindAttr, KeyFields, SerdeOptionKind};
use crate::ctxt::Ctxt;

use super::{check_name, never_a_key};

/// DynamoDB's limit on the attributes of each side of a global index key.
const MAX_KEY_ATTRIBUTES: usize = 4;

pub(super) fn check(input: &Input<'_>, cx: &Ctxt) {
    let mut names = HashSet::new();
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
                if index.partition_key.is_none() && index.partition_template.is_none() {
                    cx.error_spanned_by(
                        &index.path,
                        "a global index needs `partition_key = \"field\"` (or, on an entity, \
                         `partition_key(name = \"gsi1pk\", template = \"TAG#{tag}\")`)",
                    );
                }
            }
            IndexKindAttr::Local => {
                locals += 1;
                if index.sort_key.is_none() && index.sort_template.is_none() {
                    cx.error_spanned_by(&index.path, "a local index needs `sort_key = \"field\"`");
                }
            }
        }
        if index.is_templated() {
            check_templated(input, index, cx);
        }
        check_key_lists(index, &name.value(), cx);
        check_key_fields(input, index, cx);
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

/// An index with a key template is an entity's, and computes both its keys.
fn check_templated(input: &Input<'_>, index: &IndexAttr, cx: &Ctxt) {
    if !input.is_templated() {
        cx.error_spanned_by(
            &index.path,
            "index key templates are for entities of a shared table: add \
             `entity = \"..\"` and `partition_key(name = \"pk\", template = \"..\")` to \
             #[item], or name plain fields: `partition_key = \"field\"`",
        );
    }
    let Some(key) = index.partition_key.as_ref().or(index.sort_key.as_ref()) else {
        return;
    };
    let message = if key.list.is_some() {
        "a list of key fields cannot be mixed with a key template: this index's other key is \
         computed from a template; name fields on both sides (`partition_key = [..], sort_key = \
         [..]`) or compute both (`partition_key(name = \"..\", template = \"...{field}...\")`)"
    } else {
        "this index's other key is computed from a template: compute this one too, \
         `partition_key(name = \"..\", template = \"...{field}...\")` / \
         `sort_key(name = \"..\", template = \"...{field}...\")`"
    };
    cx.syn_error(syn::Error::new(key.span(), message));
}

/// A list of key fields (`["year", "month"]`) is a global index's multi-attribute key: one to
/// four fields, each once in the index's key.
fn check_key_lists(index: &IndexAttr, name: &str, cx: &Ctxt) {
    let sides = [
        (index.partition_key.as_ref(), "partition"),
        (index.sort_key.as_ref(), "sort"),
    ];
    for (key, side) in sides {
        let Some(key @ KeyFields { list: Some(_), .. }) = key else {
            continue;
        };
        if index.kind == IndexKindAttr::Local {
            cx.syn_error(syn::Error::new(
                key.span(),
                "a local index has one sort attribute, named as a string: `sort_key = \
                 \"field\"` (DynamoDB's multi-attribute keys are for global indexes)",
            ));
        } else if key.fields.is_empty() {
            cx.syn_error(syn::Error::new(
                key.span(),
                format_args!(
                    "the {side} key of index `{name}` names no field: list one to four, like \
                     `{side}_key = [\"tenant\", \"region\"]`"
                ),
            ));
        } else if key.fields.len() > MAX_KEY_ATTRIBUTES {
            cx.syn_error(syn::Error::new(
                key.span(),
                format_args!(
                    "the {side} key of index `{name}` lists {} fields: a global index key has \
                     at most {MAX_KEY_ATTRIBUTES} {side}-key attributes",
                    key.fields.len()
                ),
            ));
        }
    }
    let mut seen: Vec<String> = Vec::new();
    for field in index.key_fields() {
        let value = field.value();
        if seen.contains(&value) {
            cx.error_spanned_by(
                field,
                format_args!(
                    "`{value}` appears twice in the key of index `{name}`: each key attribute \
                     appears once"
                ),
            );
        }
        seen.push(value);
    }
}

/// Each field an index key names exists, is stored, and has a key type (an `Option` of one
/// for a sparse index, skipped when `None`).
fn check_key_fields(input: &Input<'_>, index: &IndexAttr, cx: &Ctxt) {
    for field_name in index.key_fields() {
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
