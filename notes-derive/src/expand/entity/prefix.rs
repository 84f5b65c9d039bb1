//! `NoteSortPrefix<N>`: typed `begins_with` prefixes of an entity's sort key.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::Input;
use crate::expand::entity::keys::{Key, component_ty};
use crate::expand::entity::render::separators;
use crate::names;
use crate::template::Segment;

/// `NoteSortPrefix<N>`: `begins_with` prefixes of the sort template's leading components,
/// typed stage by stage (`NoteSort::prefix().created_at(..)`), and `<field>_starts_with` for a
/// partial `String` component.
pub(crate) fn prefix_builder(input: &Input<'_>, key: &Key<'_, '_>) -> TokenStream {
    let m = &input.model;
    let vis = input.vis;
    let sort_ty = &key.ty;
    let prefix_ty = names::prefix_builder(sort_ty);
    let segments = &key.template.segments;
    let leading = key.template.leading_literal();
    // The literal after each field (if any).
    let mut stages = Vec::new();
    let mut n = 0usize;
    for (i, segment) in segments.iter().enumerate() {
        let Segment::Field(name) = segment else {
            continue;
        };
        let Some(field) = key.fields.iter().find(|f| f.rust_name == *name) else {
            continue;
        };
        let next = match segments.get(i + 1) {
            Some(Segment::Literal(text)) => text.clone(),
            _ => String::new(),
        };
        let is_last = !segments[i + 1..]
            .iter()
            .any(|s| matches!(s, Segment::Field(_)));
        let field_ident = field.ident;
        let field_ty = component_ty(field);
        let separators = separators(m, segments, i);
        let (item, attribute, template_text) = (input.ident, &key.attribute, key.text());
        // The first component that holds a separator is kept, and refused by the query.
        let refuse = |found: TokenStream| {
            // No `let` chain: the generated code compiles in the caller's edition.
            quote! {
                if self.refused.is_none() {
                    if let ::core::option::Option::Some(__separator) = #found {
                        self.refused = ::core::option::Option::Some(
                            #m::template::Refused::new::<#item>(#attribute, #template_text, #name, __separator),
                        );
                    }
                }
            }
        };
        let whole_refuse = refuse(quote! {
            (&&#m::template::Component::<#field_ty>::new()).separator_component(&value, #separators)
        });
        let partial_refuse = refuse(quote!(#separators.first_in(start)));
        let whole = (!is_last).then(|| {
            let next_stage = n + 1;
            let doc = format!(
                "Items whose `{{{}}}` is `value`: the prefix up to the separator after it.",
                field.rust_name
            );
            quote! {
                #[doc = #doc]
                pub fn #field_ident(
                    mut self,
                    value: impl ::core::convert::Into<#field_ty>,
                ) -> #prefix_ty<#next_stage> {
                    #[allow(unused_imports)]
                    use #m::template::{ComponentFallback as _, ComponentOps as _};
                    let value: #field_ty = ::core::convert::Into::into(value);
                    #whole_refuse
                    (&&#m::template::Component::<#field_ty>::new())
                        .render_component(&value, &mut self.text);
                    self.text.push_str(#next);
                    #prefix_ty { text: self.text, refused: self.refused }
                }
            }
        });
        let is_string = matches!(field_ty, syn::Type::Path(p) if p.path.is_ident("String"));
        let partial = is_string.then(|| {
            let method = format_ident!("{}_starts_with", field.rust_name);
            let doc = format!(
                "Items whose `{{{}}}` starts with `start` (a day of an ISO 8601 time, say).",
                field.rust_name
            );
            quote! {
                #[doc = #doc]
                pub fn #method(mut self, start: &str) -> #m::KeyPrefix<#sort_ty> {
                    #partial_refuse
                    self.text.push_str(start);
                    #m::KeyPrefix::with_refusal(self.text, self.refused)
                }
            }
        });
        stages.push(quote! {
            #[automatically_derived]
            impl #prefix_ty<#n> {
                #whole
                #partial
            }
        });
        n += 1;
    }
    let doc = format!(
        "A `begins_with` prefix of [`{sort_ty}`] (`{}`), built from its leading components in \
         order; `N` counts the components given.",
        key.text()
    );
    let prefix_doc = format!(
        "The prefix of every [`{sort_ty}`]: `{leading}`; continue with the template's first \
         component."
    );
    quote! {
        #[doc = #doc]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #vis struct #prefix_ty<const N: usize> {
            text: ::std::string::String,
            refused: ::core::option::Option<#m::template::Refused>,
        }

        #[automatically_derived]
        impl #sort_ty {
            #[doc = #prefix_doc]
            pub fn prefix() -> #prefix_ty<0> {
                #prefix_ty {
                    text: ::std::string::String::from(#leading),
                    refused: ::core::option::Option::None,
                }
            }
        }

        #(#stages)*

        #[automatically_derived]
        impl<const N: usize> ::core::convert::From<#prefix_ty<{ N }>> for #m::KeyPrefix<#sort_ty> {
            fn from(prefix: #prefix_ty<{ N }>) -> Self {
                #m::KeyPrefix::with_refusal(prefix.text, prefix.refused)
            }
        }

        /// For the queries of a collection, whose sort key is the rendered text.
        #[automatically_derived]
        impl<const N: usize> ::core::convert::From<#prefix_ty<{ N }>>
            for #m::KeyPrefix<::std::string::String>
        {
            fn from(prefix: #prefix_ty<{ N }>) -> Self {
                #m::KeyPrefix::with_refusal(prefix.text, prefix.refused)
            }
        }
    }
}
