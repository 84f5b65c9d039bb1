//! `Item::computed_updates`: an update that writes a component of a templated index key
//! rewrites the index attributes too.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::{Input, option_inner};
use crate::expand::entity::keys::{IndexKeys, Key, component_ty};
use crate::expand::entity::render::{index_body, local};

/// `Item::computed_updates`: for each templated index whose components an update writes, the
/// index attributes recomputed from the update's values and the key's components (`SET`), or
/// removed when a component is removed or set to `None` (`REMOVE`, a sparse index).
pub(crate) fn computed_updates(
    input: &Input<'_>,
    key_ident: &syn::Ident,
    pk: &Key<'_, '_>,
    sk: Option<&Key<'_, '_>>,
    indexes: &[IndexKeys<'_, '_>],
) -> TokenStream {
    let m = &input.model;
    if indexes.is_empty() {
        return TokenStream::new();
    }
    let per_index = indexes.iter().map(|index| {
        let fields = index.fields();
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        let index_name = &index.name;
        let pk_name = &index.pk.attribute;
        let pk_text = index.pk.text();
        // Each component as `Option<T>` (`None`: the item leaves the index).
        let binds = fields.iter().map(|field| {
            let var = format_ident!("__o_{}", field.rust_name);
            let ty = component_ty(field);
            let field_ty = field.ty;
            let ident = field.ident;
            let name = &field.name;
            let from_key = if pk.fields.iter().any(|f| f.ident == field.ident) {
                Some(quote!(&__key.partition.#ident))
            } else if sk.is_some_and(|sk| sk.fields.iter().any(|f| f.ident == field.ident)) {
                Some(quote!(&__key.sort.#ident))
            } else {
                None
            };
            if let Some(from_key) = from_key {
                return quote! {
                    let #var: ::core::option::Option<#ty> =
                        ::core::option::Option::Some(::core::clone::Clone::clone(#from_key));
                };
            }
            let to_option = if option_inner(field.ty).is_some() {
                quote!(__decoded)
            } else {
                quote!(::core::option::Option::Some(__decoded))
            };
            quote! {
                let #var: ::core::option::Option<#ty> = {
                    #[allow(unused_imports)]
                    use #m::convert::{DecodeDirect as _, DecodeSerde as _};
                    let __slot = #m::convert::Slot::<#field_ty>::new();
                    let __decoded: #field_ty = match #m::template::update_of(__update, #name) {
                        ::core::option::Option::Some(::core::option::Option::Some(__value)) => (&&__slot)
                            .decode_field_ref(__value)
                            .map_err(|error| #m::convert::write_error::<Self>(#name, error))?,
                        ::core::option::Option::Some(::core::option::Option::None) => (&&__slot)
                            .missing_field(#name)
                            .map_err(|error| #m::convert::write_error::<Self>(#name, error))?,
                        ::core::option::Option::None => {
                            return ::core::result::Result::Err(#m::template::missing_component::<Self>(
                                __update, #index_name, #pk_name, #pk_text, &[#(#names),*], #name,
                            ));
                        }
                    };
                    #to_option
                };
            }
        });
        let options = fields.iter().map(|field| format_ident!("__o_{}", field.rust_name));
        let locals = fields.iter().map(|field| local(field));
        let body = index_body(m, index);
        let sk_set = index.sk.as_ref().map(|sk| {
            let name = &sk.attribute;
            quote! {
                if let ::core::option::Option::Some(__sk) = __sk {
                    __actions.push(#m::expr::UpdateAction::Set(
                        #m::expr::Path::attribute(#name),
                        #m::expr::SetValue::Value(#m::expr::Operand::Value(#m::AttributeValue::S(__sk))),
                    ));
                }
            }
        });
        let sk_remove = index.sk.as_ref().map(|sk| {
            let name = &sk.attribute;
            quote!(__actions.push(#m::expr::UpdateAction::Remove(#m::expr::Path::attribute(#name)));)
        });
        quote! {
            if #m::template::touches(__update, &[#(#names),*]) {
                #(#binds)*
                match (#(&#options,)*) {
                    (#(::core::option::Option::Some(#locals),)*) => {
                        #body
                        __actions.push(#m::expr::UpdateAction::Set(
                            #m::expr::Path::attribute(#pk_name),
                            #m::expr::SetValue::Value(#m::expr::Operand::Value(#m::AttributeValue::S(__pk))),
                        ));
                        #sk_set
                    }
                    #[allow(unreachable_patterns)]
                    _ => {
                        __actions.push(#m::expr::UpdateAction::Remove(#m::expr::Path::attribute(#pk_name)));
                        #sk_remove
                    }
                }
            }
        }
    });
    quote! {
        fn computed_updates(
            __key: &#key_ident,
            __update: &#m::expr::Update,
        ) -> ::core::result::Result<::std::vec::Vec<#m::expr::UpdateAction>, #m::Error> {
            let mut __actions = ::std::vec::Vec::new();
            #(#per_index)*
            ::core::result::Result::Ok(__actions)
        }
    }
}
