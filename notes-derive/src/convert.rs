//! The generated `to_item` / `from_item`: direct conversion, field by field.
//!
//! Each field is converted by the model crate's `convert` module directly when its type is a plain one
//! (strings, numbers, `bool`, `Option`s of them) and through serde_dynamo otherwise, chosen by
//! the compiler per field. The maps and errors are those of the serde path, so only the serde
//! attributes whose effect is reproduced exactly here are accepted: `rename_all` and `rename`
//! (one name for both directions), `skip`, `skip_serializing`, `skip_deserializing`,
//! `skip_serializing_if` and `default`. Any other serde attribute on the struct or a field
//! (`flatten`, `with`, `alias`, `deny_unknown_fields`, a container `default`, ...) keeps the
//! whole item on the serde path: no override is generated.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;
use syn::{Attribute, Data, Expr, ExprPath, Fields, Lit, Meta, Token};

use crate::ast::{Field, Input};

/// What `#[serde(default ...)]` says about a missing attribute.
enum Default {
    /// No `default`: missing is an error (`None` for an `Option`).
    None,
    /// `default`: `Default::default()`.
    Trait,
    /// `default = "path"`: `path()`.
    Path(ExprPath),
}

/// The serde options of one field that direct conversion reproduces.
struct SerdeField {
    skip_serializing: bool,
    skip_deserializing: bool,
    skip_serializing_if: Option<ExprPath>,
    default: Default,
}

/// The `to_item` / `from_item` overrides, or nothing when a serde attribute asks for the
/// serde path.
pub(crate) fn methods(input: &Input<'_>) -> TokenStream {
    if input.attrs.serde_impl {
        return TokenStream::new();
    }
    let Some(options) = serde_options(input) else {
        return TokenStream::new();
    };
    let fields: Vec<(&Field<'_>, SerdeField)> = input.fields.iter().zip(options).collect();
    let to_item = to_item(&input.model, &fields);
    let from_item = from_item(&input.model, &fields);
    quote! {
        #to_item
        #from_item
    }
}

/// Every field's serde options, or `None` when the struct or a field uses one that direct
/// conversion does not reproduce.
fn serde_options(input: &Input<'_>) -> Option<Vec<SerdeField>> {
    for meta in serde_metas(&input.original.attrs)? {
        let plain_name = matches!(&meta, Meta::NameValue(nv) if is_str(&nv.value));
        let accepted = (meta.path().is_ident("rename_all") || meta.path().is_ident("rename"))
            && plain_name
            || meta.path().is_ident("crate");
        if !accepted {
            return None;
        }
    }
    let Data::Struct(data) = &input.original.data else {
        return None;
    };
    let Fields::Named(named) = &data.fields else {
        return None;
    };
    if named.named.len() != input.fields.len() {
        return None;
    }
    named
        .named
        .iter()
        .map(|field| field_options(&field.attrs))
        .collect()
}

fn field_options(attrs: &[Attribute]) -> Option<SerdeField> {
    let mut out = SerdeField {
        skip_serializing: false,
        skip_deserializing: false,
        skip_serializing_if: None,
        default: Default::None,
    };
    for meta in serde_metas(attrs)? {
        let ident = meta.path().get_ident()?.to_string();
        match (ident.as_str(), &meta) {
            ("rename", Meta::NameValue(nv)) if is_str(&nv.value) => {}
            ("skip", Meta::Path(_)) => {
                out.skip_serializing = true;
                out.skip_deserializing = true;
            }
            ("skip_serializing", Meta::Path(_)) => out.skip_serializing = true,
            ("skip_deserializing", Meta::Path(_)) => out.skip_deserializing = true,
            ("skip_serializing_if", Meta::NameValue(nv)) => {
                out.skip_serializing_if = Some(str_path(&nv.value)?);
            }
            ("default", Meta::Path(_)) => out.default = Default::Trait,
            ("default", Meta::NameValue(nv)) => out.default = Default::Path(str_path(&nv.value)?),
            _ => return None,
        }
    }
    Some(out)
}

/// All `#[serde(...)]` options of `attrs`, or `None` when one cannot be read (serde reports
/// it; the serde path is kept meanwhile).
fn serde_metas(attrs: &[Attribute]) -> Option<Vec<Meta>> {
    let mut metas = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let parsed = attr
            .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .ok()?;
        metas.extend(parsed);
    }
    Some(metas)
}

fn is_str(expr: &Expr) -> bool {
    matches!(expr, Expr::Lit(lit) if matches!(lit.lit, Lit::Str(_)))
}

/// The path in `"Option::is_none"`, as serde parses it.
fn str_path(expr: &Expr) -> Option<ExprPath> {
    match expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(s) => s.parse().ok(),
            _ => None,
        },
        _ => None,
    }
}

fn is_key(field: &Field<'_>) -> bool {
    !field.attrs.partition_key.is_empty() || !field.attrs.sort_key.is_empty()
}

