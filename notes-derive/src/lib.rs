//! `#[derive(Item)]` for the notes DynamoDB SDK. Use it through `notes_repo::Item`; the generated code refers to the model
//! crate as `::notes_repo::__model` unless `#[item(crate = "...")]` says otherwise.
//!
//! The derive is organised as parse (`ast`, `attr`) -> validate (`valid`) -> expand
//! (`expand`); attribute names follow serde's rename rules (`case`).

mod ast;
mod attr;
mod case;
mod convert;
mod expand;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `notes_repo::Item` (`notes_model::Item`): key schema, typed key struct, attribute handles.
#[proc_macro_derive(Item, attributes(partition_key, sort_key, item, version, ttl))]
pub fn derive_item(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    ast::Input::from_syn(&input)
        .and_then(|input| {
            valid::check(&input)?;
            Ok(expand::derive(&input))
        })
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
