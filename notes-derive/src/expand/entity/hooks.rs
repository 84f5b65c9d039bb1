//! What an entity adds to `to_item` and `from_item`: its computed key and index attributes
//! and its entity attribute are written, and checked when an item is read.

use proc_macro2::TokenStream;
use quote::quote;

use crate::expand::convert::Hooks;
use crate::expand::entity::keys::{IndexKeys, Key};
use crate::expand::entity::render::item_render_fn;

/// The conversion hooks of an entity stored as `entity_name` in `entity_attribute`, with table
/// keys `pk` and `sk` and templated `indexes`.
pub(crate) fn hooks(
    m: &TokenStream,
    (pk, sk): (&Key<'_, '_>, Option<&Key<'_, '_>>),
    indexes: &[IndexKeys<'_, '_>],
    (entity_name, entity_attribute): (&str, &str),
) -> Hooks {
    let pk_name = &pk.attribute;
    let pk_fn = item_render_fn("partition");
    let sk_fn = item_render_fn("sort");
    let pk_template_text = pk.text();
    let mut write = quote! {
        __item.insert(
            ::std::string::String::from(#pk_name),
            #m::AttributeValue::S(self.#pk_fn()?),
        );
    };
    let mut post = quote! {
        #m::template::check_stored::<Self>(
            &__item,
            &<Self as #m::Item>::KEY_SCHEMA,
            #pk_name,
            #pk_template_text,
            &__value.#pk_fn()?,
        )?;
    };
    if let Some(sk) = sk {
        let sk_name = &sk.attribute;
        let sk_template_text = sk.text();
        write.extend(quote! {
            __item.insert(
                ::std::string::String::from(#sk_name),
                #m::AttributeValue::S(self.#sk_fn()?),
            );
        });
        post.extend(quote! {
            #m::template::check_stored::<Self>(
                &__item,
                &<Self as #m::Item>::KEY_SCHEMA,
                #sk_name,
                #sk_template_text,
                &__value.#sk_fn()?,
            )?;
        });
    }
    for index in indexes {
        let render = index.render_fn();
        let pk_name = &index.pk.attribute;
        let pk_text = index.pk.text();
        let (sk_write, sk_check, sk_absent) = match &index.sk {
            Some(sk) => {
                let sk_name = &sk.attribute;
                let sk_text = sk.text();
                (
                    quote! {
                        if let ::core::option::Option::Some(__sk) = __sk {
                            __item.insert(
                                ::std::string::String::from(#sk_name),
                                #m::AttributeValue::S(__sk),
                            );
                        }
                    },
                    quote! {
                        if let ::core::option::Option::Some(__sk) = __sk {
                            #m::template::check_stored::<Self>(
                                &__item, &<Self as #m::Item>::KEY_SCHEMA, #sk_name, #sk_text, &__sk,
                            )?;
                        }
                    },
                    quote! {
                        #m::template::check_absent::<Self>(
                            &__item, &<Self as #m::Item>::KEY_SCHEMA, #sk_name, #sk_text,
                        )?;
                    },
                )
            }
            None => (quote!(let _ = __sk;), quote!(let _ = __sk;), quote!()),
        };
        write.extend(quote! {
            if let ::core::option::Option::Some((__pk, __sk)) = self.#render()? {
                __item.insert(
                    ::std::string::String::from(#pk_name),
                    #m::AttributeValue::S(__pk),
                );
                #sk_write
            }
        });
        post.extend(quote! {
            match __value.#render()? {
                ::core::option::Option::Some((__pk, __sk)) => {
                    #m::template::check_stored::<Self>(
                        &__item, &<Self as #m::Item>::KEY_SCHEMA, #pk_name, #pk_text, &__pk,
                    )?;
                    #sk_check
                }
                ::core::option::Option::None => {
                    #m::template::check_absent::<Self>(
                        &__item, &<Self as #m::Item>::KEY_SCHEMA, #pk_name, #pk_text,
                    )?;
                    #sk_absent
                }
            }
        });
    }
    write.extend(quote! {
        __item.insert(
            ::std::string::String::from(#entity_attribute),
            #m::AttributeValue::S(::std::string::String::from(#entity_name)),
        );
    });
    let pre = quote! {
        #m::template::check_entity::<Self>(
            &__item,
            &<Self as #m::Item>::KEY_SCHEMA,
            &<Self as #m::Item>::ENTITY.expect("an entity"),
        )?;
    };
    Hooks {
        write,
        pre,
        post,
        extra_attributes: 2 + usize::from(sk.is_some()) + 2 * indexes.len(),
        computed: std::iter::once(pk.attribute.clone())
            .chain(sk.map(|sk| sk.attribute.clone()))
            .chain([entity_attribute.to_owned()])
            .chain(indexes.iter().flat_map(|index| {
                std::iter::once(index.pk.attribute.clone())
                    .chain(index.sk.as_ref().map(|sk| sk.attribute.clone()))
            }))
            .collect(),
    }
}
