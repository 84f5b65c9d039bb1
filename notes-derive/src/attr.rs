//! The attributes the derive reads: its own (`#[item]`, `#[partition_key]`, `#[sort_key]`)
//! and the serde ones that decide what an attribute is called and whether it is written.

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Lit, LitStr, Meta, Token};

use crate::case::{RULE_NAMES, RenameRule};

/// Collects every error of an input so that a user fixes them in one compile.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub(crate) fn spanned(
        &mut self,
        tokens: impl quote::ToTokens,
        message: impl std::fmt::Display,
    ) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    pub(crate) fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// The struct-level attributes.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    /// `#[item(table = "...")]`
    pub(crate) table: Option<LitStr>,
    /// serde's `rename_all` (the serialize side: it decides the stored names).
    pub(crate) rename_all: Option<RenameRule>,
    /// `#[item(global_index(..), local_index(..))]`, in declaration order.
    pub(crate) indexes: Vec<IndexAttr>,
    /// `#[item(serde)]`: convert through the type's own `Serialize`/`Deserialize` impls
    /// (hand-written ones), not the generated direct conversion.
    pub(crate) serde_impl: bool,
    /// `#[item(crate = "path")]`: where the generated code finds the model crate.
    pub(crate) krate: Option<syn::Path>,
}

/// Global or local secondary index.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum IndexKindAttr {
    Global,
    Local,
}

/// One `global_index(name = "..", partition_key = "field", sort_key = "field")` or
/// `local_index(name = "..", sort_key = "field")`.
pub(crate) struct IndexAttr {
    pub(crate) kind: IndexKindAttr,
    /// The `global_index` / `local_index` path, for errors about the whole declaration.
    pub(crate) path: syn::Path,
    pub(crate) name: Option<LitStr>,
    /// Rust field names.
    pub(crate) partition_key: Option<LitStr>,
    pub(crate) sort_key: Option<LitStr>,
}

/// A serde field option that stops the field from being a plain stored attribute.
pub(crate) struct SerdeOption {
    pub(crate) name: String,
    pub(crate) span: Span,
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
    /// serde's `rename` (the serialize side).
    pub(crate) rename: Option<String>,
    /// serde's `skip`, `skip_serializing`, `skip_deserializing`, `skip_serializing_if`, `flatten`.
    pub(crate) serde_options: Vec<SerdeOption>,
    /// serde's `with` / `serialize_with`: the field has its own serializer.
    pub(crate) custom_serializer: bool,
}

impl ContainerAttrs {
    pub(crate) fn parse(attrs: &[Attribute], errors: &mut Errors) -> Self {
        let mut out = ContainerAttrs::default();
        for attr in attrs {
            if attr.path().is_ident("item") {
                let result = attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("table") {
                        let value: LitStr = meta.value()?.parse()?;
                        if out.table.is_some() {
                            return Err(meta.error("duplicate #[item] option `table`"));
                        }
                        out.table = Some(value);
                        Ok(())
                    } else if meta.path.is_ident("serde") {
                        out.serde_impl = true;
                        Ok(())
                    } else if meta.path.is_ident("crate") {
                        let value: LitStr = meta.value()?.parse()?;
                        if out.krate.is_some() {
                            return Err(meta.error("duplicate #[item] option `crate`"));
                        }
                        let path = value.parse::<syn::Path>().map_err(|_| {
                            syn::Error::new_spanned(
                                &value,
                                format_args!(
                                    "`{}` is not a path; `crate` names the path to the model crate, \
                                     like `crate = \"::notes_repo::__model\"`",
                                    value.value()
                                ),
                            )
                        })?;
                        out.krate = Some(path);
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
                        };
                        meta.parse_nested_meta(|inner| {
                            let slot = if inner.path.is_ident("name") {
                                &mut index.name
                            } else if inner.path.is_ident("partition_key") && kind == IndexKindAttr::Global {
                                &mut index.partition_key
                            } else if inner.path.is_ident("sort_key") {
                                &mut index.sort_key
                            } else {
                                let expected = match kind {
                                    IndexKindAttr::Global => "`name`, `partition_key` and `sort_key`",
                                    IndexKindAttr::Local => {
                                        "`name` and `sort_key` (a local index shares the table's partition key)"
                                    }
                                };
                                return Err(inner.error(format_args!(
                                    "unknown index option; the options are {expected}"
                                )));
                            };
                            if slot.is_some() {
                                return Err(inner.error("duplicate index option"));
                            }
                            *slot = Some(inner.value()?.parse()?);
                            Ok(())
                        })?;
                        out.indexes.push(index);
                        Ok(())
                    } else {
                        let path = &meta.path;
                        let name = quote::quote!(#path).to_string().replace(' ', "");
                        Err(meta.error(format_args!(
                            "unknown #[item] option `{name}`; the options are `table = \"...\"`, `global_index(...)`, `local_index(...)`, `serde` and `crate = \"...\"`"
                        )))
                    }
                });
                if let Err(err) = result {
                    errors.push(err);
                }
            } else if ["partition_key", "sort_key", "version", "ttl"]
                .iter()
                .any(|name| attr.path().is_ident(name))
            {
                errors.spanned(
                    attr,
                    "#[partition_key], #[sort_key], #[version] and #[ttl] belong on a field, not on the struct",
                );
            } else if attr.path().is_ident("serde") {
                for meta in serde_metas(attr) {
                    if meta.path().is_ident("rename_all")
                        && let Some(rule) = serialize_name(&meta)
                    {
                        match RenameRule::from_name(&rule.value()) {
                            Some(rule) => out.rename_all = Some(rule),
                            None => errors.spanned(
                                &rule,
                                format_args!(
                                    "unknown rename rule `{}`; serde's rules are {RULE_NAMES}",
                                    rule.value()
                                ),
                            ),
                        }
                    }
                }
            }
        }
        out
    }
}

impl<'a> FieldAttrs<'a> {
    pub(crate) fn parse(attrs: &'a [Attribute], errors: &mut Errors) -> Self {
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
            } else {
                None
            };
            if let Some(marker) = marker {
                if !matches!(attr.meta, Meta::Path(_)) {
                    errors.spanned(
                        attr,
                        format_args!("#[{}] takes no arguments", quote::quote!(#path)),
                    );
                }
                marker.push(attr);
            } else if path.is_ident("item") {
                errors.spanned(attr, "#[item(...)] belongs on the struct, not on a field");
            } else if path.is_ident("serde") {
                for meta in serde_metas(attr) {
                    let Some(ident) = meta.path().get_ident() else {
                        continue;
                    };
                    let name = ident.to_string();
                    match name.as_str() {
                        "rename" => out.rename = serialize_name(&meta).map(|lit| lit.value()),
                        "with" | "serialize_with" => out.custom_serializer = true,
                        "skip"
                        | "skip_serializing"
                        | "skip_deserializing"
                        | "skip_serializing_if"
                        | "flatten" => out.serde_options.push(SerdeOption {
                            name,
                            span: meta.span(),
                        }),
                        _ => {}
                    }
                }
            }
        }
        out
    }

    /// Whether serde leaves this field out of the stored item (so it has no attribute handle).
    pub(crate) fn is_stored(&self) -> bool {
        !self
            .serde_options
            .iter()
            .any(|o| matches!(o.name.as_str(), "skip" | "skip_serializing" | "flatten"))
    }
}

/// The options inside one `#[serde(...)]`; what syn cannot read is serde's to report.
fn serde_metas(attr: &Attribute) -> Vec<Meta> {
    attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
        .map(|metas| metas.into_iter().collect())
        .unwrap_or_default()
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
