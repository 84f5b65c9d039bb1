//! The key value types of an entity (`NotePartition`, `NoteSort`, `NoteGsi1Partition`): the
//! components of one key, rendered to and parsed from the stored text.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Input;
use crate::expand::entity::keys::{Key, component_ty, self_field};
use crate::expand::entity::render::{parse_body, render_body, separator_check};
use crate::template::Segment;

/// `NotePartition` / `NoteSort`: the key value a template renders, with its fields.
pub(crate) fn value_type(input: &Input<'_>, key: &Key<'_, '_>, which: &str) -> TokenStream {
    let m = &input.model;
    let vis = input.vis;
    let ident = input.ident;
    let ty = &key.ty;
    let text = key.text();
    let attribute = &key.attribute;
    let doc = format!(
        "The {which} key of [`{ident}`]: its fields, stored in `{attribute}` as `{text}`. \
         Pass it to `Repo::query` (partition) or to the sort-key conditions (sort)."
    );
    let fields = key.fields.iter().map(|f| {
        let field = f.ident;
        let field_ty = component_ty(f);
        let doc = format!("The `{{{}}}` component.", f.rust_name);
        quote!(#[doc = #doc] pub #field: #field_ty)
    });
    let params = key.fields.iter().map(|f| {
        let field = f.ident;
        let field_ty = component_ty(f);
        quote!(#field: impl ::core::convert::Into<#field_ty>)
    });
    let inits = key.fields.iter().map(|f| {
        let field = f.ident;
        quote!(#field: ::core::convert::Into::into(#field))
    });
    let render = render_body(m, key, false, &self_field);
    let parse = parse_body(m, key);
    let checks = key
        .template
        .segments
        .iter()
        .enumerate()
        .filter_map(|(i, segment)| {
            let Segment::Field(name) = segment else {
                return None;
            };
            let found = key.fields.iter().find(|f| f.rust_name == *name)?;
            let value = self_field(found);
            let owner = quote!(#ident);
            Some(separator_check(
                m,
                key,
                i,
                (name, component_ty(found), &value),
                &owner,
            ))
        });
    let new_doc = format!("A [`{ty}`] from its fields.");
    // The template with its placeholders emptied: two templates of one shape render alike
    // when their components' types are the same too.
    let shape: String = key
        .template
        .segments
        .iter()
        .map(|segment| match segment {
            Segment::Literal(text) => text.replace('{', "{{").replace('}', "}}"),
            Segment::Field(_) => "{}".to_owned(),
        })
        .collect();
    let component_tys = key.fields.iter().map(|f| component_ty(f));
    let template_doc = format!("The template, `{text}`.");
    quote! {
        #[doc = #doc]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #vis struct #ty {
            #(#fields,)*
        }

        #[automatically_derived]
        impl #ty {
            #[doc = #template_doc]
            pub const TEMPLATE: &'static str = #text;

            #[doc = #new_doc]
            #[allow(clippy::new_without_default)]
            pub fn new(#(#params),*) -> Self {
                #ty { #(#inits),* }
            }

            /// The stored text.
            pub fn render(&self) -> ::std::string::String {
                #render
                __out
            }

            /// Reads a stored text back, or `None` when it is not a rendering of the template.
            pub fn parse(text: &str) -> ::core::option::Option<Self> {
                #parse
            }
        }

        #[automatically_derived]
        impl #m::TemplateKey for #ty {
            const SHAPE: &'static str = #shape;
            type Components = (#(#component_tys,)*);
        }

        #[automatically_derived]
        impl #m::KeyValue for #ty {
            const SCALAR_TYPE: #m::ScalarType = #m::ScalarType::S;

            fn to_attribute_value(&self) -> #m::AttributeValue {
                #m::AttributeValue::S(self.render())
            }

            fn from_attribute_value(value: &#m::AttributeValue) -> ::core::option::Option<Self> {
                match value {
                    #m::AttributeValue::S(text) => Self::parse(text),
                    _ => ::core::option::Option::None,
                }
            }

            fn check_key(&self) -> ::core::result::Result<(), #m::Error> {
                #[allow(unused_imports)]
                use #m::template::{ComponentFallback as _, ComponentOps as _};
                #(#checks)*
                ::core::result::Result::Ok(())
            }
        }
    }
}
