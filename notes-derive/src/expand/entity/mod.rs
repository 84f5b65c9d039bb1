//! An item whose keys are computed from templates (an entity of a shared table): the key value
//! types (`NotePartition`, `NoteSort`), the prefix builder (`NoteSortPrefix`), the key
//! (`NoteKey`), and the `Item` members that write and check the computed attributes.

mod hooks;
mod keys;
mod prefix;
mod render;
mod updates;
mod value_type;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Field, Input};
use crate::expand::item::Parts;
use crate::expand::key_struct::{Constructor, KeyField, KeyStruct};
use crate::expand::spans::respan;
use crate::names;

use keys::{IndexKeys, Key, component_ty, distinct_fields};

/// The parts of an entity; nothing when its partition template does not read (reported by
/// validation).
pub(crate) fn parts<'a>(input: &'a Input<'a>) -> Result<Parts<'a>, TokenStream> {
    let m = &input.model;
    let ident = input.ident;
    let attrs = &input.attrs;
    let (Some(pk_template), Some(pk_attr)) = (&input.partition_template, &attrs.partition_template)
    else {
        return Err(TokenStream::new());
    };
    let (partition_ty, sort_ty) = names::value_types(ident);
    let pk = Key::new(input, pk_attr.attribute("pk"), pk_template, partition_ty);
    let sk = match (&input.sort_template, &attrs.sort_template) {
        (Some(template), Some(attr)) => {
            Some(Key::new(input, attr.attribute("sk"), template, sort_ty))
        }
        _ => None,
    };
    let entity_name = attrs
        .entity
        .as_ref()
        .map(syn::LitStr::value)
        .unwrap_or_default();
    let entity_attribute = attrs
        .entity_attribute
        .as_ref()
        .map_or_else(|| "_et".to_owned(), syn::LitStr::value);
    let sort_prefix = sk
        .as_ref()
        .map(|sk| sk.template.leading_literal())
        .unwrap_or_default();
    let key_ident = names::key_struct(ident);
    let indexes = IndexKeys::of(input);
    let table_keys: Vec<&Key<'_, '_>> = std::iter::once(&pk).chain(&sk).collect();

    let index_types = indexes.iter().map(|index| index_types(input, index));
    let index_renders = indexes
        .iter()
        .map(|index| render::index_render_fn(m, index));
    let pk_type = value_type::value_type(input, &pk, "partition");
    let sk_type = sk
        .as_ref()
        .map(|sk| value_type::value_type(input, sk, "sort"));
    let prefix = sk.as_ref().map(|sk| prefix::prefix_builder(input, sk));
    let pk_render = render::item_render(m, &pk, "partition");
    let sk_render = sk.as_ref().map(|sk| render::item_render(m, sk, "sort"));

    let pk_name = &pk.attribute;
    let sk_schema = match &sk {
        Some(sk) => {
            let name = &sk.attribute;
            quote!(::core::option::Option::Some(#m::KeyAttribute::new(#name, #m::ScalarType::S)))
        }
        None => quote!(::core::option::Option::None),
    };
    let key_components = distinct_fields(table_keys.iter().copied())
        .into_iter()
        .map(|field| &field.name);
    let key = key_struct(input, &pk, sk.as_ref());
    let key_of_self = key_value(
        &key.ident,
        (&pk, sk.as_ref()),
        &|field| quote!(&self.#field),
    );

    let hooks = hooks::hooks(
        m,
        (&pk, sk.as_ref()),
        &indexes,
        (&entity_name, &entity_attribute),
    );
    let computed_updates = updates::computed_updates(input, &key_ident, &pk, sk.as_ref(), &indexes);
    let component_checks = component_checks(
        m,
        table_keys
            .iter()
            .copied()
            .chain(indexes.iter().flat_map(IndexKeys::keys))
            .flat_map(|key| &key.fields),
    );
    let pk_ty = &pk.ty;
    Ok(Parts {
        key_schema: quote! {
            #m::KeySchema {
                partition_key: #m::KeyAttribute::new(#pk_name, #m::ScalarType::S),
                sort_key: #sk_schema,
            }
        },
        key,
        key_of_self,
        members: quote! {
            const ENTITY: ::core::option::Option<#m::Entity> = ::core::option::Option::Some(
                #m::Entity::new(#entity_name, #entity_attribute).with_sort_prefix(#sort_prefix),
            );

            const KEY_COMPONENTS: &'static [&'static str] = &[#(#key_components),*];

            #computed_updates
        },
        hooks: Some(hooks),
        items: quote! {
            #pk_type
            #sk_type
            #prefix
            #(#index_types)*

            #[automatically_derived]
            impl #ident {
                #pk_render
                #sk_render
                #(#index_renders)*
            }
        },
        checks: quote! {
            #component_checks

            const _: () = {
                // The partition key type is a key value (keeps the bound visible to readers).
                let _ = <#pk_ty as #m::KeyValue>::SCALAR_TYPE;
            };
        },
    })
}

