//! The derive's own view of the input: a struct, its fields and their parsed attributes.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Type, Visibility};

use crate::attr::{ContainerAttrs, FieldAttrs, IndexAttr, IndexKindAttr, KeyFields, SerdeDefault};
use crate::ctxt::Ctxt;
use crate::template::{self, Template};

/// A struct that derives `Item`.
pub(crate) struct Input<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) vis: &'a Visibility,
    pub(crate) generics: &'a Generics,
    pub(crate) attrs: ContainerAttrs,
    /// Whether the input is a struct with named fields; anything else is an error, reported.
    pub(crate) is_struct: bool,
    /// The named fields; empty when the input is not a struct with named fields.
    pub(crate) fields: Vec<Field<'a>>,
    /// The path to the model crate in generated code: `::notes_repo::__model` unless
    /// `#[item(crate = "...")]` names another.
    pub(crate) model: TokenStream,
    /// The parsed `partition_key(template = ..)`, when it reads.
    pub(crate) partition_template: Option<Template>,
    /// The parsed `sort_key(template = ..)`, when it reads.
    pub(crate) sort_template: Option<Template>,
    /// The parsed index templates (partition, sort), one pair per index, in declaration order.
    pub(crate) index_templates: Vec<(Option<Template>, Option<Template>)>,
}

/// One named field.
pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    /// The field's name without `r#` (`type` for `r#type`), as serde and the handles use it.
    pub(crate) rust_name: String,
    pub(crate) vis: &'a Visibility,
    pub(crate) ty: &'a Type,
    pub(crate) attrs: FieldAttrs<'a>,
    /// The attribute name serde writes for this field.
    pub(crate) name: String,
}

