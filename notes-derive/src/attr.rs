//! The attributes the derive reads, parsed once into typed options: its own (`#[item]`,
//! `#[partition_key]`, `#[sort_key]`, `#[version]`, `#[ttl]`, `#[unique]`, and the encryption
//! actions `#[encrypt]`, `#[sign_only]`, `#[encryption_context]`, `#[unsigned]`) and serde's, which decide what an
//! attribute is called, whether it is written, and whether the generated direct conversion
//! reproduces serde's exactly (`expand` and `convert` both read these; nothing re-parses).

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprPath, Lit, LitStr, Meta, Token};

use crate::case::{RULE_NAMES, RenameRule};
use crate::ctxt::Ctxt;

mod encryption;

pub(crate) use encryption::{EncryptionAttr, EncryptionKind};

/// The struct-level attributes.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    /// `#[item(table = "...")]`
    pub(crate) table: Option<LitStr>,
    /// `#[item(global_index(..), local_index(..))]`, in declaration order.
    pub(crate) indexes: Vec<IndexAttr>,
    /// `#[item(serde)]`: convert through the type's own `Serialize`/`Deserialize` impls
    /// (hand-written ones), not the generated direct conversion.
    pub(crate) serde_impl: bool,
    /// `#[item(crate = "path")]`: where the generated code finds the model crate.
    pub(crate) krate: Option<syn::Path>,
    /// The struct's `#[serde(...)]` options.
    pub(crate) serde: SerdeContainer,
    /// `#[item(entity = "...")]`: the entity type of a templated item.
    pub(crate) entity: Option<LitStr>,
    /// `#[item(entity_attribute = "...")]`: where the entity is stored (`_et` by default).
    pub(crate) entity_attribute: Option<LitStr>,
    /// `#[item(partition_key(name = "pk", template = "USER#{user_id}"))]`.
    pub(crate) partition_template: Option<KeyTemplateAttr>,
    /// `#[item(sort_key(name = "sk", template = "NOTE#{created_at}#{note_id}"))]`.
    pub(crate) sort_template: Option<KeyTemplateAttr>,
    /// `#[item(unsigned_prefix = ":")]`: attributes named with it are neither signed nor
    /// encrypted (the Database Encryption SDK's allowed unsigned attribute prefix).
    pub(crate) unsigned_prefix: Option<LitStr>,
}

/// One computed key attribute: `partition_key(name = "..", template = "..")`.
pub(crate) struct KeyTemplateAttr {
    /// The `partition_key` / `sort_key` path, for errors about the whole declaration.
    pub(crate) path: syn::Path,
    /// The stored attribute's name (`pk` / `sk` when not given).
    pub(crate) name: Option<LitStr>,
    pub(crate) template: Option<LitStr>,
}

impl KeyTemplateAttr {
    /// The stored attribute's name.
    pub(crate) fn attribute(&self, default: &str) -> String {
        self.name
            .as_ref()
            .map_or_else(|| default.to_owned(), LitStr::value)
    }
}

/// What the struct's `#[serde(...)]` options mean for the derive.
pub(crate) struct SerdeContainer {
    /// `rename_all` (the serialize side: it decides the stored names).
    pub(crate) rename_all: Option<RenameRule>,
    /// `default` / `default = "path"`: a missing attribute is taken from the struct's default.
    pub(crate) default: bool,
    /// Whether direct conversion reproduces every container option (only `rename_all = ".."`,
    /// `rename = ".."` and `crate = ".."` qualify); otherwise the item stays on the serde path.
    pub(crate) direct: bool,
}

impl Default for SerdeContainer {
    fn default() -> Self {
        SerdeContainer {
            rename_all: None,
            default: false,
            direct: true,
        }
    }
}

/// Global or local secondary index.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum IndexKindAttr {
    Global,
    Local,
}