/// One `KeyComponent` assertion per component, spanned on the field's type, so that a type
/// that cannot be rendered in order is reported there with the trait's message.
fn component_checks<'f, 'a: 'f>(
    m: &TokenStream,
    fields: impl Iterator<Item = &'f &'f Field<'a>>,
) -> TokenStream {
    let checks = fields.map(|field| {
        let ty = component_ty(field);
        let span = ty.span();
        let m = respan(m, span);
        quote_spanned!(span=> {
            fn __component<C: #m::KeyComponent>() {}
            __component::<#ty>();
        })
    });
    quote! {
        const _: () = {
            #[allow(dead_code)]
            fn __key_components() {
                #(#checks)*
            }
        };
    }
}

/// `NoteKey { partition: NotePartition, sort: NoteSort }`, made with `NoteKey::new` from the
/// components, each once, in template order.
fn key_struct<'a>(
    input: &'a Input<'a>,
    pk: &Key<'_, '_>,
    sk: Option<&Key<'_, '_>>,
) -> KeyStruct<'a> {
    let ident = input.ident;
    let key_ident = names::key_struct(ident);
    let components = distinct_fields(std::iter::once(pk).chain(sk));
    let params = components.iter().map(|f| {
        let field = f.ident;
        let ty = f.ty;
        quote!(#field: impl ::core::convert::Into<#ty>)
    });
    let lets = components.iter().map(|f| {
        let field = f.ident;
        let ty = f.ty;
        quote!(let #field: #ty = ::core::convert::Into::into(#field);)
    });
    let value = key_value(&key_ident, (pk, sk), &|field| quote!(&#field));
    let value_type = |key: &Key<'_, '_>| {
        let ty = &key.ty;
        quote!(#ty)
    };
    KeyStruct {
        model: &input.model,
        item: ident,
        vis: input.vis,
        doc: format!(
            "The primary key of [`{ident}`]: `{}` = `{}`{}.",
            pk.attribute,
            pk.text(),
            sk.map_or(String::new(), |sk| format!(
                ", `{}` = `{}`",
                sk.attribute,
                sk.text()
            ))
        ),
        partition: Some(KeyField::new(
            format_ident!("partition"),
            "The partition key.".to_owned(),
            value_type(pk),
        )),
        sort: sk.map(|sk| {
            KeyField::new(
                format_ident!("sort"),
                "The sort key.".to_owned(),
                value_type(sk),
            )
        }),
        new: Some(Constructor {
            doc: format!("A [`{key_ident}`] from its components, in template order."),
            params: params.collect(),
            body: quote! {
                #(#lets)*
                #value
            },
        }),
        placeholder: false,
        ident: key_ident,
    }
}

/// `NoteKey { partition: NotePartition { .. }, sort: NoteSort { .. } }`, each component cloned
/// from `read(field)`.
fn key_value(
    key_ident: &syn::Ident,
    (pk, sk): (&Key<'_, '_>, Option<&Key<'_, '_>>),
    read: &dyn Fn(&syn::Ident) -> TokenStream,
) -> TokenStream {
    let value = |key: &Key<'_, '_>| {
        let ty = &key.ty;
        let inits = key.fields.iter().map(|f| {
            let field = f.ident;
            let value = read(field);
            quote!(#field: ::core::clone::Clone::clone(#value))
        });
        quote!(#ty { #(#inits),* })
    };
    let partition = value(pk);
    let sort = sk.map(|sk| {
        let sort = value(sk);
        quote!(sort: #sort,)
    });
    quote!(#key_ident { partition: #partition, #sort })
}

/// A templated index's key value types (`NoteGsi1Partition`, `NoteGsi1Sort`), its sort key's
/// prefix builder, and its `TemplateIndex` impl.
fn index_types(input: &Input<'_>, index: &IndexKeys<'_, '_>) -> TokenStream {
    let m = &input.model;
    let ident = input.ident;
    let pk_type = value_type::value_type(input, &index.pk, "index partition");
    let sk_type = index
        .sk
        .as_ref()
        .map(|sk| value_type::value_type(input, sk, "index sort"));
    let prefix = index
        .sk
        .as_ref()
        .map(|sk| prefix::prefix_builder(input, sk));
    let position = index.position;
    let pk_ty = &index.pk.ty;
    let (sk_ty, sk_text) = match &index.sk {
        Some(sk) => {
            let ty = &sk.ty;
            (quote!(#ty), quote!(::std::string::String))
        }
        None => (quote!(#m::NoSortKey), quote!(#m::NoSortKey)),
    };
    quote! {
        #pk_type
        #sk_type
        #prefix

        #[automatically_derived]
        impl #m::TemplateIndex<#position> for #ident {
            type Partition = #pk_ty;
            type Sort = #sk_ty;
            type SortText = #sk_text;
        }
    }
}