impl<'a> Input<'a> {
    /// Reads the input, recording every mistake in `cx` and keeping what could be read, so
    /// that validation sees all of it and the fallback has names to declare.
    pub(crate) fn from_syn(cx: &Ctxt, input: &'a DeriveInput) -> Self {
        let named = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => Some(named),
                Fields::Unnamed(_) | Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        "#[derive(Item)] needs a struct with named fields: each field is a \
                         named DynamoDB attribute",
                    );
                    None
                }
            },
            Data::Enum(data) => {
                cx.error_spanned_by(
                    data.enum_token,
                    "#[derive(Item)] supports structs with named fields, not enums",
                );
                None
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "#[derive(Item)] supports structs with named fields, not unions",
                );
                None
            }
        };
        let attrs = ContainerAttrs::parse(cx, &input.attrs);
        let fields = named
            .into_iter()
            .flat_map(|named| &named.named)
            .filter_map(|field| {
                let ident = field.ident.as_ref()?;
                let field_attrs = FieldAttrs::parse(cx, &field.attrs);
                let rust_name = unraw(ident);
                let name = match &field_attrs.serde.rename {
                    Some(rename) => rename.clone(),
                    None => attrs
                        .serde
                        .rename_all
                        .map_or_else(|| rust_name.clone(), |rule| rule.apply_to_field(&rust_name)),
                };
                Some(Field {
                    ident,
                    rust_name,
                    vis: &field.vis,
                    ty: &field.ty,
                    attrs: field_attrs,
                    name,
                })
            })
            .collect();
        let model = match &attrs.krate {
            Some(path) => path.to_token_stream(),
            None => quote!(::notes_repo::__model),
        };
        let parse_template = |key: &Option<crate::attr::KeyTemplateAttr>| {
            key.as_ref()
                .and_then(|key| key.template.as_ref())
                .and_then(|lit| template::parse(cx, lit))
        };
        let partition_template = parse_template(&attrs.partition_template);
        let sort_template = parse_template(&attrs.sort_template);
        let index_templates = attrs
            .indexes
            .iter()
            .map(|index| {
                (
                    parse_template(&index.partition_template),
                    parse_template(&index.sort_template),
                )
            })
            .collect();
        Input {
            index_templates,
            partition_template,
            sort_template,
            ident: &input.ident,
            vis: &input.vis,
            generics: &input.generics,
            attrs,
            is_struct: named.is_some(),
            fields,
            model,
        }
    }

    /// Whether the keys are computed from templates (`#[item(partition_key(template = ..))]`,
    /// `sort_key(..)` or `entity`): several entity types in one table.
    pub(crate) fn is_templated(&self) -> bool {
        self.attrs.partition_template.is_some()
            || self.attrs.sort_template.is_some()
            || self.attrs.entity.is_some()
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
        self.fields.iter().find(|f| f.rust_name == name)
    }

    /// The fields of `index`'s partition key and sort key, in the index's order (a local
    /// index's partition key is the table's). Names that are no field, and repeats, are left
    /// out: validation reports them.
    pub(crate) fn index_fields(&self, index: &IndexAttr) -> IndexFields<'_, 'a> {
        let mut seen = Vec::new();
        let mut named = |key: &Option<KeyFields>| -> Vec<&Field<'a>> {
            key.iter()
                .flat_map(|key| &key.fields)
                .filter_map(|name| self.field_named(name))
                .filter(|field| {
                    let first = !seen.contains(&field.ident);
                    seen.push(field.ident);
                    first
                })
                .collect()
        };
        let partition = match index.kind {
            IndexKindAttr::Global => named(&index.partition_key),
            IndexKindAttr::Local => self.partition_key().into_iter().collect(),
        };
        IndexFields {
            partition,
            sort: named(&index.sort_key),
        }
    }

    /// The field marked `#[version]`, if any.
    pub(crate) fn version(&self) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| !f.attrs.version.is_empty())
    }

    /// Whether serde reads an item that lacks `field`'s attribute (serde_derive's
    /// `expr_is_missing`): with a field or struct `default`, `skip_deserializing` (never read),
    /// or an `Option` without its own deserializer (serde's missing-field deserializer answers
    /// `None` to `deserialize_option` and an error to anything else). A type alias of `Option`
    /// is not seen as one: counted as required, which only makes the checks stricter.
    pub(crate) fn may_be_absent(&self, field: &Field<'_>) -> bool {
        let serde = &field.attrs.serde;
        self.attrs.serde.default
            || !matches!(serde.default, SerdeDefault::None)
            || serde.skip_deserializing
            || option_inner(field.ty).is_some() && !serde.custom_deserializer
    }

    /// The stored non-key fields serde cannot read an item without.
    pub(crate) fn required(&self) -> impl Iterator<Item = &Field<'a>> {
        self.fields
            .iter()
            .filter(|f| f.attrs.is_stored() && !f.attrs.is_key() && !self.may_be_absent(f))
    }

    /// The field marked `#[ttl]`, if any.
    pub(crate) fn ttl(&self) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| !f.attrs.ttl.is_empty())
    }

    /// The attributes the derive writes beside the fields: an entity's computed table keys,
    /// its entity attribute and its templated indexes' computed keys (none for an item whose
    /// keys are fields).
    pub(crate) fn computed_attributes(&self) -> ComputedAttributes {
        let attrs = &self.attrs;
        if !self.is_templated() {
            return ComputedAttributes::default();
        }
        let table_keys = [
            (&attrs.partition_template, "pk"),
            (&attrs.sort_template, "sk"),
        ]
        .into_iter()
        .filter_map(|(key, default)| Some(key.as_ref()?.attribute(default)))
        .collect();
        let index_keys = attrs
            .indexes
            .iter()
            .flat_map(|index| {
                let name = index
                    .name
                    .as_ref()
                    .map(syn::LitStr::value)
                    .unwrap_or_default();
                [
                    (&index.partition_template, "pk"),
                    (&index.sort_template, "sk"),
                ]
                .into_iter()
                .filter_map(move |(key, suffix)| {
                    Some(key.as_ref()?.attribute(&format!("{name}{suffix}")))
                })
            })
            .collect();
        ComputedAttributes {
            table_keys,
            entity: Some(
                attrs
                    .entity_attribute
                    .as_ref()
                    .map_or_else(|| "_et".to_owned(), syn::LitStr::value),
            ),
            index_keys,
        }
    }

    /// The fields marked `#[unique]`, in declaration order.
    pub(crate) fn unique(&self) -> impl Iterator<Item = &Field<'a>> {
        self.fields.iter().filter(|f| !f.attrs.unique.is_empty())
    }
}

/// The attributes an entity writes beside its fields (see [`Input::computed_attributes`]).
#[derive(Default)]
pub(crate) struct ComputedAttributes {
    /// The table's computed keys (`pk`, `sk`).
    pub(crate) table_keys: Vec<String>,
    /// The entity attribute (`_et`).
    pub(crate) entity: Option<String>,
    /// The computed keys of the templated indexes (`gsi1pk`, `gsi1sk`), in declaration order.
    pub(crate) index_keys: Vec<String>,
}

impl ComputedAttributes {
    /// Every name: table keys, entity attribute, index keys.
    pub(crate) fn all(&self) -> impl Iterator<Item = &String> {
        self.table_keys
            .iter()
            .chain(&self.entity)
            .chain(&self.index_keys)
    }
}

/// The fields of an index's key (see [`Input::index_fields`]).
pub(crate) struct IndexFields<'i, 'a> {
    pub(crate) partition: Vec<&'i Field<'a>>,
    pub(crate) sort: Vec<&'i Field<'a>>,
}

impl IndexFields<'_, '_> {
    /// Whether either side has more than one attribute: a multi-attribute global index key.
    pub(crate) fn is_multi_attribute(&self) -> bool {
        self.partition.len() > 1 || self.sort.len() > 1
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

/// An identifier as written without `r#`: the one place raw identifiers are handled.
pub(crate) fn unraw(ident: &Ident) -> String {
    ident.unraw().to_string()
}
