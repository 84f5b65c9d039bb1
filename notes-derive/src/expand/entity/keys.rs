//! An entity's computed keys: each key template resolved against the fields, for the table
//! (`pk`, `sk`) and for each templated index.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::{Field, Input, option_inner};
use crate::names;
use crate::template::Template;

/// One computed key attribute and its template, resolved against the fields.
pub(crate) struct Key<'i, 'a> {
    /// The stored attribute (`pk`).
    pub(crate) attribute: String,
    pub(crate) template: &'i Template,
    /// The generated value type (`NotePartition`).
    pub(crate) ty: syn::Ident,
    /// The template's fields, in order.
    pub(crate) fields: Vec<&'i Field<'a>>,
}

impl<'i, 'a> Key<'i, 'a> {
    pub(crate) fn new(
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

    /// The template as written.
    pub(crate) fn text(&self) -> String {
        self.template.lit.value()
    }
}

/// The fields of `keys`, each once, in template order.
pub(crate) fn distinct_fields<'k, 'i: 'k, 'a: 'i>(
    keys: impl IntoIterator<Item = &'k Key<'i, 'a>>,
) -> Vec<&'i Field<'a>> {
    let mut fields: Vec<&'i Field<'a>> = Vec::new();
    for &field in keys.into_iter().flat_map(|key| &key.fields) {
        if !fields.iter().any(|f| f.ident == field.ident) {
            fields.push(field);
        }
    }
    fields
}

/// A component's type in a key value: `T` for a field of type `Option<T>` (a sparse index).
pub(crate) fn component_ty<'a>(field: &Field<'a>) -> &'a syn::Type {
    option_inner(field.ty).unwrap_or(field.ty)
}

/// `self.field`, borrowed: how the table keys and the value types read a component.
pub(crate) fn self_field(field: &Field<'_>) -> TokenStream {
    let ident = field.ident;
    quote!(&self.#ident)
}

/// A templated index: its keys, resolved against the fields.
pub(crate) struct IndexKeys<'i, 'a> {
    /// Its position in `Item::INDEXES`.
    pub(crate) position: usize,
    pub(crate) name: String,
    pub(crate) pk: Key<'i, 'a>,
    pub(crate) sk: Option<Key<'i, 'a>>,
}

impl<'i, 'a> IndexKeys<'i, 'a> {
    /// The templated indexes of `input` whose templates read.
    pub(crate) fn of(input: &'i Input<'a>) -> Vec<Self> {
        input
            .attrs
            .indexes
            .iter()
            .zip(&input.index_templates)
            .enumerate()
            .filter_map(|(position, (index, (pk, sk)))| {
                let name = index.name.as_ref()?.value();
                let (pk_ty, sk_ty) = names::index_value_types(input.ident, &name);
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

    /// Its keys, partition key first.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &Key<'i, 'a>> {
        std::iter::once(&self.pk).chain(&self.sk)
    }

    /// The fields of its templates, each once, in order.
    pub(crate) fn fields(&self) -> Vec<&'i Field<'a>> {
        distinct_fields(self.keys())
    }

    /// The hidden method of the item that renders this index's keys.
    pub(crate) fn render_fn(&self) -> syn::Ident {
        format_ident!("__notes_index_{}", self.position)
    }
}
