//! The rules of the encryption attributes (`#[encrypt]`, `#[sign_only]`,
//! `#[encryption_context]`, `#[unsigned]`) and of `#[item(unsigned_prefix = "..")]`: what
//! DynamoDB or the derive reads in plaintext is never encrypted, what the item's integrity
//! rests on is always signed, an attribute bound into the encryption context is in every item,
//! and the names the prefix leaves unsigned are only those of `#[unsigned]` fields.

use crate::ast::{Field, Input, option_inner};
use crate::attr::{EncryptionAttr, EncryptionKind};
use crate::ctxt::Ctxt;

pub(super) fn check(input: &Input<'_>, cx: &Ctxt) {
    for field in &input.fields {
        if let Some(encryption) = field.attrs.encryption {
            check_field(input, field, encryption, cx);
        }
    }
    if let Some(prefix) = &input.attrs.unsigned_prefix {
        check_prefix(input, prefix, cx);
    }
}

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