fn to_item(m: &TokenStream, fields: &[(&Field<'_>, SerdeField)]) -> TokenStream {
    let written: Vec<_> = fields
        .iter()
        .filter(|(_, serde)| !serde.skip_serializing)
        .collect();
    let capacity = written.len();
    let inserts = written.iter().map(|(field, serde)| {
        let ident = field.ident;
        let ty = field.ty;
        let name = &field.name;
        let insert = quote! {
            match (&&#m::convert::Slot::<#ty>::new()).encode_field(&self.#ident) {
                ::core::result::Result::Ok(__value) => {
                    __item.insert(::std::string::String::from(#name), __value);
                }
                ::core::result::Result::Err(__error) => {
                    return ::core::result::Result::Err(
                        #m::convert::write_error::<Self>(#name, __error),
                    );
                }
            }
        };
        match &serde.skip_serializing_if {
            Some(path) => quote!(if !#path(&self.#ident) { #insert }),
            None => insert,
        }
    });
    quote! {
        fn to_item(&self) -> ::core::result::Result<#m::ItemMap, #m::Error> {
            #[allow(unused_imports)]
            use #m::convert::{EncodeDirect as _, EncodeSerde as _};
            #[allow(unused_mut)]
            let mut __item = #m::ItemMap::with_capacity(#capacity);
            #(#inserts)*
            ::core::result::Result::Ok(__item)
        }
    }
}

fn from_item(m: &TokenStream, fields: &[(&Field<'_>, SerdeField)]) -> TokenStream {
    let slot = |i: usize| format_ident!("__field{}", i, span = Span::mixed_site());
    let keys: Vec<(usize, &Field<'_>)> = fields
        .iter()
        .enumerate()
        .filter(|(_, (field, _))| is_key(field))
        .map(|(i, (field, _))| (i, *field))
        .collect();
    // Puts the key attributes already read back, so every error names the whole key.
    let restore: Vec<TokenStream> = keys
        .iter()
        .map(|(i, field)| {
            let ty = field.ty;
            let name = &field.name;
            let slot = slot(*i);
            quote! {
                if let ::core::option::Option::Some(__key) = &#slot {
                    if let ::core::result::Result::Ok(__value) =
                        (&&#m::convert::Slot::<#ty>::new()).encode_field(__key)
                    {
                        __item.insert(::std::string::String::from(#name), __value);
                    }
                }
            }
        })
        .collect();
    let error = |name: TokenStream| {
        // `name` is an `Option<&str>`.
        quote! {{
            #(#restore)*
            return ::core::result::Result::Err(#m::convert::read_error::<Self>(
                &__item,
                &<Self as #m::Item>::KEY_SCHEMA,
                #name,
                __error,
            ));
        }}
    };

    let declare = fields.iter().enumerate().map(|(i, (field, _))| {
        let ty = field.ty;
        let slot = slot(i);
        quote!(let mut #slot: ::core::option::Option<#ty> = ::core::option::Option::None;)
    });
    // Non-key attributes first: while they are read the key attributes are still in the map.
    let order = fields
        .iter()
        .enumerate()
        .filter(|(_, (field, _))| !is_key(field))
        .chain(
            fields
                .iter()
                .enumerate()
                .filter(|(_, (field, _))| is_key(field)),
        );
    let reads = order
        .filter(|(_, (_, serde))| !serde.skip_deserializing)
        .map(|(i, (field, _))| {
            let ty = field.ty;
            let name = &field.name;
            let slot = slot(i);
            let method = if is_key(field) {
                quote!(decode_key_field)
            } else {
                quote!(decode_field)
            };
            let on_error = error(quote!(::core::option::Option::Some(#name)));
            quote! {
                if let ::core::option::Option::Some(__value) = __item.get_mut(#name) {
                    match (&&#m::convert::Slot::<#ty>::new()).#method(__value) {
                        ::core::result::Result::Ok(__value) => {
                            #slot = ::core::option::Option::Some(__value);
                            __read += 1;
                        }
                        ::core::result::Result::Err(__error) => #on_error
                    }
                }
            }
        });
    // serde also reads the attributes it ignores (and fails on malformed numbers in them).
    let read_names = fields
        .iter()
        .filter(|(_, serde)| !serde.skip_deserializing)
        .map(|(field, _)| &field.name);
    let on_ignored = error(quote!(::core::option::Option::Some(&__name)));
    let check_ignored = quote! {
        if __item.len() > __read {
            if let ::core::result::Result::Err((__name, __error)) =
                #m::convert::check_ignored(&mut __item, &[#(#read_names),*])
            #on_ignored
        }
    };
    // Then the missing ones, in declaration order, as serde reports them. Nothing is moved
    // out of the slots until every check is done, so an error can still restore the key.
    let on_missing = error(quote!(::core::option::Option::None));
    let fills = fields.iter().enumerate().map(|(i, (field, serde))| {
        let ty = field.ty;
        let name = &field.name;
        let slot = slot(i);
        let default = match &serde.default {
            Default::None => None,
            Default::Trait => Some(quote!(<#ty as ::core::default::Default>::default())),
            Default::Path(path) => Some(quote!(#path())),
        };
        let value = match default {
            Some(default) => default,
            None if serde.skip_deserializing => {
                quote!(<#ty as ::core::default::Default>::default())
            }
            None => quote! {
                match (&&#m::convert::Slot::<#ty>::new()).missing_field(#name) {
                    ::core::result::Result::Ok(__value) => __value,
                    ::core::result::Result::Err(__error) => #on_missing
                }
            },
        };
        quote! {
            if #slot.is_none() {
                #slot = ::core::option::Option::Some(#value);
            }
        }
    });
    let build = fields.iter().enumerate().map(|(i, (field, _))| {
        let ident = field.ident;
        let slot = slot(i);
        quote! {
            #ident: match #slot {
                ::core::option::Option::Some(__value) => __value,
                ::core::option::Option::None => ::core::unreachable!(),
            }
        }
    });
    quote! {
        fn from_item(
            mut __item: #m::ItemMap,
        ) -> ::core::result::Result<Self, #m::Error> {
            #[allow(unused_imports)]
            use #m::convert::{
                DecodeDirect as _, DecodeSerde as _, EncodeDirect as _, EncodeSerde as _,
            };
            #(#declare)*
            #[allow(unused_mut)]
            let mut __read: usize = 0;
            #(#reads)*
            #check_ignored
            #(#fills)*
            ::core::result::Result::Ok(Self { #(#build),* })
        }
    }
}
