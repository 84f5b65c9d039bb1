//! The rules of the encryption attributes (`#[encrypt]`, `#[sign_only]`,
//! `#[encryption_context]`, `#[unsigned]`) and of `#[item(unsigned_prefix = "..")]`: what
//! DynamoDB or the derive reads in plaintext is never encrypted, what the item's integrity
//! rests on is always signed, an attribute bound into the encryption context is in every item,
//! and the names the prefix leaves unsigned are only those of `#[unsigned]` fields.

use crate::ast::{Field, Input, option_inner};
use crate::attr::{EncryptionAttr, EncryptionKind};
use crate::ctxt::Ctxt;
use crate::valid::unique::OWNER_ATTRIBUTE;

pub(super) fn check(input: &Input<'_>, cx: &Ctxt) {
    for field in &input.fields {
        if let Some(encryption) = field.attrs.encryption {
            check_field(input, field, encryption, cx);
        }
    }
    if let Some(prefix) = &input.attrs.unsigned_prefix {
        check_prefix(input, prefix, cx);
    }
    let declares = input.attrs.unsigned_prefix.is_some()
        || input
            .fields
            .iter()
            .any(|field| field.attrs.encryption.is_some());
    if declares {
        check_declared_type(input, cx);
    }
}

/// What the Database Encryption SDK refuses of a type that declares encryption attributes,
/// found here rather than when the table is registered or first written: the names it
/// reserves, attributes it could not give an action, guard items that lack a context
/// attribute.
fn check_declared_type(input: &Input<'_>, cx: &Ctxt) {
    let unique = input
        .fields
        .iter()
        .find(|field| !field.attrs.unique.is_empty());
    for field in &input.fields {
        let attrs = &field.attrs;
        let ident = field.ident;
        if attrs.is_stored() && field.name.starts_with(RESERVED) {
            cx.error_spanned_by(
                ident,
                format_args!(
                    "`{}` starts with `{RESERVED}`, which the Database Encryption SDK reserves \
                    for its own attributes (aws_dbe_head, aws_dbe_foot): store `{ident}` \
                    under another name (#[serde(rename = \"..\")])",
                    field.name
                ),
            );
        }
        if attrs.serde.flatten
            && attrs.encryption.is_none()
            && input.attrs.unsigned_prefix.is_none()
        {
            cx.error_spanned_by(
                ident,
                format_args!(
                    "`{ident}` is flattened (#[serde(flatten)]) into a type with encryption \
                    attributes: its attributes have no encryption action, and the Database \
                    Encryption SDK refuses to write an item with such an attribute; make it a \
                    field of its own, or name its attributes with \
                    #[item(unsigned_prefix = \"..\")] to leave them unsigned"
                ),
            );
        }
        if let (Some(unique), Some(encryption)) = (unique, attrs.encryption)
            && encryption.kind == EncryptionKind::EncryptionContext
            && !attrs.is_key()
        {
            cx.error_spanned_by(
                encryption.attr,
                format_args!(
                    "`{ident}` cannot be in the encryption context of a type with #[unique] \
                     attributes (`{}`): their guard items hold only the keys and \
                     `_unique_owner`, and the Database Encryption SDK refuses an item \
                     that lacks an #[encryption_context] attribute; use #[sign_only]",
                    unique.ident
                ),
            );
        }
    }
}

/// The prefix of the Database Encryption SDK's own attributes.
const RESERVED: &str = "aws_dbe_";

/// A part a field plays that rules out an encryption action.
struct Role {
    /// What the field is (`a key of index `byEmail``).
    what: String,
    /// Why it cannot be encrypted.
    plaintext: &'static str,
    /// Why it cannot be unsigned, if it cannot.
    signed: Option<&'static str>,
}

