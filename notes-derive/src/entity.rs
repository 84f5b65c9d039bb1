//! Code generation for an item with computed keys (an entity of a shared table): the key value
//! types (`NotePartition`, `NoteSort`), the prefix builder (`NoteSortPrefix`), the key
//! (`NoteKey`), and the `Item` impl that writes and checks the computed attributes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Field, Input, option_inner};
use crate::convert::Hooks;
use crate::template::{Segment, Template};

/// One computed key attribute and its template, resolved against the fields.
struct Key<'i, 'a> {
    /// The stored attribute (`pk`).
    attribute: String,
    template: &'i Template,
    /// The generated value type (`NotePartition`).
    ty: syn::Ident,
    /// The template's fields, in order.
    fields: Vec<&'i Field<'a>>,
}

impl<'i, 'a> Key<'i, 'a> {
    fn new(
        input: &'i Input<'a>,
        attribute: String,
        template: &'i Template,
        ty: syn::Ident,
    ) -> Self {
        let fields = template
            .fields()
            .filter_map(|name| input.fields.iter().find(|f| f.rust_name == name))
            .collect();
        Key {
            attribute,
            template,
            ty,
            fields,
        }
    }

    fn text(&self) -> String {
        self.template.lit.value()
    }
}

/// A component's type in a key value: `T` for a field of type `Option<T>` (a sparse index).
fn component_ty<'a>(field: &Field<'a>) -> &'a syn::Type {
    option_inner(field.ty).unwrap_or(field.ty)
}

