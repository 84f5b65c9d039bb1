//! The rules of `#[unique]`: on a stored non-key field, once, not with `#[version]` or `#[ttl]`,
//! and on a type whose indexes its guard items stay out of. The field's type and the table's
//! key types are checked by the compiler (`UniqueValue`, `GuardKey`).

use crate::ast::{Input, option_inner};
use crate::attr::{IndexKindAttr, KeyFields};
use crate::ctxt::Ctxt;
use crate::valid::is_byte_vec;

/// The attribute of a guard item that names its owner (`notes_model::unique::OWNER_ATTRIBUTE`).
pub(super) const OWNER_ATTRIBUTE: &str = "_unique_owner";

pub(super) fn check(input: &Input<'_>, cx: &Ctxt) {
    let ttl = input.ttl();
    for field in input.unique() {
        let attrs = &field.attrs;
        let first = attrs.unique[0];
        for repeated in &attrs.unique[1..] {
            cx.error_spanned_by(
                repeated,
                format_args!("duplicate #[unique] on `{}`", field.ident),
            );
        }
        if attrs.is_key() {
            cx.error_spanned_by(
                first,
                format_args!(
                    "`{}` is a key of the table, unique already: #[unique] is for attributes \
                     that are not keys",
                    field.ident
                ),
            );
            continue;
        }
        if !attrs.is_stored() {
            cx.error_spanned_by(
                first,
                "the #[unique] attribute must be stored: remove the serde skip/flatten",
            );
        }
        for (other, what) in [(&attrs.version, "version"), (&attrs.ttl, "ttl")] {
            if !other.is_empty() {
                cx.error_spanned_by(
                    first,
                    format_args!("#[unique] cannot be combined with #[{what}] on one field"),
                );
            }
        }
        let ty = option_inner(field.ty).unwrap_or(field.ty);
        if is_byte_vec(ty) && !attrs.serde.custom_serializer {
            cx.error_spanned_by(
                field.ty,
                format_args!(
                    "a #[unique] `Vec<u8>` is binary (B), but serde writes `Vec<u8>` as a list \
                     of numbers: add #[serde(with = \"serde_bytes\")] to `{}`",
                    field.ident
                ),
            );
        }
    }
    let unique = input
        .unique()
        .find(|f| !f.attrs.is_key() && f.attrs.ttl.is_empty());
    if let (Some(ttl), Some(unique)) = (ttl, unique) {
        cx.error_spanned_by(
            ttl.attrs.ttl[0],
            format_args!(
                "#[ttl] cannot be combined with #[unique] (`{}`): DynamoDB's time to live \
                 deletes expired items without a transaction, which would leave their guard \
                 items behind and their values taken",
                unique.ident
            ),
        );
    }
    if input.unique().next().is_some() && !input.is_templated() {
        check_plain(input, cx);
    }
}

/// An item type that is not an entity reads around its guards by their owner attribute, and
/// must not declare an index its guards would be in.
fn check_plain(input: &Input<'_>, cx: &Ctxt) {
    if let Some(field) = input
        .fields
        .iter()
        .find(|f| f.attrs.is_stored() && f.name == OWNER_ATTRIBUTE)
    {
        cx.error_spanned_by(
            field.ident,
            format_args!(
                "`{OWNER_ATTRIBUTE}` is the attribute by which the guard items of #[unique] \
                 attributes name their owner: store this field under another name"
            ),
        );
    }
    // Every field of the index key (one, or a multi-attribute list) is a key of the table.
    let is_table_key = |key: &KeyFields| {
        key.fields.iter().all(|name| {
            input
                .field_named(name)
                .is_some_and(|field| field.attrs.is_key())
        })
    };
    for index in &input.attrs.indexes {
        let partition_is_table_key = match index.kind {
            IndexKindAttr::Global => index.partition_key.as_ref().is_some_and(is_table_key),
            IndexKindAttr::Local => true,
        };
        let sort_is_table_key = index.sort_key.as_ref().is_none_or(is_table_key);
        if partition_is_table_key && sort_is_table_key && !index.is_templated() {
            let name = index
                .name
                .as_ref()
                .map(syn::LitStr::value)
                .unwrap_or_default();
            cx.error_spanned_by(
                &index.path,
                format_args!(
                    "the guard items of #[unique] attributes would be in index `{name}`: its \
                     keys are all keys of the table, which every guard has; give the index a \
                     key attribute of its own (a guard holds only the table's keys and \
                     `{OWNER_ATTRIBUTE}`)"
                ),
            );
        }
    }
}