/// One `global_index(name = "..", partition_key = "field", sort_key = "field")` or
/// `local_index(name = "..", sort_key = "field")`; a global index's keys may each be a list of
/// fields (`partition_key = ["tenant", "region"]`): a multi-attribute key.
pub(crate) struct IndexAttr {
    pub(crate) kind: IndexKindAttr,
    /// The `global_index` / `local_index` path, for errors about the whole declaration.
    pub(crate) path: syn::Path,
    pub(crate) name: Option<LitStr>,
    /// Rust field names.
    pub(crate) partition_key: Option<KeyFields>,
    pub(crate) sort_key: Option<KeyFields>,
    /// `partition_key(name = "gsi1pk", template = "TAG#{tag}")`: a computed index key, as the
    /// table's computed keys are spelt (an overloaded index of a shared table).
    pub(crate) partition_template: Option<KeyTemplateAttr>,
    /// `sort_key(name = "gsi1sk", template = "NOTE#{created_at}")`.
    pub(crate) sort_template: Option<KeyTemplateAttr>,
}

impl IndexAttr {
    /// Whether the index's keys are computed from templates.
    pub(crate) fn is_templated(&self) -> bool {
        self.partition_template.is_some() || self.sort_template.is_some()
    }

    /// The fields of the partition key (a global index's) and of the sort key, in order.
    pub(crate) fn key_fields(&self) -> impl Iterator<Item = &LitStr> {
        self.partition_key
            .iter()
            .chain(&self.sort_key)
            .flat_map(|key| &key.fields)
    }
}

/// The fields an index key names: `"field"`, or a list of one to four (`["year", "month"]`)
/// for a multi-attribute global index key.
pub(crate) struct KeyFields {
    /// The Rust field names, in the key's order.
    pub(crate) fields: Vec<LitStr>,
    /// The brackets, when written as a list: errors about the list point at it.
    pub(crate) list: Option<syn::token::Bracket>,
}

impl KeyFields {
    /// The span of the whole option value, for errors about it.
    pub(crate) fn span(&self) -> Span {
        match (&self.list, self.fields.first()) {
            (Some(bracket), _) => bracket.span.join(),
            (None, Some(field)) => field.span(),
            (None, None) => Span::call_site(),
        }
    }

    /// `"field"`, or `["a", "b"]`; an element that is not a string is reported, and the
    /// others kept.
    fn parse(cx: &Ctxt, input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(syn::token::Bracket) {
            let content;
            let bracket = syn::bracketed!(content in input);
            let elements = Punctuated::<Expr, Token![,]>::parse_terminated(&content)?;
            let fields = elements
                .into_iter()
                .filter_map(|element| match element {
                    Expr::Lit(syn::ExprLit {
                        lit: Lit::Str(field),
                        ..
                    }) => Some(field),
                    other => {
                        cx.error_spanned_by(
                            &other,
                            format_args!(
                                "a key field is named by a string, as in the one-field form: \
                                 `\"{}\"`",
                                quote::quote!(#other).to_string().replace(' ', "")
                            ),
                        );
                        None
                    }
                })
                .collect();
            return Ok(KeyFields {
                fields,
                list: Some(bracket),
            });
        }
        Ok(KeyFields {
            fields: vec![input.parse()?],
            list: None,
        })
    }
}

/// The field-level attributes.
#[derive(Default)]
pub(crate) struct FieldAttrs<'a> {
    /// Every `#[partition_key]` on the field.
    pub(crate) partition_key: Vec<&'a Attribute>,
    /// Every `#[sort_key]` on the field.
    pub(crate) sort_key: Vec<&'a Attribute>,
    /// Every `#[version]` on the field.
    pub(crate) version: Vec<&'a Attribute>,
    /// Every `#[ttl]` on the field.
    pub(crate) ttl: Vec<&'a Attribute>,
    /// Every `#[unique]` on the field.
    pub(crate) unique: Vec<&'a Attribute>,
    /// The field's encryption action (`#[encrypt]`, `#[sign_only]`, `#[encryption_context]`,
    /// `#[unsigned]`), at most one; `None` is `#[sign_only]`'s action, unwritten.
    pub(crate) encryption: Option<EncryptionAttr<'a>>,
    /// The field's `#[serde(...)]` options.
    pub(crate) serde: SerdeField,
}

