//! What the derive declares when the input has errors (thiserror's `fallback.rs`): the
//! `Item` and `PrimaryKey` impls, the key struct and the handles, with `unimplemented!()`
//! bodies. The compile errors are then the only errors: code that uses `Note::CONTENT`,
//! `NoteKey::new` or `Repo<Note, _>` does not fail again because the derive did.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::{Field, Input};
use crate::expand;
use crate::valid::is_byte_vec;

pub(crate) fn expand(input: &Input<'_>) -> TokenStream {
    if !input.generics.params.is_empty() {
        // An impl for a generic type would need bounds the derive cannot know.
        return TokenStream::new();
    }
    let m = &input.model;
    let ident = input.ident;
    let vis = input.vis;
    let key_ident = format_ident!("{}Key", ident);

    let pk = input.partition_key();
    let sk = input
        .sort_key()
        .filter(|sk| pk.is_none_or(|pk| pk.ident != sk.ident));
    let key_fields = pk.into_iter().chain(sk).map(|field| {
        let (field_ident, ty) = (field.ident, field.ty);
        quote!(pub #field_ident: #ty)
    });
    let new_params = pk.into_iter().chain(sk).map(|field| {
        let ty = field.ty;
        quote!(_: impl ::core::convert::Into<#ty>)
    });
    // Only a type spelt like a key type is kept: any other may be the mistake, or may not be
    // a key type either, and `String` keeps the impl from failing on its own.
    let key_ty = |field: Option<&Field<'_>>, absent: TokenStream| match field {
        Some(field) if spelt_like_a_key(field.ty) => {
            let ty = field.ty;
            quote!(#ty)
        }
        Some(_) => quote!(::std::string::String),
        None => absent,
    };
    let pk_ty = key_ty(pk, quote!(::std::string::String));
    let sk_ty = key_ty(sk, quote!(#m::NoSortKey));

    let table = expand::table(input);
    let handles = expand::handles(input, true);
    let index_handles = expand::index_handles(input, pk);
    quote! {
        #vis struct #key_ident {
            #(#key_fields,)*
        }

        impl #key_ident {
            #vis fn new(#(#new_params),*) -> Self {
                ::core::unimplemented!()
            }
        }

        impl ::core::clone::Clone for #key_ident {
            fn clone(&self) -> Self {
                ::core::unimplemented!()
            }
        }

        impl ::core::fmt::Debug for #key_ident {
            fn fmt(&self, _: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::unimplemented!()
            }
        }

        impl ::core::cmp::PartialEq for #key_ident {
            fn eq(&self, _: &Self) -> bool {
                ::core::unimplemented!()
            }
        }

        impl #m::PrimaryKey for #key_ident {
            type Item = #ident;
            type PartitionKey = #pk_ty;
            type SortKey = #sk_ty;

            fn from_parts(_: #pk_ty, _: #sk_ty) -> Self {
                ::core::unimplemented!()
            }

            fn partition_key(&self) -> &#pk_ty {
                ::core::unimplemented!()
            }

            fn sort_key(&self) -> &#sk_ty {
                ::core::unimplemented!()
            }
        }

        impl #m::Item for #ident {
            type Key = #key_ident;

            const KEY_SCHEMA: #m::KeySchema = ::core::unimplemented!();

            fn key(&self) -> #key_ident {
                ::core::unimplemented!()
            }
        }

        #table

        #handles

        #index_handles
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
