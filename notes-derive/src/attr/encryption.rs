//! The field attributes that choose what client-side encryption does to a field:
//! `#[encrypt]`, `#[sign_only]`, `#[encryption_context]` and `#[unsigned]`, one per field.

use syn::{Attribute, Meta};

use crate::attr::FieldAttrs;
use crate::ctxt::Ctxt;

/// One of the field attributes that choose what client-side encryption does to the field.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum EncryptionKind {
    /// `#[encrypt]`: `ENCRYPT_AND_SIGN`.
    Encrypt,
    /// `#[sign_only]`: `SIGN_ONLY` (what a field without an attribute gets).
    SignOnly,
    /// `#[encryption_context]`: `SIGN_AND_INCLUDE_IN_ENCRYPTION_CONTEXT`.
    EncryptionContext,
    /// `#[unsigned]`: `DO_NOTHING`.
    Unsigned,
}

impl EncryptionKind {
    /// Every kind, with the attribute that writes it.
    pub(crate) const ALL: [(EncryptionKind, &'static str); 4] = [
        (EncryptionKind::Encrypt, "encrypt"),
        (EncryptionKind::SignOnly, "sign_only"),
        (EncryptionKind::EncryptionContext, "encryption_context"),
        (EncryptionKind::Unsigned, "unsigned"),
    ];

    pub(crate) fn from_attribute(attr: &Attribute) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(_, name)| attr.path().is_ident(name))
            .map(|(kind, _)| *kind)
    }

    /// The attribute as written (`encrypt`).
    pub(crate) fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(kind, _)| *kind == self)
            .map_or("", |(_, name)| name)
    }
}

/// A field's encryption attribute and the kind it names.
#[derive(Clone, Copy)]
pub(crate) struct EncryptionAttr<'a> {
    pub(crate) kind: EncryptionKind,
    /// The attribute, for errors about it.
    pub(crate) attr: &'a Attribute,
}

impl<'a> FieldAttrs<'a> {
    /// Records the field's encryption attribute: one per field, taking no arguments.
    pub(super) fn parse_encryption(
        &mut self,
        cx: &Ctxt,
        kind: EncryptionKind,
        attr: &'a Attribute,
    ) {
        if !matches!(attr.meta, Meta::Path(_)) {
            cx.error_spanned_by(attr, format_args!("#[{}] takes no arguments", kind.name()));
        }
        match self.encryption {
            None => self.encryption = Some(EncryptionAttr { kind, attr }),
            Some(first) if first.kind == kind => {
                cx.error_spanned_by(attr, format_args!("duplicate #[{}]", kind.name()));
            }
            Some(first) => cx.error_spanned_by(
                attr,
                format_args!(
                    "#[{}] and #[{}] on one field: a field has one encryption action; keep one \
                     of them",
                    first.kind.name(),
                    kind.name()
                ),
            ),
        }
    }

    /// The field's encryption action; `SignOnly` when it has no attribute.
    pub(crate) fn encryption_kind(&self) -> EncryptionKind {
        self.encryption
            .map_or(EncryptionKind::SignOnly, |encryption| encryption.kind)
    }
}
