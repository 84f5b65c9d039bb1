//! Code generation from a validated input.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Field, Input};

pub(crate) fn derive(input: &Input<'_>) -> TokenStream {
    let Some(pk) = input.partition_key() else {
        // `valid::check` guarantees a partition key; stay total anyway.
        return syn::Error::new_spanned(input.ident, "missing #[partition_key]")
            .into_compile_error();
    };
    let sk = input.sort_key();
    let ident = input.ident;
    let vis = input.vis;
    let key_ident = format_ident!("{}Key", ident);

    let key_struct = key_struct(input, &key_ident, pk, sk);
    let handles = handles(input);

    let pk_ident = pk.ident;
    let pk_name = &pk.name;
    let pk_ty = spanned_ty(pk);
    let (sk_ty, sk_schema, sk_expr) = match sk {
        Some(sk) => {
            let sk_ident = sk.ident;
            let sk_name = &sk.name;
            let sk_ty = spanned_ty(sk);
            (
                sk_ty.clone(),
                quote!(::core::option::Option::Some(::notes_model::KeyAttribute::new(
                    #sk_name,
                    <#sk_ty as ::notes_model::KeyValue>::SCALAR_TYPE,
                ))),
                quote!(::core::clone::Clone::clone(&self.#sk_ident)),
            )
        }
        None => (
            quote!(::notes_model::NoSortKey),
            quote!(::core::option::Option::None),
            quote!(::notes_model::NoSortKey),
        ),
    };

    let table = input.attrs.table.as_ref().map(|table| {
        quote! {
            impl ::notes_model::Table for #ident {
                const TABLE_NAME: &'static str = #table;
            }
        }
    });

    let _ = vis;
    quote! {
        #key_struct

        #[automatically_derived]
        impl ::notes_model::Item for #ident {
            type Key = #key_ident;

            const KEY_SCHEMA: ::notes_model::KeySchema = ::notes_model::KeySchema {
                partition_key: ::notes_model::KeyAttribute::new(
                    #pk_name,
                    <#pk_ty as ::notes_model::KeyValue>::SCALAR_TYPE,
                ),
                sort_key: #sk_schema,
            };

            fn key(&self) -> #key_ident {
                <#key_ident as ::notes_model::PrimaryKey>::from_parts(
                    ::core::clone::Clone::clone(&self.#pk_ident),
                    #sk_expr,
                )
            }
        }

        #table

        #handles

        const _: () = {
            // Keeps the key types' own errors on the fields that declare them.
            let _ = <#sk_ty as ::notes_model::SortKeyValue>::SCALAR_TYPE;
        };
    }
}

/// The field's type, spanned on the field so that "cannot be a key" points at it.
fn spanned_ty(field: &Field<'_>) -> TokenStream {
    let ty = field.ty;
    quote_spanned!(ty.span()=> #ty)
}

fn key_struct(
    input: &Input<'_>,
    key_ident: &syn::Ident,
    pk: &Field<'_>,
    sk: Option<&Field<'_>>,
) -> TokenStream {
    let ident = input.ident;
    let vis = input.vis;
    let pk_ident = pk.ident;
    let pk_ty = spanned_ty(pk);
    let doc = format!(
        "The primary key of [`{ident}`]: `{}`{}.",
        pk.name,
        sk.map_or(String::new(), |sk| format!(" and `{}`", sk.name))
    );
    let pk_doc = format!("The partition key, `{}`.", pk.name);
    let new_doc = format!("A [`{key_ident}`] from its parts.");

    let (sk_field, sk_param, sk_init, sk_ty, sk_get, sk_from) = match sk {
        Some(sk) => {
            let sk_ident = sk.ident;
            let sk_ty = spanned_ty(sk);
            let sk_doc = format!("The sort key, `{}`.", sk.name);
            (
                quote!(#[doc = #sk_doc] pub #sk_ident: #sk_ty,),
                quote!(, #sk_ident: impl ::core::convert::Into<#sk_ty>),
                quote!(#sk_ident: ::core::convert::Into::into(#sk_ident),),
                sk_ty.clone(),
                quote!(&self.#sk_ident),
                quote!(#sk_ident: sort_key,),
            )
        }
        None => (
            quote!(),
            quote!(),
            quote!(),
            quote!(::notes_model::NoSortKey),
            quote!(&::notes_model::NoSortKey),
            quote!(),
        ),
    };
    let sort_key_binding = if sk.is_some() {
        quote!(sort_key)
    } else {
        quote!(_sort_key)
    };

    quote! {
        #[doc = #doc]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #vis struct #key_ident {
            #[doc = #pk_doc]
            pub #pk_ident: #pk_ty,
            #sk_field
        }

        impl #key_ident {
            #[doc = #new_doc]
            #vis fn new(#pk_ident: impl ::core::convert::Into<#pk_ty> #sk_param) -> Self {
                #key_ident {
                    #pk_ident: ::core::convert::Into::into(#pk_ident),
                    #sk_init
                }
            }
        }

        #[automatically_derived]
        impl ::notes_model::PrimaryKey for #key_ident {
            type Item = #ident;
            type PartitionKey = #pk_ty;
            type SortKey = #sk_ty;

            fn from_parts(partition_key: #pk_ty, #sort_key_binding: #sk_ty) -> Self {
                #key_ident {
                    #pk_ident: partition_key,
                    #sk_from
                }
            }

            fn partition_key(&self) -> &#pk_ty {
                &self.#pk_ident
            }

            fn sort_key(&self) -> &#sk_ty {
                #sk_get
            }
        }
    }
}

/// One typed attribute handle per stored field: `Note::CONTENT`, named after the field.
fn handles(input: &Input<'_>) -> TokenStream {
    let ident = input.ident;
    let consts = input
        .fields
        .iter()
        .filter(|f| f.attrs.is_stored())
        .map(|field| {
            let const_ident = syn::Ident::new(
                &field
                    .ident
                    .to_string()
                    .trim_start_matches("r#")
                    .to_ascii_uppercase(),
                Span::call_site(),
            );
            let vis = field.vis;
            let ty = field.ty;
            let name = &field.name;
            let doc = format!("The `{name}` attribute, for conditions and updates.");
            quote! {
                #[doc = #doc]
                #vis const #const_ident: ::notes_model::Attribute<#ident, #ty> =
                    ::notes_model::Attribute::new(#name);
            }
        });
    let _ = &input.original;
    quote! {
        #[automatically_derived]
        impl #ident {
            #(#consts)*
        }
    }
}