/// What a field's `#[serde(...)]` options mean for the derive.
pub(crate) struct SerdeField {
    /// `rename` (the serialize side).
    pub(crate) rename: Option<String>,
    /// `skip` or `skip_serializing`: never written.
    pub(crate) skip_serializing: bool,
    /// `skip` or `skip_deserializing`: never read (filled from `Default`).
    pub(crate) skip_deserializing: bool,
    /// `skip_serializing_if = "path"`.
    pub(crate) skip_serializing_if: Option<ExprPath>,
    /// `flatten`: the field's own fields are the item's attributes.
    pub(crate) flatten: bool,
    /// `default` / `default = "path"`.
    pub(crate) default: SerdeDefault,
    /// `with` / `serialize_with`: the field has its own serializer.
    pub(crate) custom_serializer: bool,
    /// `with` / `deserialize_with`: the field has its own deserializer, which serde does not
    /// call for a missing attribute (missing is an error, even for an `Option`).
    pub(crate) custom_deserializer: bool,
    /// The options that change whether the field is stored as a plain value, as written (a key
    /// field may use none of them).
    pub(crate) options: Vec<SerdeOption>,
    /// Whether direct conversion reproduces every option of the field (`rename = ".."`, the
    /// `skip`s, `skip_serializing_if = ".."` and `default`); otherwise the item stays on the
    /// serde path.
    pub(crate) direct: bool,
}

impl Default for SerdeField {
    fn default() -> Self {
        SerdeField {
            rename: None,
            skip_serializing: false,
            skip_deserializing: false,
            skip_serializing_if: None,
            flatten: false,
            default: SerdeDefault::None,
            custom_serializer: false,
            custom_deserializer: false,
            options: Vec::new(),
            direct: true,
        }
    }
}

/// What `#[serde(default ...)]` says about a missing attribute.
pub(crate) enum SerdeDefault {
    /// No `default`: missing is an error (`None` for an `Option`).
    None,
    /// `default`: `Default::default()`.
    Trait,
    /// `default = "path"`: `path()`.
    Path(ExprPath),
}

/// A serde field option that stops the field from being a plain stored attribute.
pub(crate) struct SerdeOption {
    pub(crate) kind: SerdeOptionKind,
    pub(crate) span: Span,
}

/// The serde field options that decide whether and when a field is stored.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum SerdeOptionKind {
    Skip,
    SkipSerializing,
    SkipDeserializing,
    SkipSerializingIf,
    Flatten,
}

impl SerdeOptionKind {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "skip" => SerdeOptionKind::Skip,
            "skip_serializing" => SerdeOptionKind::SkipSerializing,
            "skip_deserializing" => SerdeOptionKind::SkipDeserializing,
            "skip_serializing_if" => SerdeOptionKind::SkipSerializingIf,
            "flatten" => SerdeOptionKind::Flatten,
            _ => return None,
        })
    }

    /// The option as spelt in `#[serde(...)]`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            SerdeOptionKind::Skip => "skip",
            SerdeOptionKind::SkipSerializing => "skip_serializing",
            SerdeOptionKind::SkipDeserializing => "skip_deserializing",
            SerdeOptionKind::SkipSerializingIf => "skip_serializing_if",
            SerdeOptionKind::Flatten => "flatten",
        }
    }
}

