//! `#[derive(Collection)]`: an enum of entity types sharing a table and a partition key,
//! read by one query. The members are other derives' types, which a proc macro cannot see:
//! the shared table, key attributes, partition template and entity attribute are checked by
//! const assertions, and the partition key's component types by a trait bound, each spanned on
//! the member's type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

use crate::ctxt::Ctxt;
use crate::expand::key_struct::{KeyField, KeyStruct};
use crate::expand::spans::respan;
use crate::names;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let mut krate: Option<syn::Path> = None;
    let mut indexes: Vec<syn::LitStr> = Vec::new();
    for attr in &input.attrs {
        if attr.path().is_ident("collection") {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("crate") {
                    let value: syn::LitStr = meta.value()?.parse()?;
                    krate = Some(value.parse()?);
                    Ok(())
                } else if meta.path.is_ident("index") {
                    let value: syn::LitStr = meta.value()?.parse()?;
                    if indexes.iter().any(|other| other.value() == value.value()) {
                        cx.error_spanned_by(&value, "this index is already named");
                    } else if syn::parse_str::<syn::Ident>(&crate::names::index_handle(&value.value())).is_err() {
                        cx.error_spanned_by(&value, "an index name made of letters, digits, `-`, `_` and `.`");
                    }
                    indexes.push(value);
                    Ok(())
                } else {
                    Err(meta.error("unknown #[collection] option; the options are `index = \"..\"` (a templated index its members share) and `crate = \"...\"`"))
                }
            });
            if let Err(err) = result {
                cx.syn_error(err);
            }
        }
    }
    let m = match &krate {
        Some(path) => quote!(#path),
        None => quote!(::notes_repo::__model),
    };
    let mut members: Vec<(&syn::Ident, &syn::Type)> = Vec::new();
    match &input.data {
        Data::Enum(data) => {
            if data.variants.is_empty() {
                cx.error_spanned_by(
                    &input.ident,
                    "a collection needs at least one member: `enum UserData { Profile(User), Note(Note) }`",
                );
            }
            for variant in &data.variants {
                match &variant.fields {
                    Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                        let ty = &fields.unnamed[0].ty;
                        let spelt = quote!(#ty).to_string();
                        if members
                            .iter()
                            .any(|(_, other)| quote!(#other).to_string() == spelt)
                        {
                            cx.error_spanned_by(
                                ty,
                                format_args!(
                                    "`{spelt}` is already a member of this collection: an item is \
                                     read as the one variant of its entity"
                                ),
                            );
                        }
                        members.push((&variant.ident, ty));
                    }
                    _ => cx.error_spanned_by(
                        variant,
                        format_args!(
                            "each variant of a collection holds one entity type: `{}(Entity)`",
                            variant.ident
                        ),
                    ),
                }
            }
        }
        _ => cx.error_spanned_by(
            &input.ident,
            "#[derive(Collection)] goes on an enum with one variant per entity type: \
             `enum UserData { Profile(User), Note(Note) }`",
        ),
    }
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "a collection cannot have generic parameters",
        );
    }
    if let Err(errors) = cx.check() {
        return errors.into_compile_error();
    }
    let mut out = expand(input, &m, &members);
    for index in &indexes {
        out.extend(expand_index(input, &m, &members, index));
    }
    out
}

