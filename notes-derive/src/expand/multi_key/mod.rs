//! The typed keys of a global index whose key spans several attributes
//! (`global_index(name = "byRegion", partition_key = ["tenant", "region"], sort_key =
//! ["year", "month", "day"])`): the partition value type `SaleByRegionPartition`, which holds
//! every partition value (`query_index` takes it, or a tuple of the values), and the sort-key
//! builder `SaleByRegionSort` (`sort_builder`). A side of one attribute keeps the field's
//! type, as any index does.

mod sort_builder;
mod sort_rules;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Field, Input, option_inner};
use crate::names;

/// How a key field's Rust type is spelt in the generated types: the field's own (its `T` for
/// an `Option<T>`), or in the fallback, `String` for a type that may be the mistake.
pub(crate) type KeyTy<'f> = &'f dyn Fn(&Field<'_>) -> TokenStream;

/// The key field's type, `T` for an `Option<T>` (a sparse index), spanned on the field.
pub(crate) fn key_ty(field: &Field<'_>) -> TokenStream {
    let ty = option_inner(field.ty).unwrap_or(field.ty);
    quote_spanned!(field.ty.span()=> #ty)
}

/// The marker type of `field`'s attribute handle (`Sale::year` in errors).
pub(crate) fn marker(input: &Input<'_>, field: &Field<'_>) -> TokenStream {
    let m = &input.model;
    let item = input.ident;
    let position = input
        .fields
        .iter()
        .position(|f| f.ident == field.ident)
        .expect("a key field is a field of the input");
    quote!(<#item as #m::AttributeAt<#position>>::Marker)
}

/// The partition value types and sort-key builders of `input`'s multi-attribute indexes.
pub(crate) fn items(input: &Input<'_>, key_ty: KeyTy<'_>) -> TokenStream {
    input
        .attrs
        .indexes
        .iter()
        .filter(|index| !index.is_templated())
        .filter_map(|index| {
            let name = index.name.as_ref()?.value();
            let fields = input.index_fields(index);
            let (partition, sort) = names::index_value_types(input.ident, &name);
            let partition = (fields.partition.len() > 1)
                .then(|| partition_type(input, &name, &partition, &fields.partition, key_ty));
            let sort = (fields.sort.len() > 1)
                .then(|| sort_builder::expand(input, &name, &sort, &fields.sort, key_ty));
            Some(quote!(#partition #sort))
        })
        .collect()
}

/// `SaleByRegionPartition`: every value of a multi-attribute partition key, by field.
fn partition_type(
    input: &Input<'_>,
    index: &str,
    ty: &syn::Ident,
    fields: &[&Field<'_>],
    key_ty: KeyTy<'_>,
) -> TokenStream {
    let m = &input.model;
    let vis = input.vis;
    let item = input.ident;
    let list = fields
        .iter()
        .map(|f| format!("`{}`", f.rust_name))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = format!(
        "The partition key of index `{index}` of [`{item}`]: {list}, each an attribute of its \
         own type. A query gives every one of them: `Repo::query_index` takes this type or a \
         tuple of the values."
    );
    let idents: Vec<_> = fields.iter().map(|f| f.ident).collect();
    let tys: Vec<_> = fields.iter().map(|f| key_ty(f)).collect();
    let markers: Vec<_> = fields.iter().map(|f| marker(input, f)).collect();
    let field_docs = fields
        .iter()
        .map(|f| format!("The `{}` attribute.", f.rust_name));
    let generics: Vec<_> = (0..fields.len()).map(|i| format_ident!("__V{i}")).collect();
    let new_doc = format!("A [`{ty}`] from its values, in the index's order.");
    let from_doc = format!("A [`{ty}`] from a tuple of its values, in the index's order.");
    quote! {
        #[doc = #doc]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #vis struct #ty {
            #(
                #[doc = #field_docs]
                pub #idents: #tys,
            )*
        }

        #[automatically_derived]
        impl #ty {
            #[doc = #new_doc]
            pub fn new(#(#idents: impl #m::KeyInput<#tys, #markers>),*) -> Self {
                #ty { #(#idents: #m::KeyInput::into_key(#idents)),* }
            }
        }

        #[automatically_derived]
        impl<#(#generics: #m::KeyInput<#tys, #markers>),*> ::core::convert::From<(#(#generics,)*)> for #ty {
            #[doc = #from_doc]
            fn from((#(#idents,)*): (#(#generics,)*)) -> Self {
                #ty::new(#(#idents),*)
            }
        }

        #[automatically_derived]
        impl #m::PartitionValues for #ty {
            fn partition_values(&self) -> ::std::vec::Vec<#m::AttributeValue> {
                ::std::vec![#(<#tys as #m::KeyValue>::to_attribute_value(&self.#idents)),*]
            }

            fn check_partition(&self) -> ::core::result::Result<(), #m::Error> {
                #(<#tys as #m::KeyValue>::check_key(&self.#idents)?;)*
                ::core::result::Result::Ok(())
            }
        }
    }
}