impl ContainerAttrs {
    pub(crate) fn parse(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = ContainerAttrs::default();
        for attr in attrs {
            if attr.path().is_ident("item") {
                let result = attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("table") {
                        let value: LitStr = meta.value()?.parse()?;
                        if out.table.is_some() {
                            cx.syn_error(meta.error("duplicate #[item] option `table`"));
                        }
                        out.table = Some(value);
                        Ok(())
                    } else if meta.path.is_ident("serde") {
                        out.serde_impl = true;
                        Ok(())
                    } else if meta.path.is_ident("entity") || meta.path.is_ident("entity_attribute") {
                        let value: LitStr = meta.value()?.parse()?;
                        let slot = if meta.path.is_ident("entity") {
                            &mut out.entity
                        } else {
                            &mut out.entity_attribute
                        };
                        if slot.is_some() {
                            cx.syn_error(meta.error("duplicate #[item] option"));
                        }
                        *slot = Some(value);
                        Ok(())
                    } else if meta.path.is_ident("partition_key") || meta.path.is_ident("sort_key") {
                        let key = parse_key_template(cx, &meta)?;
                        let slot = if meta.path.is_ident("partition_key") {
                            &mut out.partition_template
                        } else {
                            &mut out.sort_template
                        };
                        if slot.is_some() {
                            cx.syn_error(meta.error("duplicate #[item] option"));
                        }
                        *slot = Some(key);
                        Ok(())
                    } else if meta.path.is_ident("unsigned_prefix") {
                        let value: LitStr = meta.value()?.parse()?;
                        if out.unsigned_prefix.is_some() {
                            cx.syn_error(meta.error("duplicate #[item] option `unsigned_prefix`"));
                        }
                        out.unsigned_prefix = Some(value);
                        Ok(())
                    } else if meta.path.is_ident("crate") {
                        let value: LitStr = meta.value()?.parse()?;
                        if out.krate.is_some() {
                            cx.syn_error(meta.error("duplicate #[item] option `crate`"));
                        }
                        match value.parse::<syn::Path>() {
                            Ok(path) => out.krate = Some(path),
                            Err(_) => cx.error_spanned_by(
                                &value,
                                format_args!(
                                    "`{}` is not a path; `crate` names the path to the model crate, \
                                     like `crate = \"::notes_repo::__model\"`",
                                    value.value()
                                ),
                            ),
                        }
                        Ok(())
                    } else if meta.path.is_ident("global_index") || meta.path.is_ident("local_index") {
                        let kind = if meta.path.is_ident("global_index") {
                            IndexKindAttr::Global
                        } else {
                            IndexKindAttr::Local
                        };
                        let mut index = IndexAttr {
                            kind,
                            path: meta.path.clone(),
                            name: None,
                            partition_key: None,
                            sort_key: None,
                            partition_template: None,
                            sort_template: None,
                        };
                        meta.parse_nested_meta(|inner| {
                            let is_key = (inner.path.is_ident("partition_key")
                                && kind == IndexKindAttr::Global)
                                || inner.path.is_ident("sort_key");
                            if is_key && inner.input.peek(syn::token::Paren) {
                                let key = parse_key_template(cx, &inner)?;
                                let slot = if inner.path.is_ident("partition_key") {
                                    &mut index.partition_template
                                } else {
                                    &mut index.sort_template
                                };
                                if slot.is_some() {
                                    cx.syn_error(inner.error("duplicate index option"));
                                }
                                *slot = Some(key);
                                return Ok(());
                            }
                            let key_slot = if inner.path.is_ident("partition_key") && kind == IndexKindAttr::Global {
                                Some(&mut index.partition_key)
                            } else if inner.path.is_ident("sort_key") {
                                Some(&mut index.sort_key)
                            } else {
                                None
                            };
                            if let Some(slot) = key_slot {
                                if slot.is_some() {
                                    cx.syn_error(inner.error("duplicate index option"));
                                }
                                *slot = Some(KeyFields::parse(cx, inner.value()?)?);
                                return Ok(());
                            }
                            if !inner.path.is_ident("name") {
                                let expected = match kind {
                                    IndexKindAttr::Global => "`name`, `partition_key` and `sort_key` (each `= \"field\"`, a list of up to four fields `= [\"a\", \"b\"]`, or `(name = \"..\", template = \"...{field}...\")` on an entity)",
                                    IndexKindAttr::Local => {
                                        "`name` and `sort_key` (a local index shares the table's partition key)"
                                    }
                                };
                                cx.syn_error(inner.error(format_args!(
                                    "unknown index option; the options are {expected}"
                                )));
                                return skip_option(inner.input);
                            }
                            if index.name.is_some() {
                                cx.syn_error(inner.error("duplicate index option"));
                            }
                            index.name = Some(inner.value()?.parse()?);
                            Ok(())
                        })?;
                        out.indexes.push(index);
                        Ok(())
                    } else {
                        let path = &meta.path;
                        let name = quote::quote!(#path).to_string().replace(' ', "");
                        cx.syn_error(meta.error(format_args!(
                            "unknown #[item] option `{name}`; the options are `table = \"...\"`, `entity = \"...\"`, `entity_attribute = \"...\"`, `partition_key(...)`, `sort_key(...)`, `global_index(...)`, `local_index(...)`, `unsigned_prefix = \"...\"`, `serde` and `crate = \"...\"`"
                        )));
                        skip_option(meta.input)
                    }
                });
                if let Err(err) = result {
                    cx.syn_error(err);
                }
            } else if ["partition_key", "sort_key", "version", "ttl", "unique"]
                .iter()
                .any(|name| attr.path().is_ident(name))
            {
                cx.error_spanned_by(
                    attr,
                    "#[partition_key], #[sort_key], #[version], #[ttl] and #[unique] belong on a field, not on the struct",
                );
            } else if let Some(kind) = EncryptionKind::from_attribute(attr) {
                cx.error_spanned_by(
                    attr,
                    format_args!(
                        "#[{}] belongs on a field, not on the struct: each field chooses what \
                         encryption does to it (#[encrypt], #[sign_only], #[encryption_context], \
                         #[unsigned]); for unsigned attributes by name, use \
                         #[item(unsigned_prefix = \"..\")]",
                        kind.name()
                    ),
                );
            } else if attr.path().is_ident("serde") {
                out.serde.parse(cx, attr);
            }
        }
        out
    }
}

