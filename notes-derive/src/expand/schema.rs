//! What an item declares beside its key: the table name (`impl Table`), and the `Item`
//! members for its secondary indexes, required attributes, `#[version]`, `#[ttl]` and
//! `#[unique]`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Field, Input, option_inner};
use crate::attr::IndexKindAttr;
use crate::expand::spans::respan;

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

/// The index schemas, required attributes, `#[version]` and `#[ttl]` parts of the `Item` impl.
pub(crate) fn item_members(input: &Input<'_>) -> TokenStream {
    let m = &input.model;
    let indexes = input.attrs.indexes.iter().map(|index| {
        let name = index
            .name
            .as_ref()
            .map(syn::LitStr::value)
            .unwrap_or_default();
        let kind = match index.kind {
            IndexKindAttr::Global => quote!(#m::IndexKind::Global),
            IndexKindAttr::Local => quote!(#m::IndexKind::Local),
        };
        let fields = input.index_fields(index);
        // The first attribute of each side is the key schema's; a multi-attribute key's
        // others are its additional keys.
        let mut pk_attributes = fields.partition.iter().map(|field| key_attribute(m, field));
        let mut sk_attributes = fields.sort.iter().map(|field| key_attribute(m, field));
        let mut pk_attribute = pk_attributes.next();
        let mut sk_attribute = match sk_attributes.next() {
            Some(attribute) => quote!(::core::option::Option::Some(#attribute)),
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
        let additional_keys = if fields.is_multi_attribute() {
            quote!(#m::AdditionalKeys {
                partition_key: ::std::borrow::Cow::Borrowed(&[#(#pk_attributes),*]),
                sort_key: ::std::borrow::Cow::Borrowed(&[#(#sk_attributes),*]),
            })
        } else {
            quote!(#m::AdditionalKeys::NONE)
        };
        quote! {
            #m::IndexSchema {
                name: ::std::borrow::Cow::Borrowed(#name),
                kind: #kind,
                key_schema: #m::KeySchema {
                    partition_key: #pk_attribute,
                    sort_key: #sk_attribute,
                },
                projection: #m::IndexProjection::All,
                additional_keys: #additional_keys,
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
    let unique = unique(input);
    quote! {
        const INDEXES: &'static [#m::IndexSchema] = &[#(#indexes),*];
        const REQUIRED_ATTRIBUTES: &'static [&'static str] = &[#(#required),*];
        #version
        #ttl
        #unique
    }
}

/// `UNIQUE_ATTRIBUTES`, with the compiler's checks that each field can be unique
/// (`UniqueValue`, on the field's type) and that the table's keys can key the guards
/// (`GuardKey`, on each key field's type; computed keys are strings).
fn unique(input: &Input<'_>) -> Option<TokenStream> {
    let m = &input.model;
    let fields: Vec<&Field<'_>> = input.unique().collect();
    if fields.is_empty() {
        return None;
    }
    let names = fields.iter().map(|field| &field.name);
    let value_checks = fields.iter().map(|field| {
        let ty = field.ty;
        quote_spanned!(ty.span()=> unique_value::<#ty>();)
    });
    let key_checks = [input.partition_key(), input.sort_key()]
        .into_iter()
        .flatten()
        .filter(|_| !input.is_templated())
        .map(|field| {
            let ty = field.ty;
            quote_spanned!(ty.span()=> guard_key::<#ty>();)
        });
    Some(quote! {
        const UNIQUE_ATTRIBUTES: &'static [&'static str] = {
            let _ = || {
                fn unique_value<V: #m::unique::UniqueValue>() {}
                fn guard_key<K: #m::unique::GuardKey>() {}
                #(#value_checks)*
                #(#key_checks)*
            };
            &[#(#names),*]
        };
    })
}

/// A `KeyAttribute` for an index key field; `Option<T>` keys are `T` (sparse indexes).
fn key_attribute(m: &TokenStream, field: &Field<'_>) -> TokenStream {
    let name = &field.name;
    let ty = option_inner(field.ty).unwrap_or(field.ty);
    let ty = quote_spanned!(field.ty.span()=> #ty);
    quote!(#m::KeyAttribute::new(#name, <#ty as #m::KeyValue>::SCALAR_TYPE))
}
