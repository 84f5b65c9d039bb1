//! Code generation from a validated input.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Field, Input, option_inner};
use crate::attr::IndexKindAttr;

pub(crate) fn derive(input: &Input<'_>) -> TokenStream {
    if input.is_templated() {
        return crate::entity::derive(input);
    }
    let m = &input.model;
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
    let handles = handles(input, false);

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
                quote!(::core::option::Option::Some(#m::KeyAttribute::new(
                    #sk_name,
                    <#sk_ty as #m::KeyValue>::SCALAR_TYPE,
                ))),
                quote!(::core::clone::Clone::clone(&self.#sk_ident)),
            )
        }
        None => (
            quote!(#m::NoSortKey),
            quote!(::core::option::Option::None),
            quote!(#m::NoSortKey),
        ),
    };

    let table = table(input);

    let _ = vis;
    let item_extras = item_extras(input);
    let conversion = crate::convert::methods(input);
    let index_handles = index_handles(input, Some(pk));
    quote! {
        #key_struct

        #[automatically_derived]
        impl #m::Item for #ident {
            type Key = #key_ident;

            const KEY_SCHEMA: #m::KeySchema = #m::KeySchema {
                partition_key: #m::KeyAttribute::new(
                    #pk_name,
                    <#pk_ty as #m::KeyValue>::SCALAR_TYPE,
                ),
                sort_key: #sk_schema,
            };

            fn key(&self) -> #key_ident {
                <#key_ident as #m::PrimaryKey>::from_parts(
                    ::core::clone::Clone::clone(&self.#pk_ident),
                    #sk_expr,
                )
            }

            #item_extras

            #conversion
        }

        #index_handles

        #table

        #handles

        const _: () = {
            // Keeps the key types' own errors on the fields that declare them.
            let _ = <#sk_ty as #m::SortKeyValue>::SCALAR_TYPE;
        };
    }
}

/// `impl Table` for `#[item(table = "...")]`.
pub(crate) fn table(input: &Input<'_>) -> Option<TokenStream> {
    let m = &input.model;
    let ident = input.ident;
    input.attrs.table.as_ref().map(|table| {
        quote! {
            #[automatically_derived]
            impl #m::Table for #ident {
                const TABLE_NAME: &'static str = #table;
            }
        }
    })
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
    let m = &input.model;
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
            quote!(#m::NoSortKey),
            quote!(&#m::NoSortKey),
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
        impl #m::PrimaryKey for #key_ident {
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

/// One typed attribute handle per stored field: `Note::CONTENT`, named after the field, typed
/// `Attribute<Note, String, __Note_attributes::content>`: the marker type names the attribute
/// in the compiler's errors about a value of the wrong type, and implements `MayBeAbsent` when
/// an item without the attribute reads (so only those have `remove()`); `all_may_be_absent`
/// (the fallback, after errors) implements it for all, so that no error follows from another.
pub(crate) fn handles(input: &Input<'_>, all_may_be_absent: bool) -> TokenStream {
    let m = &input.model;
    let ident = input.ident;
    let vis = input.vis;
    let markers_mod = format_ident!("__{}_attributes", ident);
    let stored: Vec<&Field<'_>> = input
        .fields
        .iter()
        .filter(|f| f.attrs.is_stored())
        .collect();
    let markers = stored.iter().map(|field| {
        let marker = field.ident;
        let doc = format!("Names `{ident}::{}` in compile errors.", handle_name(field));
        quote! {
            #[doc = #doc]
            pub struct #marker;
        }
    });
    let consts = stored.iter().map(|field| {
        let const_ident = syn::Ident::new(&handle_name(field), Span::call_site());
        let marker = field.ident;
        let field_vis = field.vis;
        let ty = field.ty;
        let name = &field.name;
        let doc = format!("The `{name}` attribute, for conditions and updates.");
        quote! {
            #[doc = #doc]
            #field_vis const #const_ident: #m::Attribute<#ident, #ty, #markers_mod::#marker> =
                #m::Attribute::new(#name);
        }
    });
    let may_be_absent = stored
        .iter()
        .filter(|field| all_may_be_absent || input.may_be_absent(field))
        .map(|field| {
            let marker = field.ident;
            quote! {
                #[automatically_derived]
                impl #m::MayBeAbsent<#ident> for #markers_mod::#marker {}
            }
        });
    let markers_doc = format!("The attribute marker types of [`{ident}`]'s handles.");
    quote! {
        #[doc = #markers_doc]
        #[doc(hidden)]
        #[allow(non_snake_case, non_camel_case_types)]
        #vis mod #markers_mod {
            #(#markers)*
        }

        #(#may_be_absent)*

        #[automatically_derived]
        impl #ident {
            #(#consts)*
        }
    }
}

