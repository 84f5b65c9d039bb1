//! The derive's own view of the input: a struct, its fields and their parsed attributes.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{Data, DeriveInput, Fields, Generics, Ident, Type, Visibility};

use crate::attr::{ContainerAttrs, Errors, FieldAttrs};

/// A struct that derives `Item`.
pub(crate) struct Input<'a> {
    pub(crate) original: &'a DeriveInput,
    pub(crate) ident: &'a Ident,
    pub(crate) vis: &'a Visibility,
    pub(crate) generics: &'a Generics,
    pub(crate) attrs: ContainerAttrs,
    pub(crate) fields: Vec<Field<'a>>,
    /// The path to the model crate in generated code: `::notes_repo::__model` unless
    /// `#[item(crate = "...")]` names another.
    pub(crate) model: TokenStream,
}

/// One named field.
pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) vis: &'a Visibility,
    pub(crate) ty: &'a Type,
    pub(crate) attrs: FieldAttrs<'a>,
    /// The attribute name serde writes for this field.
    pub(crate) name: String,
}

impl<'a> Input<'a> {
    pub(crate) fn from_syn(input: &'a DeriveInput) -> syn::Result<Self> {
        let named = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => named,
                Fields::Unnamed(_) | Fields::Unit => {
                    return Err(syn::Error::new_spanned(
                        &input.ident,
                        "#[derive(Item)] needs a struct with named fields: each field is a \
                         named DynamoDB attribute",
                    ));
                }
            },
            Data::Enum(data) => {
                return Err(syn::Error::new_spanned(
                    data.enum_token,
                    "#[derive(Item)] supports structs with named fields, not enums",
                ));
            }
            Data::Union(data) => {
                return Err(syn::Error::new_spanned(
                    data.union_token,
                    "#[derive(Item)] supports structs with named fields, not unions",
                ));
            }
        };

        let mut errors = Errors::default();
        let container = ContainerAttrs::parse(&input.attrs, &mut errors);
        let fields = named
            .named
            .iter()
            .filter_map(|field| {
                let ident = field.ident.as_ref()?;
                let attrs = FieldAttrs::parse(&field.attrs, &mut errors);
                let unraw = ident.to_string().trim_start_matches("r#").to_owned();
                let name = match &attrs.rename {
                    Some(rename) => rename.clone(),
                    None => container
                        .rename_all
                        .map_or_else(|| unraw.clone(), |rule| rule.apply_to_field(&unraw)),
                };
                Some(Field {
                    ident,
                    vis: &field.vis,
                    ty: &field.ty,
                    attrs,
                    name,
                })
            })
            .collect();
        errors.finish()?;
        let model = match &container.krate {
            Some(path) => path.to_token_stream(),
            None => quote!(::notes_repo::__model),
        };
        Ok(Input {
            model,
            original: input,
            ident: &input.ident,
            vis: &input.vis,
            generics: &input.generics,
            attrs: container,
            fields,
        })
    }

    /// The field marked `#[partition_key]` (validated to be exactly one).
    pub(crate) fn partition_key(&self) -> Option<&Field<'a>> {
        self.fields
            .iter()
            .find(|f| !f.attrs.partition_key.is_empty())
    }

    /// The field marked `#[sort_key]`, if any.
    pub(crate) fn sort_key(&self) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| !f.attrs.sort_key.is_empty())
    }
}

impl<'a> Input<'a> {
    /// The field a `partition_key = "field"` / `sort_key = "field"` index option names.
    pub(crate) fn field_named(&self, name: &syn::LitStr) -> Option<&Field<'a>> {
        let name = name.value();
        self.fields
            .iter()
            .find(|f| f.ident.to_string().trim_start_matches("r#") == name)
    }

    /// The field marked `#[version]`, if any.
    pub(crate) fn version(&self) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| !f.attrs.version.is_empty())
    }

    /// The field marked `#[ttl]`, if any.
    pub(crate) fn ttl(&self) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| !f.attrs.ttl.is_empty())
    }
}

/// `T` for a type spelt `Option<T>`: an index key may be absent (a sparse index).
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}
