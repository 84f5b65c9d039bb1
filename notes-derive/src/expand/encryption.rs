//! `Item::ENCRYPTION`: what client-side encryption does to each attribute the item writes, by
//! stored name: the table's keys first, then the fields in declaration order, then what the
//! derive writes beside them (an entity's attribute and its computed index keys).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Input;
use crate::attr::EncryptionKind;

/// The `ENCRYPTION` member of the `Item` impl.
pub(crate) fn schema(input: &Input<'_>) -> TokenStream {
    let m = &input.model;
    let action = |kind: EncryptionKind| match kind {
        EncryptionKind::Encrypt => quote!(#m::encryption::CryptoAction::EncryptAndSign),
        EncryptionKind::SignOnly => quote!(#m::encryption::CryptoAction::SignOnly),
        EncryptionKind::EncryptionContext => {
            quote!(#m::encryption::CryptoAction::SignAndIncludeInEncryptionContext)
        }
        EncryptionKind::Unsigned => quote!(#m::encryption::CryptoAction::DoNothing),
    };
    // The Database Encryption SDK requires the keys in the encryption context when any
    // attribute is.
    let key_kind = if input
        .fields
        .iter()
        .any(|f| f.attrs.encryption_kind() == EncryptionKind::EncryptionContext)
    {
        EncryptionKind::EncryptionContext
    } else {
        EncryptionKind::SignOnly
    };
    let computed = input.computed_attributes();
    let field_keys = if input.is_templated() {
        Vec::new()
    } else {
        [input.partition_key(), input.sort_key()]
            .into_iter()
            .flatten()
            .map(|field| &field.name)
            .collect()
    };
    let keys = computed
        .table_keys
        .iter()
        .chain(field_keys.iter().copied())
        .map(|name| (name, key_kind));
    // A flattened field's attributes are its value's own, unknown here: left out. Key fields
    // are listed first (an entity has none: its key markers are errors).
    let fields = input
        .fields
        .iter()
        .filter(|f| f.attrs.is_stored() && (input.is_templated() || !f.attrs.is_key()))
        .map(|f| (&f.name, f.attrs.encryption_kind()));
    let beside = computed
        .entity
        .iter()
        .chain(&computed.index_keys)
        .map(|name| (name, EncryptionKind::SignOnly));
    let entries = keys.chain(fields).chain(beside).map(|(name, kind)| {
        let action = action(kind);
        quote!((#name, #action))
    });
    let prefix = input
        .attrs
        .unsigned_prefix
        .as_ref()
        .map(|prefix| quote!(.unsigned_prefix(#prefix)));
    quote! {
        const ENCRYPTION: #m::encryption::EncryptionSchema =
            #m::encryption::EncryptionSchema::new(&[#(#entries),*])#prefix;
    }
}
