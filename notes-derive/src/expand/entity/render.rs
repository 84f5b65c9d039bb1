//! The code that renders an entity's keys from its fields, checks that no component holds
//! a separator, and parses a stored key back.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::{Field, option_inner};
use crate::expand::entity::keys::{IndexKeys, Key, component_ty, self_field};
use crate::template::Segment;

/// `notes_model::template::Separators::around(before, after)` for the component at `i` of
/// `segments`: the literal texts next to it (empty at either end).
pub(crate) fn separators(m: &TokenStream, segments: &[Segment], i: usize) -> TokenStream {
    let literal = |segment: Option<&Segment>| match segment {
        Some(Segment::Literal(text)) => text.clone(),
        _ => String::new(),
    };
    let before = literal(i.checked_sub(1).and_then(|i| segments.get(i)));
    let after = literal(segments.get(i + 1));
    quote!(#m::template::Separators::around(#before, #after))
}

/// The check that the component at `i` (field `name` of type `ty`, read by `value`) holds
/// none of its separators, returning `Error::KeyComponent` for item type `owner`.
pub(crate) fn separator_check(
    m: &TokenStream,
    key: &Key<'_, '_>,
    i: usize,
    (name, ty, value): (&str, &syn::Type, &TokenStream),
    owner: &TokenStream,
) -> TokenStream {
    let attribute = &key.attribute;
    let template_text = key.text();
    let separators = separators(m, &key.template.segments, i);
    quote! {
        if let ::core::option::Option::Some(__separator) =
            (&&#m::template::Component::<#ty>::new()).separator_component(#value, #separators)
        {
            return ::core::result::Result::Err(#m::template::separator_error::<#owner>(
                #attribute, #template_text, #name, __separator,
            ));
        }
    }
}

/// The statements that append a template's rendering to `__out`, reading each field as
/// `self.field`; `checked` adds the separator checks (returning `Err`).
pub(crate) fn render_body(
    m: &TokenStream,
    key: &Key<'_, '_>,
    checked: bool,
    access: &dyn Fn(&Field<'_>) -> TokenStream,
) -> TokenStream {
    let template_text = key.text();
    let segments = &key.template.segments;
    let statements = segments
        .iter()
        .enumerate()
        .map(|(i, segment)| match segment {
            Segment::Literal(text) => quote!(__out.push_str(#text);),
            Segment::Field(name) => {
                let Some(found) = key.fields.iter().find(|f| f.rust_name == *name) else {
                    return quote!();
                };
                let value = access(found);
                let ty = component_ty(found);
                let check =
                    checked.then(|| separator_check(m, key, i, (name, ty, &value), &quote!(Self)));
                quote! {
                    #check
                    (&&#m::template::Component::<#ty>::new()).render_component(#value, &mut __out);
                }
            }
        });
    let capacity = template_text.len() + 16 * key.fields.len();
    quote! {
        #[allow(unused_imports)]
        use #m::template::{ComponentFallback as _, ComponentOps as _};
        let mut __out = ::std::string::String::with_capacity(#capacity);
        #(#statements)*
    }
}

/// The item's hidden method rendering its `which` (`partition` or `sort`) key.
pub(crate) fn item_render_fn(which: &str) -> syn::Ident {
    format_ident!("__notes_render_{}", which)
}

/// [`item_render_fn`]: the item's rendering of `key`, checked (a string may not hold its
/// separator), from its fields; the same code as the value types', on `self`.
pub(crate) fn item_render(m: &TokenStream, key: &Key<'_, '_>, which: &str) -> TokenStream {
    let name = item_render_fn(which);
    let body = render_body(m, key, true, &self_field);
    quote! {
        #[doc(hidden)]
        #[inline]
        fn #name(&self) -> ::core::result::Result<::std::string::String, #m::Error> {
            #body
            ::core::result::Result::Ok(__out)
        }
    }
}

/// The parse of a whole rendering into the value type, or `None`.
pub(crate) fn parse_body(m: &TokenStream, key: &Key<'_, '_>) -> TokenStream {
    let segments = &key.template.segments;
    let steps = segments
        .iter()
        .enumerate()
        .map(|(i, segment)| match segment {
            Segment::Literal(text) => quote! {
                let __rest = __rest.strip_prefix(#text)?;
            },
            Segment::Field(name) => {
                let field = key.fields.iter().find(|f| f.rust_name == *name);
                let (var, ty) = match field {
                    Some(f) => (format_ident!("__c_{}", f.rust_name), component_ty(f)),
                    None => return quote!(),
                };
                let separators = separators(m, segments, i);
                quote! {
                    let (#var, __rest) = (&&#m::template::Component::<#ty>::new())
                        .take_component(__rest, #separators)?;
                }
            }
        });
    let build = key.fields.iter().map(|f| {
        let field = f.ident;
        let var = format_ident!("__c_{}", f.rust_name);
        quote!(#field: #var)
    });
    quote! {
        #[allow(unused_imports)]
        use #m::template::{ComponentFallback as _, ComponentOps as _};
        let __rest: &str = text;
        #(#steps)*
        if !__rest.is_empty() {
            return ::core::option::Option::None;
        }
        ::core::option::Option::Some(Self { #(#build),* })
    }
}

/// The local holding a component (`&T`) while an index key is rendered.
pub(crate) fn local(field: &Field<'_>) -> TokenStream {
    let var = format_ident!("__f_{}", field.rust_name);
    quote!(#var)
}

/// The renderings of an index's keys from components bound as locals `__f_<field>: &T`.
pub(crate) fn index_body(m: &TokenStream, index: &IndexKeys<'_, '_>) -> TokenStream {
    let pk = render_body(m, &index.pk, true, &local);
    let sk = match &index.sk {
        Some(sk) => {
            let body = render_body(m, sk, true, &local);
            quote!(::core::option::Option::Some({ #body __out }))
        }
        None => quote!(::core::option::Option::<::std::string::String>::None),
    };
    quote! {
        let __pk = { #pk __out };
        let __sk = #sk;
    }
}

/// `fn __notes_index_<n>(&self) -> Result<Option<(pk, Option<sk>)>>`: `None` when an `Option`
/// component is `None` (the item is not in the sparse index).
pub(crate) fn index_render_fn(m: &TokenStream, index: &IndexKeys<'_, '_>) -> TokenStream {
    let name = index.render_fn();
    let binds = index.fields().into_iter().map(|field| {
        let ident = field.ident;
        let var = local(field);
        let ty = component_ty(field);
        if option_inner(field.ty).is_some() {
            quote! {
                let #var: &#ty = match &self.#ident {
                    ::core::option::Option::Some(value) => value,
                    ::core::option::Option::None => return ::core::result::Result::Ok(::core::option::Option::None),
                };
            }
        } else {
            quote!(let #var: &#ty = &self.#ident;)
        }
    });
    let body = index_body(m, index);
    quote! {
        #[doc(hidden)]
        #[inline]
        #[allow(clippy::type_complexity)]
        fn #name(
            &self,
        ) -> ::core::result::Result<
            ::core::option::Option<(::std::string::String, ::core::option::Option<::std::string::String>)>,
            #m::Error,
        > {
            #(#binds)*
            #body
            ::core::result::Result::Ok(::core::option::Option::Some((__pk, __sk)))
        }
    }
}