/// A field's handle: `CREATED_AT` for `created_at`, `TYPE` for `r#type`.
fn handle_name(field: &Field<'_>) -> String {
    field.rust_name.to_ascii_uppercase()
}

/// The index schemas, required attributes, `#[version]` and `#[ttl]` parts of the `Item` impl.
pub(crate) fn item_extras(input: &Input<'_>) -> TokenStream {
    let m = &input.model;
    let pk = input.partition_key();
    let indexes = input.attrs.indexes.iter().map(|index| {
        let name = index
            .name
            .as_ref()
            .map(syn::LitStr::value)
            .unwrap_or_default();
        let (kind, pk_field) = match index.kind {
            IndexKindAttr::Global => (
                quote!(#m::IndexKind::Global),
                index
                    .partition_key
                    .as_ref()
                    .and_then(|f| input.field_named(f)),
            ),
            IndexKindAttr::Local => (quote!(#m::IndexKind::Local), pk),
        };
        let sk_field = index.sort_key.as_ref().and_then(|f| input.field_named(f));
        let mut pk_attribute = pk_field.map(|field| key_attribute(m, field));
        let mut sk_attribute = match sk_field {
            Some(field) => {
                let attribute = key_attribute(m, field);
                quote!(::core::option::Option::Some(#attribute))
            }
            None => quote!(::core::option::Option::None),
        };
        // Computed index keys are strings, named `<index>pk` / `<index>sk` unless named.
        if let Some(key) = &index.partition_template {
            let attribute = key.attribute(&format!("{name}pk"));
            pk_attribute = Some(quote!(#m::KeyAttribute::new(#attribute, #m::ScalarType::S)));
        }
        if let Some(key) = &index.sort_template {
            let attribute = key.attribute(&format!("{name}sk"));
            sk_attribute = quote!(::core::option::Option::Some(
                #m::KeyAttribute::new(#attribute, #m::ScalarType::S)
            ));
        }
        quote! {
            #m::IndexSchema {
                name: ::std::borrow::Cow::Borrowed(#name),
                kind: #kind,
                key_schema: #m::KeySchema {
                    partition_key: #pk_attribute,
                    sort_key: #sk_attribute,
                },
                projection: #m::IndexProjection::All,
            }
        }
    });
    let version = input.version().map(|field| {
        let name = &field.name;
        let ident = field.ident;
        let ty = field.ty;
        let m = respan(m, ty.span());
        let version_ty = quote_spanned!(ty.span()=> <#ty as #m::VersionValue>);
        quote! {
            const VERSION_ATTRIBUTE: ::core::option::Option<&'static str> =
                ::core::option::Option::Some(#name);

            fn version(&self) -> ::core::option::Option<u64> {
                ::core::option::Option::Some(#version_ty::to_version(&self.#ident))
            }

            fn set_version(&mut self, version: u64) -> bool {
                match #version_ty::from_version(version) {
                    ::core::option::Option::Some(value) => {
                        self.#ident = value;
                        true
                    }
                    ::core::option::Option::None => false,
                }
            }
        }
    });
    let ttl = input.ttl().map(|field| {
        let name = &field.name;
        let ty = field.ty;
        let m = respan(m, ty.span());
        let check = quote_spanned!(ty.span()=> {
            fn ttl_value<V: #m::TtlValue>() {}
            ttl_value::<#ty>();
        });
        quote! {
            const TTL_ATTRIBUTE: ::core::option::Option<&'static str> = {
                let _ = || #check;
                ::core::option::Option::Some(#name)
            };
        }
    });
    let required = input.required().map(|field| &field.name);
    quote! {
        const INDEXES: &'static [#m::IndexSchema] = &[#(#indexes),*];
        const REQUIRED_ATTRIBUTES: &'static [&'static str] = &[#(#required),*];
        #version
        #ttl
    }
}

/// A `KeyAttribute` for an index key field; `Option<T>` keys are `T` (sparse indexes).
fn key_attribute(m: &TokenStream, field: &Field<'_>) -> TokenStream {
    let name = &field.name;
    let ty = option_inner(field.ty).unwrap_or(field.ty);
    let ty = quote_spanned!(field.ty.span()=> #ty);
    quote!(#m::KeyAttribute::new(#name, <#ty as #m::KeyValue>::SCALAR_TYPE))
}

/// One typed handle per index: `Note::BY_CREATED_AT: Index<Note, PK, SK>`.
pub(crate) fn index_handles(input: &Input<'_>, table_pk: Option<&Field<'_>>) -> TokenStream {
    let m = &input.model;
    let ident = input.ident;
    let vis = input.vis;
    let handles = input
        .attrs
        .indexes
        .iter()
        .enumerate()
        .filter_map(|(i, index)| {
            let name = index.name.as_ref()?.value();
            // An index name that makes no identifier is an error already reported.
            let const_ident = syn::parse_str::<syn::Ident>(&screaming_snake(&name)).ok()?;
            let pk_field = match index.kind {
                IndexKindAttr::Global => index
                    .partition_key
                    .as_ref()
                    .and_then(|f| input.field_named(f)),
                IndexKindAttr::Local => table_pk,
            };
            let key_ty = |field: &Field<'_>| {
                let ty = option_inner(field.ty).unwrap_or(field.ty);
                quote_spanned!(field.ty.span()=> #ty)
            };
            let mut pk_ty = pk_field.map_or_else(|| quote!(()), key_ty);
            let mut sk_ty = index
                .sort_key
                .as_ref()
                .and_then(|f| input.field_named(f))
                .map_or_else(|| quote!(#m::NoSortKey), key_ty);
            if index.is_templated() {
                let (partition, sort) = crate::entity::index_types(ident, &name);
                pk_ty = quote!(#partition);
                if index.sort_template.is_some() {
                    sk_ty = quote!(#sort);
                }
            }
            let doc = format!("The `{name}` index, for typed queries.");
            Some(quote! {
                #[doc = #doc]
                #vis const #const_ident: #m::Index<#ident, #pk_ty, #sk_ty> =
                    #m::Index::new(&<#ident as #m::Item>::INDEXES[#i]);
            })
        });
    quote! {
        #[automatically_derived]
        impl #ident {
            #(#handles)*
        }
    }
}

/// `tokens` with every span set to `span`: a path into the model crate inside a check that
/// the compiler reports on a field.
pub(crate) fn respan(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut token| {
            token.set_span(span);
            token
        })
        .collect()
}

/// `byCreatedAt`, `by-created-at` -> `BY_CREATED_AT`.
pub(crate) fn screaming_snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for ch in name.chars() {
        if matches!(ch, '-' | '.' | '_') {
            out.push('_');
            previous_lower = false;
        } else {
            if ch.is_ascii_uppercase() && previous_lower {
                out.push('_');
            }
            previous_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
            out.push(ch.to_ascii_uppercase());
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "INDEX_");
    }
    out
}
