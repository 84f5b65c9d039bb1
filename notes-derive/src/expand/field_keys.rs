//! An item whose keys are fields (`#[partition_key]`, `#[sort_key]`): the key schema names
//! them, and `NoteKey` holds their values.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Input;
use crate::expand::item::Parts;
use crate::expand::key_struct::{Constructor, KeyField, KeyStruct};
use crate::expand::spans::spanned_ty;
use crate::names;

/// The parts of an item whose keys are fields, or the error to report when it has no partition
/// key (which validation reports first).
pub(crate) fn parts<'a>(input: &'a Input<'a>) -> Result<Parts<'a>, TokenStream> {
    let m = &input.model;
    let Some(pk) = input.partition_key() else {
        return Err(
            syn::Error::new_spanned(input.ident, "missing #[partition_key]").into_compile_error(),
        );
    };
    let sk = input.sort_key();
    let ident = input.ident;
    let key_ident = names::key_struct(ident);

    let pk_ident = pk.ident;
    let pk_name = &pk.name;
    let pk_ty = spanned_ty(pk);
    let sk_ty = sk.map_or_else(|| quote!(#m::NoSortKey), spanned_ty);
    let sk_schema = match sk {
        Some(sk) => {
            let sk_name = &sk.name;
            quote!(::core::option::Option::Some(#m::KeyAttribute::new(
                #sk_name,
                <#sk_ty as #m::KeyValue>::SCALAR_TYPE,
            )))
        }
        None => quote!(::core::option::Option::None),
    };
    let sk_of_self = match sk {
        Some(sk) => {
            let sk_ident = sk.ident;
            quote!(::core::clone::Clone::clone(&self.#sk_ident))
        }
        None => quote!(#m::NoSortKey),
    };

    let mut params = vec![quote!(#pk_ident: impl ::core::convert::Into<#pk_ty>)];
    let mut inits = vec![quote!(#pk_ident: ::core::convert::Into::into(#pk_ident))];
    if let Some(sk) = sk {
        let sk_ident = sk.ident;
        params.push(quote!(#sk_ident: impl ::core::convert::Into<#sk_ty>));
        inits.push(quote!(#sk_ident: ::core::convert::Into::into(#sk_ident)));
    }
    let key = KeyStruct {
        model: m,
        item: ident,
        vis: input.vis,
        doc: format!(
            "The primary key of [`{ident}`]: `{}`{}.",
            pk.name,
            sk.map_or(String::new(), |sk| format!(" and `{}`", sk.name))
        ),
        partition: Some(KeyField::new(
            pk_ident.clone(),
            format!("The partition key, `{}`.", pk.name),
            pk_ty.clone(),
        )),
        sort: sk.map(|sk| {
            KeyField::new(
                sk.ident.clone(),
                format!("The sort key, `{}`.", sk.name),
                sk_ty.clone(),
            )
        }),
        new: Some(Constructor {
            doc: format!("A [`{key_ident}`] from its parts."),
            params,
            body: quote!(#key_ident { #(#inits,)* }),
        }),
        placeholder: false,
        ident: key_ident.clone(),
    };
    Ok(Parts {
        key_schema: quote! {
            #m::KeySchema {
                partition_key: #m::KeyAttribute::new(
                    #pk_name,
                    <#pk_ty as #m::KeyValue>::SCALAR_TYPE,
                ),
                sort_key: #sk_schema,
            }
        },
        key_of_self: quote! {
            <#key_ident as #m::PrimaryKey>::from_parts(
                ::core::clone::Clone::clone(&self.#pk_ident),
                #sk_of_self,
            )
        },
        key,
        members: TokenStream::new(),
        hooks: None,
        items: TokenStream::new(),
        checks: quote! {
            const _: () = {
                // Keeps the key types' own errors on the fields that declare them.
                let _ = <#sk_ty as #m::SortKeyValue>::SCALAR_TYPE;
            };
        },
    })
}