impl<'a> FieldAttrs<'a> {
    pub(crate) fn parse(cx: &Ctxt, attrs: &'a [Attribute]) -> Self {
        let mut out = FieldAttrs::default();
        for attr in attrs {
            let path = attr.path();
            let marker = if path.is_ident("partition_key") {
                Some(&mut out.partition_key)
            } else if path.is_ident("sort_key") {
                Some(&mut out.sort_key)
            } else if path.is_ident("version") {
                Some(&mut out.version)
            } else if path.is_ident("ttl") {
                Some(&mut out.ttl)
            } else if path.is_ident("unique") {
                Some(&mut out.unique)
            } else {
                None
            };
            if let Some(marker) = marker {
                if !matches!(attr.meta, Meta::Path(_)) {
                    cx.error_spanned_by(
                        attr,
                        format_args!("#[{}] takes no arguments", quote::quote!(#path)),
                    );
                }
                marker.push(attr);
            } else if let Some(kind) = EncryptionKind::from_attribute(attr) {
                out.parse_encryption(cx, kind, attr);
            } else if path.is_ident("item") {
                cx.error_spanned_by(attr, "#[item(...)] belongs on the struct, not on a field");
            } else if path.is_ident("serde") {
                out.serde.parse(attr);
            }
        }
        out
    }

    /// Whether the field is a key of the table (`#[partition_key]` or `#[sort_key]`).
    pub(crate) fn is_key(&self) -> bool {
        !self.partition_key.is_empty() || !self.sort_key.is_empty()
    }

    /// Whether serde leaves this field out of the stored item (so it has no attribute handle).
    pub(crate) fn is_stored(&self) -> bool {
        !(self.serde.skip_serializing || self.serde.flatten)
    }
}

impl SerdeContainer {
    /// Reads one `#[serde(...)]` on the struct.
    fn parse(&mut self, cx: &Ctxt, attr: &Attribute) {
        let Some(metas) = serde_metas(attr) else {
            self.direct = false;
            return;
        };
        for meta in metas {
            let plain_name = is_str_value(&meta);
            if meta.path().is_ident("rename_all") {
                self.direct &= plain_name;
                if let Some(rule) = serialize_name(&meta) {
                    match RenameRule::from_name(&rule.value()) {
                        Some(parsed) => self.rename_all = Some(parsed),
                        None => cx.error_spanned_by(
                            &rule,
                            format_args!(
                                "unknown rename rule `{}`; serde's rules are {RULE_NAMES}",
                                rule.value()
                            ),
                        ),
                    }
                }
            } else if meta.path().is_ident("rename") {
                self.direct &= plain_name;
            } else if meta.path().is_ident("default") {
                self.default = true;
                self.direct = false;
            } else if !meta.path().is_ident("crate") {
                self.direct = false;
            }
        }
    }
}

impl SerdeField {
    /// Reads one `#[serde(...)]` on a field. Mistakes in it are serde's to report.
    fn parse(&mut self, attr: &Attribute) {
        let Some(metas) = serde_metas(attr) else {
            self.direct = false;
            return;
        };
        for meta in metas {
            let Some(ident) = meta.path().get_ident() else {
                self.direct = false;
                continue;
            };
            let name = ident.to_string();
            if let Some(kind) = SerdeOptionKind::from_name(&name) {
                self.options.push(SerdeOption {
                    kind,
                    span: meta.span(),
                });
            }
            let is_path = matches!(meta, Meta::Path(_));
            match name.as_str() {
                "rename" => {
                    self.direct &= is_str_value(&meta);
                    self.rename = serialize_name(&meta).map(|lit| lit.value());
                }
                "skip" => {
                    self.direct &= is_path;
                    self.skip_serializing = true;
                    self.skip_deserializing = true;
                }
                "skip_serializing" => {
                    self.direct &= is_path;
                    self.skip_serializing = true;
                }
                "skip_deserializing" => {
                    self.direct &= is_path;
                    self.skip_deserializing = true;
                }
                "skip_serializing_if" => {
                    self.skip_serializing_if = str_path(&meta);
                    self.direct &= self.skip_serializing_if.is_some();
                }
                "flatten" => {
                    self.direct = false;
                    self.flatten = true;
                }
                "default" if is_path => self.default = SerdeDefault::Trait,
                "default" => match str_path(&meta) {
                    Some(path) => self.default = SerdeDefault::Path(path),
                    None => self.direct = false,
                },
                "with" => {
                    self.direct = false;
                    self.custom_serializer = true;
                    self.custom_deserializer = true;
                }
                "serialize_with" => {
                    self.direct = false;
                    self.custom_serializer = true;
                }
                "deserialize_with" => {
                    self.direct = false;
                    self.custom_deserializer = true;
                }
                _ => self.direct = false,
            }
        }
    }

    /// Whether the field carries the serde option `kind`.
    pub(crate) fn has(&self, kind: SerdeOptionKind) -> bool {
        self.options.iter().any(|option| option.kind == kind)
    }
}

/// `partition_key(name = "..", template = "..")`, on the item or on one of its indexes.
fn parse_key_template(
    cx: &Ctxt,
    meta: &syn::meta::ParseNestedMeta<'_>,
) -> syn::Result<KeyTemplateAttr> {
    let mut key = KeyTemplateAttr {
        path: meta.path.clone(),
        name: None,
        template: None,
    };
    meta.parse_nested_meta(|inner| {
        let slot = if inner.path.is_ident("name") {
            &mut key.name
        } else if inner.path.is_ident("template") {
            &mut key.template
        } else {
            cx.syn_error(inner.error(
                "unknown key option; the options are `name = \"..\"` (the stored attribute) and `template = \"...{field}...\"`",
            ));
            return skip_option(inner.input);
        };
        if slot.is_some() {
            cx.syn_error(inner.error("duplicate key option"));
        }
        *slot = Some(inner.value()?.parse()?);
        Ok(())
    })?;
    Ok(key)
}

/// Passes over the value of an option already reported (`= ..` or `(..)`), so that the
/// options after it are still read.
fn skip_option(input: syn::parse::ParseStream<'_>) -> syn::Result<()> {
    while !input.is_empty() && !input.peek(Token![,]) {
        input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

/// The options inside one `#[serde(...)]`, or `None` when syn cannot read them (serde reports
/// that; the item stays on the serde path meanwhile).
fn serde_metas(attr: &Attribute) -> Option<Punctuated<Meta, Token![,]>> {
    attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
        .ok()
}

/// Whether `meta` is `name = "string"`.
fn is_str_value(meta: &Meta) -> bool {
    matches!(meta, Meta::NameValue(nv)
        if matches!(&nv.value, Expr::Lit(lit) if matches!(lit.lit, Lit::Str(_))))
}

/// The path in `name = "Option::is_none"`, as serde parses it.
fn str_path(meta: &Meta) -> Option<ExprPath> {
    match meta {
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(lit) => match &lit.lit {
                Lit::Str(s) => s.parse().ok(),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// The serialize-side name of `rename = "x"` or `rename(serialize = "x", ...)`.
fn serialize_name(meta: &Meta) -> Option<LitStr> {
    match meta {
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(lit) => match &lit.lit {
                Lit::Str(s) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        },
        Meta::List(list) => {
            let mut found = None;
            let _ = list.parse_nested_meta(|inner| {
                if inner.path.is_ident("serialize") {
                    found = Some(inner.value()?.parse::<LitStr>()?);
                } else if inner.input.peek(Token![=]) {
                    inner.value()?.parse::<LitStr>()?;
                }
                Ok(())
            });
            found
        }
        Meta::Path(_) => None,
    }
}