/// `#[collection(index = "gsi1")]`: every member declares templated index `gsi1` with the
/// same key attributes and the same partition template shape (checked at compile time on the
/// member's type), and the collection gets a typed handle (`UserData::GSI1`) to query it, as
/// the first member's handle but returning the collection.
fn expand_index(
    input: &DeriveInput,
    m: &TokenStream,
    members: &[(&syn::Ident, &syn::Type)],
    index: &syn::LitStr,
) -> TokenStream {
    let ident = &input.ident;
    let vis = &input.vis;
    let name = index.value();
    let (_, first) = members[0];
    let first_name = quote!(#first).to_string().replace(' ', "");
    let position =
        |ty: &syn::Type| quote!({ #m::index_position(<#ty as #m::Item>::INDEXES, #name) });
    let checks = members.iter().map(|(_, ty)| {
        let span = ty.span();
        let m = respan(m, span);
        let member = quote!(#ty).to_string().replace(' ', "");
        let at = position(ty);
        let first_at = position(first);
        let missing = format!(
            "`{member}` has no index `{name}`: every member of a collection queried by index \
             `{name}` declares it, `global_index(name = \"{name}\", partition_key(name = \"..\", \
             template = \"..\"), ..)`, or leave `{member}` out of the collection"
        );
        let keys = format!(
            "`{member}`'s index `{name}` has other key attributes than `{first_name}`'s: the \
             members of an overloaded index write the same attributes; give them the same `name`s"
        );
        let shape = format!(
            "`{member}`'s partition template of index `{name}` is not `{first_name}`'s: the members \
             are read from one index partition, so their index partition templates must be the \
             same text around the same components"
        );
        quote_spanned! {span=>
            const _: () = {
                assert!(
                    #m::index_position(<#ty as #m::Item>::INDEXES, #name)
                        < <#ty as #m::Item>::INDEXES.len(),
                    #missing
                );
                assert!(
                    #m::same_index_keys(<#ty as #m::Item>::INDEXES, <#first as #m::Item>::INDEXES, #name),
                    #keys
                );
                assert!(
                    #m::collection::same_str(
                        <<#ty as #m::TemplateIndex<#at>>::Partition as #m::TemplateKey>::SHAPE,
                        <<#first as #m::TemplateIndex<#first_at>>::Partition as #m::TemplateKey>::SHAPE,
                    ),
                    #shape
                );
            };
            const _: () = {
                #[allow(dead_code)]
                fn __same_index_partition_components() {
                    fn same<A: #m::collection::SameComponents<B>, B>() {}
                    same::<
                        <<#ty as #m::TemplateIndex<#at>>::Partition as #m::TemplateKey>::Components,
                        <<#first as #m::TemplateIndex<#first_at>>::Partition as #m::TemplateKey>::Components,
                    >();
                }
            };
        }
    });
    let const_ident = syn::Ident::new(&crate::names::index_handle(&name), index.span());
    let first_at = position(first);
    let doc = format!(
        "The `{name}` index, shared by the members of [`{ident}`]: a query of one of its \
         partitions returns the members' items (keyed by `{first_name}`'s index key types)."
    );
    quote! {
        #(#checks)*

        #[automatically_derived]
        impl #ident {
            #[doc = #doc]
            #vis const #const_ident: #m::Index<
                #ident,
                <#first as #m::TemplateIndex<#first_at>>::Partition,
                <#first as #m::TemplateIndex<#first_at>>::SortText,
            > = #m::Index::new(&<#first as #m::Item>::INDEXES[#first_at]);
        }
    }
}

fn expand(
    input: &DeriveInput,
    m: &TokenStream,
    members: &[(&syn::Ident, &syn::Type)],
) -> TokenStream {
    let ident = &input.ident;
    let vis = &input.vis;
    let key_ident = names::key_struct(ident);
    let (_, first) = members[0];
    let first_name = quote!(#first).to_string().replace(' ', "");
    let member_list = members
        .iter()
        .map(|(_, ty)| quote!(#ty).to_string().replace(' ', ""))
        .collect::<Vec<_>>()
        .join(", ");
    let expected = format!("a member of {ident} ({member_list})");

    let checks = members.iter().enumerate().map(|(i, (_, ty))| {
        let span = ty.span();
        let name = quote!(#ty).to_string().replace(' ', "");
        let m = respan(m, span);
        let entity = format!(
            "`{name}` is not an entity: the members of a collection are items with key templates, \
             `#[item(entity = \"..\", partition_key(template = \"..\"))]`"
        );
        let table = format!(
            "`{name}` is not on `{first_name}`'s table: the members of a collection share one \
             table (`#[item(table = \"..\")]`)"
        );
        let keys = format!(
            "`{name}` has other key attributes than `{first_name}`: the members of a collection \
             share the table's partition and sort key attributes"
        );
        let shape = format!(
            "`{name}`'s partition key template is not `{first_name}`'s: the members of a \
             collection are read from one partition, so their partition templates must be the \
             same text around the same components"
        );
        let attribute = format!(
            "`{name}` stores its entity in another attribute than `{first_name}`: give the \
             members of a collection the same `entity_attribute`"
        );
        let distinct = members[..i].iter().map(|(_, other)| {
            let other_name = quote!(#other).to_string().replace(' ', "");
            let message = format!(
                "`{name}` and `{other_name}` have the same entity name: a collection tells its \
                 members apart by it"
            );
            quote_spanned!(span=>
                assert!(
                    !#m::collection::same_str(
                        #m::collection::entity_name(<#ty as #m::Item>::ENTITY),
                        #m::collection::entity_name(<#other as #m::Item>::ENTITY),
                    ),
                    #message
                );
            )
        });
        quote_spanned! {span=>
            const _: () = {
                assert!(<#ty as #m::Item>::ENTITY.is_some(), #entity);
                assert!(
                    #m::collection::same_str(
                        <#ty as #m::Table>::TABLE_NAME,
                        <#first as #m::Table>::TABLE_NAME,
                    ),
                    #table
                );
                assert!(
                    #m::collection::same_key_schema(
                        <#ty as #m::Item>::KEY_SCHEMA,
                        <#first as #m::Item>::KEY_SCHEMA,
                    ),
                    #keys
                );
                assert!(
                    #m::collection::same_str(
                        <#m::PartitionKeyOf<#ty> as #m::TemplateKey>::SHAPE,
                        <#m::PartitionKeyOf<#first> as #m::TemplateKey>::SHAPE,
                    ),
                    #shape
                );
                assert!(
                    #m::collection::same_str(
                        #m::collection::entity_attribute(<#ty as #m::Item>::ENTITY),
                        #m::collection::entity_attribute(<#first as #m::Item>::ENTITY),
                    ),
                    #attribute
                );
                #(#distinct)*
            };
            const _: () = {
                #[allow(dead_code)]
                fn __same_partition_components() {
                    fn same<A: #m::collection::SameComponents<B>, B>() {}
                    same::<
                        <#m::PartitionKeyOf<#ty> as #m::TemplateKey>::Components,
                        <#m::PartitionKeyOf<#first> as #m::TemplateKey>::Components,
                    >();
                }
            };
        }
    });

    let variants: Vec<&syn::Ident> = members.iter().map(|(v, _)| *v).collect();
    let types: Vec<&syn::Type> = members.iter().map(|(_, t)| *t).collect();
    let key_struct = KeyStruct {
        model: m,
        item: ident,
        vis,
        doc: format!("The primary key of an item of the collection [`{ident}`]."),
        partition: Some(KeyField::new(
            format_ident!("partition"),
            "The partition key, shared by the members.".to_owned(),
            quote!(#m::PartitionKeyOf<#first>),
        )),
        sort: Some(KeyField::new(
            format_ident!("sort"),
            "The sort key, as stored.".to_owned(),
            quote!(::std::string::String),
        )),
        new: None,
        placeholder: false,
        ident: key_ident.clone(),
    }
    .expand();
    quote! {
        #(#checks)*

        #[automatically_derived]
        impl #m::__serde::Serialize for #ident {
            fn serialize<S: #m::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    #(Self::#variants(value) => #m::__serde::Serialize::serialize(value, serializer),)*
                }
            }
        }

        /// A collection is read by its entity attribute (`Item::from_item`), not by serde.
        #[automatically_derived]
        impl<'de> #m::__serde::Deserialize<'de> for #ident {
            fn deserialize<D: #m::__serde::Deserializer<'de>>(
                _: D,
            ) -> ::core::result::Result<Self, D::Error> {
                ::core::result::Result::Err(<D::Error as #m::__serde::de::Error>::custom(
                    "a collection is read with Item::from_item, by its entity attribute",
                ))
            }
        }

        #key_struct

        #[automatically_derived]
        impl #m::Table for #ident {
            const TABLE_NAME: &'static str = <#first as #m::Table>::TABLE_NAME;
        }

        #[automatically_derived]
        impl #m::Item for #ident {
            type Key = #key_ident;

            const KEY_SCHEMA: #m::KeySchema = <#first as #m::Item>::KEY_SCHEMA;

            fn table_expectations() -> ::std::vec::Vec<#m::TableExpectation> {
                let mut expected = ::std::vec::Vec::new();
                #(expected.extend(<#types as #m::Item>::table_expectations());)*
                expected
            }

            fn read_filter() -> ::core::option::Option<#m::expr::Condition> {
                let attribute = #m::collection::entity_attribute(<#first as #m::Item>::ENTITY);
                ::core::option::Option::Some(#m::expr::Condition::In(
                    #m::expr::Operand::Path(#m::expr::Path::attribute(attribute)),
                    ::std::vec![#(
                        #m::expr::Operand::Value(#m::AttributeValue::S(
                            ::std::string::String::from(
                                #m::collection::entity_name(<#types as #m::Item>::ENTITY),
                            ),
                        ))
                    ),*],
                ))
            }

            const HAS_UNIQUE_ATTRIBUTES: bool =
                false #(|| <#types as #m::Item>::HAS_UNIQUE_ATTRIBUTES)*;

            fn unique_attributes_of(item: &#m::ItemMap) -> #m::unique::UniqueAttributes {
                let attribute = #m::collection::entity_attribute(<#first as #m::Item>::ENTITY);
                let entity = #m::collection::entity_of(item, attribute);
                #(
                    if entity == ::core::option::Option::Some(
                        #m::collection::entity_name(<#types as #m::Item>::ENTITY),
                    ) {
                        return <#types as #m::Item>::unique_attributes_of(item);
                    }
                )*
                #m::unique::UniqueAttributes::NONE
            }

            fn key(&self) -> #key_ident {
                match self {
                    #(Self::#variants(value) => {
                        let key = #m::Item::key(value);
                        #key_ident {
                            partition: #m::KeyValue::from_attribute_value(
                                &#m::KeyValue::to_attribute_value(#m::PrimaryKey::partition_key(&key)),
                            )
                            .expect("the members' partition keys have one shape"),
                            sort: #m::collection::rendered(#m::PrimaryKey::sort_key(&key)),
                        }
                    })*
                }
            }

            fn to_item(&self) -> ::core::result::Result<#m::ItemMap, #m::Error> {
                match self {
                    #(Self::#variants(value) => #m::Item::to_item(value),)*
                }
            }

            fn from_item(item: #m::ItemMap) -> ::core::result::Result<Self, #m::Error> {
                let attribute = #m::collection::entity_attribute(<#first as #m::Item>::ENTITY);
                let entity = #m::collection::entity_of(&item, attribute);
                #(
                    if entity == ::core::option::Option::Some(
                        #m::collection::entity_name(<#types as #m::Item>::ENTITY),
                    ) {
                        return <#types as #m::Item>::from_item(item).map(Self::#variants);
                    }
                )*
                ::core::result::Result::Err(#m::collection::not_a_member::<Self>(&item, attribute, #expected))
            }

            fn from_item_ref(item: &#m::ItemMap) -> ::core::result::Result<Self, #m::Error> {
                let attribute = #m::collection::entity_attribute(<#first as #m::Item>::ENTITY);
                let entity = #m::collection::entity_of(item, attribute);
                #(
                    if entity == ::core::option::Option::Some(
                        #m::collection::entity_name(<#types as #m::Item>::ENTITY),
                    ) {
                        return <#types as #m::Item>::from_item_ref(item).map(Self::#variants);
                    }
                )*
                ::core::result::Result::Err(#m::collection::not_a_member::<Self>(item, attribute, #expected))
            }
        }
    }
}
