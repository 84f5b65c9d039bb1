//! The `Item` impl and what comes with every item: the key struct, the attribute and index
//! handles and the table name. What differs between keys that are fields and keys computed
//! from templates comes in as [`Parts`].

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Input;
use crate::expand::convert::{self, Hooks};
use crate::expand::encryption;
use crate::expand::handles;
use crate::expand::key_struct::KeyStruct;
use crate::expand::multi_key;
use crate::expand::schema;

/// What a kind of key contributes to the expansion.
pub(crate) struct Parts<'a> {
    /// The typed key.
    pub(crate) key: KeyStruct<'a>,
    /// `Item::KEY_SCHEMA`.
    pub(crate) key_schema: TokenStream,
    /// The body of `Item::key`.
    pub(crate) key_of_self: TokenStream,
    /// More `Item` members (`ENTITY`, `KEY_COMPONENTS`, `computed_updates`).
    pub(crate) members: TokenStream,
    /// What the conversion adds (computed attributes written and checked).
    pub(crate) hooks: Option<Hooks>,
    /// Items generated before the key struct (the key value types and their builders).
    pub(crate) items: TokenStream,
    /// Assertions generated last, spanned on the fields they are about.
    pub(crate) checks: TokenStream,
}

pub(crate) fn expand(input: &Input<'_>, parts: Parts<'_>) -> TokenStream {
    let m = &input.model;
    let ident = input.ident;
    let Parts {
        key,
        key_schema,
        key_of_self,
        members,
        hooks,
        items,
        checks,
    } = parts;
    let key_ident = &key.ident;
    let key_struct = key.expand();
    let schema_members = schema::item_members(input);
    let encryption = encryption::schema(input);
    let conversion = convert::methods(input, hooks.as_ref());
    let index_handles = handles::indexes(input);
    let index_keys = multi_key::items(input, &multi_key::key_ty);
    let table = schema::table(input);
    let attribute_handles = handles::attributes(input, false);
    quote! {
        #items

        #key_struct

        #[automatically_derived]
        impl #m::Item for #ident {
            type Key = #key_ident;

            const KEY_SCHEMA: #m::KeySchema = #key_schema;

            #members

            fn key(&self) -> #key_ident {
                #key_of_self
            }

            #schema_members

            #encryption

            #conversion
        }

        #index_handles

        #index_keys

        #table

        #attribute_handles

        #checks
    }
}
