//! `#[derive(Item)]` for the notes DynamoDB SDK. Use it through `notes_repo::Item`; the
//! generated code refers to the model crate as `::notes_repo::__model` unless
//! `#[item(crate = "...")]` says otherwise.
//!
//! The derive is organised as parse (`ast`, `attr`, `template`) -> validate (`valid`) ->
//! expand (`expand`), each step importing only the ones before it; attribute names follow
//! serde's rename rules (`case`), and the generated items are named in `names`. Errors are
//! collected in a `ctxt::Ctxt` and reported together, next to a `fallback` expansion that
//! declares what the derive would have, so that they are the only errors.

mod ast;
mod attr;
mod case;
mod collection;
mod ctxt;
mod expand;
mod fallback;
mod names;
mod template;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `notes_repo::Item` (`notes_model::Item`): key schema, typed key struct, attribute
/// handles, encryption schema.
#[proc_macro_derive(
    Item,
    attributes(
        partition_key,
        sort_key,
        item,
        version,
        ttl,
        unique,
        encrypt,
        sign_only,
        encryption_context,
        unsigned
    )
)]
pub fn derive_item(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let cx = ctxt::Ctxt::new();
    let parsed = ast::Input::from_syn(&cx, &input);
    valid::check(&cx, &parsed);
    match cx.check() {
        Ok(()) => expand::derive(&parsed),
        Err(errors) => {
            let mut tokens = errors.into_compile_error();
            tokens.extend(fallback::expand(&parsed));
            tokens
        }
    }
    .into()
}

/// Derives `notes_repo::Item` for an enum of entity types that share a table and a partition
/// key (`enum UserData { Profile(User), Note(Note) }`): one query reads them all. It declares
/// no encryption schema (`ENCRYPTION` stays undeclared): each member type has its own, and is
/// registered with the encryption layer on its own.
#[proc_macro_derive(Collection, attributes(collection))]
pub fn derive_collection(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    collection::derive(&input).into()
}