/// The parts `field` plays besides a key of the table: index key, key template component,
/// `#[version]`, `#[ttl]`, `#[unique]`.
fn roles(input: &Input<'_>, field: &Field<'_>) -> Vec<Role> {
    let mut roles = Vec::new();
    for index in &input.attrs.indexes {
        if index
            .key_fields()
            .any(|name| name.value() == field.rust_name)
        {
            let name = index
                .name
                .as_ref()
                .map(syn::LitStr::value)
                .unwrap_or_default();
            roles.push(Role {
                what: format!("a key of index `{name}`"),
                plaintext: "DynamoDB indexes the stored value, which would be ciphertext",
                signed: Some("a query through the index finds the item by it"),
            });
        }
    }
    let templates = [&input.partition_template, &input.sort_template]
        .into_iter()
        .chain(input.index_templates.iter().flat_map(|(pk, sk)| [pk, sk]))
        .flatten();
    for template in templates {
        if template.fields().any(|name| name == field.rust_name) {
            roles.push(Role {
                what: format!("a component of the key template {:?}", template.lit.value()),
                plaintext: "the key computed from it holds its value in plaintext",
                signed: Some("the key computed from it is signed, and must agree with it"),
            });
        }
    }
    let markers = [
        (
            &field.attrs.version,
            "the #[version]",
            "optimistic locking compares it in a condition",
            Some("a stale item with a changed version would pass as the current one"),
        ),
        (
            &field.attrs.ttl,
            "the #[ttl]",
            "DynamoDB reads it as a plaintext number to expire the item",
            None,
        ),
        (
            &field.attrs.unique,
            "#[unique]",
            "its guard item's key holds the value in plaintext",
            Some("its guard item holds the value, which would change without the guard"),
        ),
    ];
    for (attrs, what, plaintext, signed) in markers {
        if !attrs.is_empty() {
            roles.push(Role {
                what: what.to_owned(),
                plaintext,
                signed,
            });
        }
    }
    roles
}

/// "it is X (why) and Y (why)".
fn describe(roles: &[&Role], why: impl Fn(&Role) -> &'static str) -> String {
    roles
        .iter()
        .map(|role| format!("{} ({})", role.what, why(role)))
        .collect::<Vec<_>>()
        .join(" and ")
}

fn check_field(input: &Input<'_>, field: &Field<'_>, encryption: EncryptionAttr<'_>, cx: &Ctxt) {
    let EncryptionAttr { kind, attr } = encryption;
    let ident = field.ident;
    let serde = &field.attrs.serde;
    if serde.skip_serializing {
        cx.error_spanned_by(
            attr,
            format_args!(
                "`{ident}` is never stored (#[serde(skip)]), so there is nothing to encrypt or \
                 sign: remove #[{}]",
                kind.name()
            ),
        );
        return;
    }
    if serde.flatten {
        cx.error_spanned_by(
            attr,
            format_args!(
                "`{ident}` is flattened (#[serde(flatten)]): its own fields are the item's \
                 attributes, which the derive cannot list: remove #[{}] (name them with \
                 #[item(unsigned_prefix = \"..\")] to leave them unsigned)",
                kind.name()
            ),
        );
        return;
    }
    let is_key = field.attrs.is_key() && !input.is_templated();
    match kind {
        EncryptionKind::Encrypt | EncryptionKind::Unsigned if is_key => {
            let which = if field.attrs.partition_key.is_empty() {
                "sort"
            } else {
                "partition"
            };
            cx.error_spanned_by(
                attr,
                format_args!(
                    "`{ident}` is the table's {which} key: keys are always signed, never \
                     encrypted (DynamoDB finds the item by its plaintext key, and the signature \
                     binds it): remove #[{}]",
                    kind.name()
                ),
            );
        }
        EncryptionKind::Encrypt => {
            let roles = roles(input, field);
            let roles: Vec<&Role> = roles.iter().collect();
            if !roles.is_empty() {
                cx.error_spanned_by(
                    attr,
                    format_args!(
                        "`{ident}` cannot be encrypted: it is {}; it must be stored in \
                         plaintext: remove #[encrypt]",
                        describe(&roles, |role| role.plaintext)
                    ),
                );
            }
        }
        EncryptionKind::Unsigned => {
            let roles = roles(input, field);
            let roles: Vec<&Role> = roles.iter().filter(|role| role.signed.is_some()).collect();
            if !roles.is_empty() {
                cx.error_spanned_by(
                    attr,
                    format_args!(
                        "`{ident}` cannot be unsigned: it is {}; it must be signed: remove \
                         #[unsigned]",
                        describe(&roles, |role| role.signed.unwrap_or_default())
                    ),
                );
            }
        }
        EncryptionKind::EncryptionContext => {
            let absent = if option_inner(field.ty).is_some() {
                Some("it is an `Option`, absent from the items where it is `None`")
            } else if serde.skip_serializing_if.is_some() {
                Some("#[serde(skip_serializing_if)] leaves it out of some items")
            } else {
                None
            };
            if let Some(absent) = absent {
                cx.error_spanned_by(
                    attr,
                    format_args!(
                        "`{ident}` cannot be in the encryption context: {absent}, and the \
                         Database Encryption SDK refuses to encrypt an item that lacks an \
                         #[encryption_context] attribute; make it a plain field written in \
                         every item, or use #[sign_only]"
                    ),
                );
            }
        }
        EncryptionKind::SignOnly => {}
    }
}

