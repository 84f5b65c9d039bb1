//! What the derive declares when the input has errors (thiserror's `fallback.rs`): the
//! `Item` and `PrimaryKey` impls, the key struct and the handles, with `unimplemented!()`
//! bodies. The compile errors are then the only errors: code that uses `Note::CONTENT`,
//! `NoteKey::new` or `Repo<Note, _>` does not fail again because the derive did.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::{Field, Input};
use crate::expand::handles;
use crate::expand::key_struct::{Constructor, KeyField, KeyStruct};
use crate::expand::multi_key;
use crate::expand::schema;
use crate::names;
use crate::valid::is_byte_vec;

pub(crate) fn expand(input: &Input<'_>) -> TokenStream {
    if !input.generics.params.is_empty() {
        // An impl for a generic type would need bounds the derive cannot know.
        return TokenStream::new();
    }
    let m = &input.model;
    let ident = input.ident;
    let key_ident = names::key_struct(ident);

    let pk = input.partition_key();
    let sk = input
        .sort_key()
        .filter(|sk| pk.is_none_or(|pk| pk.ident != sk.ident));
    // Only a type spelt like a key type is kept as the key type: any other may be the
    // mistake, or may not be a key type either, and `String` keeps the impl from failing on
    // its own. The field keeps the type written, for the code that reads it.
    let key_field = |field: &Field<'_>, which: &str| {
        let ty = field.ty;
        KeyField {
            ident: field.ident.clone(),
            doc: format!("The {which} key."),
            ty: quote!(#ty),
            key_ty: if spelt_like_a_key(ty) {
                quote!(#ty)
            } else {
                quote!(::std::string::String)
            },
        }
    };
    let new_params = pk
        .into_iter()
        .chain(sk)
        .map(|field| {
            let ty = field.ty;
            quote!(_: impl ::core::convert::Into<#ty>)
        })
        .collect();
    let key = KeyStruct {
        model: m,
        item: ident,
        vis: input.vis,
        doc: format!("The primary key of [`{ident}`]."),
        partition: pk.map(|pk| key_field(pk, "partition")),
        sort: sk.map(|sk| key_field(sk, "sort")),
        new: Some(Constructor {
            doc: format!("A [`{key_ident}`] from its parts."),
            params: new_params,
            body: TokenStream::new(),
        }),
        placeholder: true,
        ident: key_ident.clone(),
    }
    .expand();
    let table = schema::table(input);
    let attribute_handles = handles::attributes(input, true);
    let index_handles = handles::indexes(input);
    let index_keys = multi_key::items(input, &|field| {
        let key_ty = multi_key::key_ty(field);
        let inner = crate::ast::option_inner(field.ty).unwrap_or(field.ty);
        if spelt_like_a_key(inner) {
            key_ty
        } else {
            quote!(::std::string::String)
        }
    });
    quote! {
        #key

        impl #m::Item for #ident {
            type Key = #key_ident;

            const KEY_SCHEMA: #m::KeySchema = ::core::unimplemented!();

            fn key(&self) -> #key_ident {
                ::core::unimplemented!()
            }
        }

        #table

        #attribute_handles

        #index_handles

        #index_keys
    }
}

/// Whether `ty` is spelt as one of the key types (`String`, a number type, `Vec<u8>`, `Uuid`).
fn spelt_like_a_key(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    is_byte_vec(ty)
        || last.arguments.is_empty()
            && [
                "String", "Uuid", "i8", "i16", "i32", "i64", "isize", "u8", "u16", "u32", "u64",
                "usize", "f32", "f64",
            ]
            .iter()
            .any(|name| last.ident == name)
}