/// `self.field`, borrowed: how the table keys and the value types read a component.
fn self_field(field: &Field<'_>) -> TokenStream {
    let ident = field.ident;
    quote!(&self.#ident)
}

/// A templated index: its keys, resolved against the fields.
pub(crate) struct IndexKeys<'i, 'a> {
    position: usize,
    name: String,
    pk: Key<'i, 'a>,
    sk: Option<Key<'i, 'a>>,
}

/// `Gsi1` for `gsi1`, `ByTag` for `byTag` / `by-tag`.
pub(crate) fn pascal(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for ch in name.chars() {
        if !ch.is_ascii_alphanumeric() {
            upper = true;
        } else if upper {
            out.push(ch.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// The generated partition and sort value types of templated index `name` of `ident`.
pub(crate) fn index_types(ident: &syn::Ident, name: &str) -> (syn::Ident, syn::Ident) {
    let base = format!("{ident}{}", pascal(name));
    (
        format_ident!("{}Partition", base),
        format_ident!("{}Sort", base),
    )
}

/// The templated indexes of `input` whose templates read.
fn templated_indexes<'i, 'a>(input: &'i Input<'a>) -> Vec<IndexKeys<'i, 'a>> {
    input
        .attrs
        .indexes
        .iter()
        .zip(&input.index_templates)
        .enumerate()
        .filter_map(|(position, (index, (pk, sk)))| {
            let name = index.name.as_ref()?.value();
            let (pk_ty, sk_ty) = index_types(input.ident, &name);
            let pk = Key::new(
                input,
                index
                    .partition_template
                    .as_ref()?
                    .attribute(&format!("{name}pk")),
                pk.as_ref()?,
                pk_ty,
            );
            let sk = match (&index.sort_template, sk) {
                (Some(attr), Some(template)) => Some(Key::new(
                    input,
                    attr.attribute(&format!("{name}sk")),
                    template,
                    sk_ty,
                )),
                (None, _) => None,
                (Some(_), None) => return None,
            };
            Some(IndexKeys {
                position,
                name,
                pk,
                sk,
            })
        })
        .collect()
}

pub(crate) fn derive(input: &Input<'_>) -> TokenStream {
    let m = &input.model;
    let ident = input.ident;
    let vis = input.vis;
    let attrs = &input.attrs;
    let (Some(pk_template), Some(pk_attr)) = (&input.partition_template, &attrs.partition_template)
    else {
        return TokenStream::new(); // reported by validation
    };
    let pk = Key::new(
        input,
        pk_attr.attribute("pk"),
        pk_template,
        format_ident!("{}Partition", ident),
    );
    let sk = match (&input.sort_template, &attrs.sort_template) {
        (Some(template), Some(attr)) => Some(Key::new(
            input,
            attr.attribute("sk"),
            template,
            format_ident!("{}Sort", ident),
        )),
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
    let key_ident = format_ident!("{}Key", ident);
    let indexes = templated_indexes(input);

    let checks = component_checks(
        m,
        pk.fields
            .iter()
            .chain(sk.iter().flat_map(|sk| &sk.fields))
            .chain(indexes.iter().flat_map(|index| {
                index
                    .pk
                    .fields
                    .iter()
                    .chain(index.sk.iter().flat_map(|sk| &sk.fields))
            })),
    );
    let index_types = indexes.iter().map(|index| {
        let pk_type = value_type(input, &index.pk, "index partition");
        let sk_type = index
            .sk
            .as_ref()
            .map(|sk| value_type(input, sk, "index sort"));
        let prefix = index.sk.as_ref().map(|sk| prefix_builder(input, sk));
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
    });
    let index_renders = indexes.iter().map(|index| index_render_fn(m, index));
    let computed_updates = computed_updates(input, &key_ident, &pk, sk.as_ref(), &indexes);
    let pk_type = value_type(input, &pk, "partition");
    let sk_type = sk.as_ref().map(|sk| value_type(input, sk, "sort"));
    let prefix = sk.as_ref().map(|sk| prefix_builder(input, sk));
    let key_struct = key_struct(input, &key_ident, &pk, sk.as_ref());

    let pk_name = &pk.attribute;
    let sk_schema = match &sk {
        Some(sk) => {
            let name = &sk.attribute;
            quote!(::core::option::Option::Some(#m::KeyAttribute::new(#name, #m::ScalarType::S)))
        }
        None => quote!(::core::option::Option::None),
    };
    let key_components = {
        let mut names: Vec<&str> = Vec::new();
        for field in pk.fields.iter().chain(sk.iter().flat_map(|sk| &sk.fields)) {
            if !names.contains(&field.name.as_str()) {
                names.push(&field.name);
            }
        }
        names
    };
    let key_expr = {
        let pk_ty = &pk.ty;
        let pk_fields = pk.fields.iter().map(|f| {
            let field = f.ident;
            quote!(#field: ::core::clone::Clone::clone(&self.#field))
        });
        let sort = sk.as_ref().map(|sk| {
            let sk_ty = &sk.ty;
            let sk_fields = sk.fields.iter().map(|f| {
                let field = f.ident;
                quote!(#field: ::core::clone::Clone::clone(&self.#field))
            });
            quote!(sort: #sk_ty { #(#sk_fields),* },)
        });
        quote!(#key_ident { partition: #pk_ty { #(#pk_fields),* }, #sort })
    };

    // The item's own renderings, checked (a string may not hold its separator), from its
    // fields: the same code as the value types', on `self`.
    let pk_render = render_fn(
        m,
        &pk,
        format_ident!("__notes_render_{}", "partition"),
        true,
    );
    let sk_render = sk
        .as_ref()
        .map(|sk| render_fn(m, sk, format_ident!("__notes_render_{}", "sort"), true));
    let hooks = {
        let pk_fn = format_ident!("__notes_render_partition");
        let sk_fn = format_ident!("__notes_render_sort");
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
        if let Some(sk) = &sk {
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
        for index in &indexes {
            let render = index_fn(index);
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
                .chain(sk.as_ref().map(|sk| sk.attribute.clone()))
                .chain([entity_attribute.clone()])
                .chain(indexes.iter().flat_map(|index| {
                    std::iter::once(index.pk.attribute.clone())
                        .chain(index.sk.as_ref().map(|sk| sk.attribute.clone()))
                }))
                .collect(),
        }
    };
    let conversion = crate::convert::methods_with(input, Some(&hooks));
    let item_extras = crate::expand::item_extras(input);
    let index_handles = crate::expand::index_handles(input, None);
    let table = crate::expand::table(input);
    let handles = crate::expand::handles(input, false);
    let pk_ty = &pk.ty;
    let sk_ty = match &sk {
        Some(sk) => {
            let ty = &sk.ty;
            quote!(#ty)
        }
        None => quote!(#m::NoSortKey),
    };
    let _ = (vis, sk_ty);

    quote! {
        #pk_type
        #sk_type
        #prefix
        #key_struct
        #(#index_types)*

        #[automatically_derived]
        impl #ident {
            #pk_render
            #sk_render
            #(#index_renders)*
        }

        #[automatically_derived]
        impl #m::Item for #ident {
            type Key = #key_ident;

            const KEY_SCHEMA: #m::KeySchema = #m::KeySchema {
                partition_key: #m::KeyAttribute::new(#pk_name, #m::ScalarType::S),
                sort_key: #sk_schema,
            };

            const ENTITY: ::core::option::Option<#m::Entity> = ::core::option::Option::Some(
                #m::Entity::new(#entity_name, #entity_attribute).with_sort_prefix(#sort_prefix),
            );

            const KEY_COMPONENTS: &'static [&'static str] = &[#(#key_components),*];

            fn key(&self) -> #key_ident {
                #key_expr
            }

            #computed_updates

            #item_extras

            #conversion
        }

        #index_handles

        #table

        #handles

        #checks

        const _: () = {
            // The partition key type is a key value (keeps the bound visible to readers).
            let _ = <#pk_ty as #m::KeyValue>::SCALAR_TYPE;
        };
    }
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
        let m = crate::expand::respan(m, span);
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

/// `notes_model::template::Separators::around(before, after)` for the component at `i` of
/// `segments`: the literal texts next to it (empty at either end).
fn separators(m: &TokenStream, segments: &[Segment], i: usize) -> TokenStream {
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
fn separator_check(
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
fn render_body(
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

/// A hidden method rendering the key from `self` (the item or the value type).
fn render_fn(m: &TokenStream, key: &Key<'_, '_>, name: syn::Ident, checked: bool) -> TokenStream {
    let body = render_body(m, key, checked, &self_field);
    if checked {
        quote! {
            #[doc(hidden)]
            #[inline]
            fn #name(&self) -> ::core::result::Result<::std::string::String, #m::Error> {
                #body
                ::core::result::Result::Ok(__out)
            }
        }
    } else {
        quote! {
            #[doc(hidden)]
            #[inline]
            fn #name(&self) -> ::std::string::String {
                #body
                __out
            }
        }
    }
}

/// The parse of a whole rendering into the value type, or `None`.
fn parse_body(m: &TokenStream, key: &Key<'_, '_>) -> TokenStream {
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

/// `NotePartition` / `NoteSort`: the key value a template renders, with its fields.
fn value_type(input: &Input<'_>, key: &Key<'_, '_>, which: &str) -> TokenStream {
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

/// `NoteSortPrefix<N>`: `begins_with` prefixes of the sort template's leading components,
/// typed stage by stage (`NoteSort::prefix().created_at(..)`), and `<field>_starts_with` for a
/// partial `String` component.
fn prefix_builder(input: &Input<'_>, key: &Key<'_, '_>) -> TokenStream {
    let m = &input.model;
    let vis = input.vis;
    let sort_ty = &key.ty;
    let prefix_ty = format_ident!("{}Prefix", sort_ty);
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
        impl<const N: usize> ::core::convert::From<#prefix_ty<N>> for #m::KeyPrefix<#sort_ty> {
            fn from(prefix: #prefix_ty<N>) -> Self {
                #m::KeyPrefix::with_refusal(prefix.text, prefix.refused)
            }
        }

        /// For the queries of a collection, whose sort key is the rendered text.
        #[automatically_derived]
        impl<const N: usize> ::core::convert::From<#prefix_ty<N>>
            for #m::KeyPrefix<::std::string::String>
        {
            fn from(prefix: #prefix_ty<N>) -> Self {
                #m::KeyPrefix::with_refusal(prefix.text, prefix.refused)
            }
        }
    }
}

/// `NoteKey { partition, sort }` and its `PrimaryKey` impl.
fn key_struct(
    input: &Input<'_>,
    key_ident: &syn::Ident,
    pk: &Key<'_, '_>,
    sk: Option<&Key<'_, '_>>,
) -> TokenStream {
    let m = &input.model;
    let ident = input.ident;
    let vis = input.vis;
    let pk_ty = &pk.ty;
    let doc = format!(
        "The primary key of [`{ident}`]: `{}` = `{}`{}.",
        pk.attribute,
        pk.text(),
        sk.map_or(String::new(), |sk| format!(
            ", `{}` = `{}`",
            sk.attribute,
            sk.text()
        ))
    );
    // `new` takes each component once, in template order.
    let mut components: Vec<&Field<'_>> = Vec::new();
    for field in pk.fields.iter().chain(sk.iter().flat_map(|sk| &sk.fields)) {
        if !components.iter().any(|c| c.ident == field.ident) {
            components.push(field);
        }
    }
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
    let pk_inits = pk.fields.iter().map(|f| {
        let field = f.ident;
        quote!(#field: ::core::clone::Clone::clone(&#field))
    });
    let (sk_field, sk_init, sk_ty, sk_get, sk_from, sk_binding) = match sk {
        Some(sk) => {
            let ty = &sk.ty;
            let inits = sk.fields.iter().map(|f| {
                let field = f.ident;
                quote!(#field: ::core::clone::Clone::clone(&#field))
            });
            (
                quote!(#[doc = "The sort key."] pub sort: #ty,),
                quote!(sort: #ty { #(#inits),* },),
                quote!(#ty),
                quote!(&self.sort),
                quote!(sort: sort_key,),
                quote!(sort_key),
            )
        }
        None => (
            quote!(),
            quote!(),
            quote!(#m::NoSortKey),
            quote!(&#m::NoSortKey),
            quote!(),
            quote!(_sort_key),
        ),
    };
    let new_doc = format!("A [`{key_ident}`] from its components, in template order.");
    quote! {
        #[doc = #doc]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #vis struct #key_ident {
            /// The partition key.
            pub partition: #pk_ty,
            #sk_field
        }

        #[automatically_derived]
        impl #key_ident {
            #[doc = #new_doc]
            #[allow(clippy::redundant_clone)]
            #vis fn new(#(#params),*) -> Self {
                #(#lets)*
                #key_ident {
                    partition: #pk_ty { #(#pk_inits),* },
                    #sk_init
                }
            }
        }

        #[automatically_derived]
        impl #m::PrimaryKey for #key_ident {
            type Item = #ident;
            type PartitionKey = #pk_ty;
            type SortKey = #sk_ty;

            fn from_parts(partition_key: #pk_ty, #sk_binding: #sk_ty) -> Self {
                #key_ident {
                    partition: partition_key,
                    #sk_from
                }
            }

            fn partition_key(&self) -> &#pk_ty {
                &self.partition
            }

            fn sort_key(&self) -> &#sk_ty {
                #sk_get
            }
        }
    }
}

/// The hidden method rendering templated index `index` of the item.
fn index_fn(index: &IndexKeys<'_, '_>) -> syn::Ident {
    format_ident!("__notes_index_{}", index.position)
}

/// The fields of an index's templates, each once, in order.
fn index_fields<'f, 'a>(index: &'f IndexKeys<'_, 'a>) -> Vec<&'f Field<'a>> {
    let mut fields: Vec<&Field<'a>> = Vec::new();
    for field in index
        .pk
        .fields
        .iter()
        .chain(index.sk.iter().flat_map(|sk| &sk.fields))
    {
        if !fields.iter().any(|f| f.ident == field.ident) {
            fields.push(field);
        }
    }
    fields
}

/// The local holding a component (`&T`) while an index key is rendered.
fn local(field: &Field<'_>) -> TokenStream {
    let var = format_ident!("__f_{}", field.rust_name);
    quote!(#var)
}

/// The renderings of an index's keys from components bound as locals `__f_<field>: &T`.
fn index_body(m: &TokenStream, index: &IndexKeys<'_, '_>) -> TokenStream {
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
fn index_render_fn(m: &TokenStream, index: &IndexKeys<'_, '_>) -> TokenStream {
    let name = index_fn(index);
    let binds = index_fields(index).into_iter().map(|field| {
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

/// `Item::computed_updates`: for each templated index whose components an update writes, the
/// index attributes recomputed from the update's values and the key's components (`SET`), or
/// removed when a component is removed or set to `None` (`REMOVE`, a sparse index).
fn computed_updates(
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
        let fields = index_fields(index);
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
                            .decode_field(&mut ::core::clone::Clone::clone(__value))
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