/// `unsigned_prefix`: not empty, and leaving out of the signature only `#[unsigned]` fields.
fn check_prefix(input: &Input<'_>, prefix: &syn::LitStr, cx: &Ctxt) {
    let text = prefix.value();
    if text.is_empty() {
        cx.error_spanned_by(
            prefix,
            "an empty unsigned prefix would leave every attribute unsigned: name the prefix \
             that marks unsigned attributes, like `unsigned_prefix = \":\"`, or remove the option",
        );
        return;
    }
    for field in &input.fields {
        let attrs = &field.attrs;
        if !attrs.is_stored()
            || !field.name.starts_with(&text)
            || attrs.encryption_kind() == EncryptionKind::Unsigned
        {
            continue;
        }
        let ident = field.ident;
        let name = &field.name;
        let must_sign =
            attrs.is_key() || roles(input, field).iter().any(|role| role.signed.is_some());
        let fix = match attrs.encryption {
            _ if must_sign => {
                "it must be signed: store it under another name, or choose another prefix"
                    .to_owned()
            }
            Some(encryption) => format!(
                "it is #[{}]: store it under another name, or choose another prefix",
                encryption.kind.name()
            ),
            None => "mark it #[unsigned], or store it under another name".to_owned(),
        };
        let stored = if *name == field.rust_name {
            format!("`{name}`")
        } else {
            format!("`{ident}` is stored as `{name}`, which")
        };
        let message = format!(
            "{stored} starts with the unsigned prefix {text:?}: the Database Encryption SDK \
             leaves such attributes unsigned; {fix}"
        );
        match attrs.encryption {
            Some(encryption) => cx.error_spanned_by(encryption.attr, message),
            None => cx.error_spanned_by(ident, message),
        }
    }
    if input
        .fields
        .iter()
        .any(|field| !field.attrs.unique.is_empty())
        && OWNER_ATTRIBUTE.starts_with(&text)
    {
        cx.error_spanned_by(
            prefix,
            format_args!(
                "the unsigned prefix {text:?} starts `{OWNER_ATTRIBUTE}`, the attribute of the \
                 #[unique] guard items that names their owner, which is signed: choose another \
                 prefix"
            ),
        );
    }
    for name in input.computed_attributes().all() {
        if name.starts_with(&text) {
            cx.error_spanned_by(
                prefix,
                format_args!(
                    "the unsigned prefix {text:?} starts `{name}`, an attribute the derive \
                     computes and signs: choose another prefix, or rename the attribute \
                     (`entity_attribute = \"..\"`, or a key's `name = \"..\"`)"
                ),
            );
        }
    }
}
