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

use crate::ast::{Field, Input};
use crate::attr::{SerdeDefault, SerdeField};

/// Code an entity (an item with computed keys) adds to the conversion.
pub(crate) struct Hooks {
    /// Statements run with `__item` (the written map) in scope: insert the computed attributes.
    pub(crate) write: TokenStream,
    /// Statements run with `__item` (the map read) in scope, before any field is read.
    pub(crate) pre: TokenStream,
    /// Statements run with `__item` and `__value` (the item read) in scope.
    pub(crate) post: TokenStream,
    /// How many attributes `write` adds.
    pub(crate) extra_attributes: usize,
    /// Their names: read by `post` (and `pre`), not ignored attributes.
    pub(crate) computed: Vec<String>,
}

/// The `to_item` / `from_item` overrides, or nothing when a serde attribute asks for the
/// serde path; with an entity's `hooks`, the serde path gets overrides too, around serde's
/// conversion.
pub(crate) fn methods(input: &Input<'_>, hooks: Option<&Hooks>) -> TokenStream {
    let m = &input.model;
    let direct = input.attrs.serde.direct && input.fields.iter().all(|f| f.attrs.serde.direct);
    if input.attrs.serde_impl || !direct {
        let Some(hooks) = hooks else {
            return TokenStream::new();
        };
        let Hooks {
            write, pre, post, ..
        } = hooks;
        return quote! {
            fn to_item(&self) -> ::core::result::Result<#m::ItemMap, #m::Error> {
                let mut __item = #m::to_item_map(self)?;
                #write
                ::core::result::Result::Ok(__item)
            }

            fn from_item(__item: #m::ItemMap) -> ::core::result::Result<Self, #m::Error> {
                <Self as #m::Item>::from_item_ref(&__item)
            }

            fn from_item_ref(__item: &#m::ItemMap) -> ::core::result::Result<Self, #m::Error> {
                #pre
                let __value: Self = #m::from_item_map(
                    ::core::clone::Clone::clone(__item),
                    &<Self as #m::Item>::KEY_SCHEMA,
                )?;
                #post
                ::core::result::Result::Ok(__value)
            }
        };
    }
    let fields: Vec<(&Field<'_>, &SerdeField)> = input
        .fields
        .iter()
        .map(|field| (field, &field.attrs.serde))
        .collect();
    let to_item = to_item(m, &fields, hooks);
    let owned = from_item(m, &fields, hooks, Read::Owned);
    let borrowed = from_item(m, &fields, hooks, Read::Borrowed);
    // An entity's hooks read a map: its pairs are collected into one (the default).
    let entries = match hooks {
        None => from_item(m, &fields, hooks, Read::Entries),
        Some(_) => TokenStream::new(),
    };
    quote! {
        #to_item
        #owned
        #borrowed
        #entries
    }
}

fn is_key(field: &Field<'_>) -> bool {
    field.attrs.is_key()
}

fn to_item(
    m: &TokenStream,
    fields: &[(&Field<'_>, &SerdeField)],
    hooks: Option<&Hooks>,
) -> TokenStream {
    let written: Vec<_> = fields
        .iter()
        .filter(|(_, serde)| !serde.skip_serializing)
        .collect();
    let capacity = written.len() + hooks.map_or(0, |h| h.extra_attributes);
    let write = hooks.map(|h| &h.write);
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
            #write
            ::core::result::Result::Ok(__item)
        }
    }
}

/// The lookup of `from_item_ref` and `from_entries`: the attribute of each field read,
/// found in one pass over the map or the pairs (comparing names is cheaper than hashing
/// each one), into `found(i)`: a reference to the value, or the index of the pair.
fn find_in_one_pass(
    m: &TokenStream,
    fields: &[(&Field<'_>, &SerdeField)],
    found: impl Fn(usize) -> proc_macro2::Ident,
    read_as: Read,
) -> TokenStream {
    let read: Vec<(usize, &String)> = fields
        .iter()
        .enumerate()
        .filter(|(_, (_, serde))| !serde.skip_deserializing)
        .map(|(i, (field, _))| (i, &field.name))
        .collect();
    if read.is_empty() {
        return TokenStream::new();
    }
    let declare = read.iter().map(|(i, _)| {
        let found = found(*i);
        if read_as == Read::Entries {
            quote!(let mut #found: ::core::option::Option<usize> = ::core::option::Option::None;)
        } else {
            quote! {
                let mut #found: ::core::option::Option<&#m::AttributeValue> =
                    ::core::option::Option::None;
            }
        }
    });
    // One arm per name: fields that share a name both see its attribute, as `get` would.
    let mut names: Vec<&String> = read.iter().map(|(_, name)| *name).collect();
    names.sort();
    names.dedup();
    let arms = names.iter().map(|name| {
        let slots = read
            .iter()
            .filter(|(_, n)| n == name)
            .map(|(i, _)| found(*i));
        quote!(#name => { #(#slots = ::core::option::Option::Some(__value);)* })
    });
    let pairs = if read_as == Read::Entries {
        quote! {
            ::core::iter::Iterator::map(
                ::core::iter::Iterator::enumerate(__entries.iter()),
                |(__index, (__name, _))| (__name, __index),
            )
        }
    } else {
        quote!(__item)
    };
    quote! {
        #(#declare)*
        for (__name, __value) in #pairs {
            match ::std::string::String::as_str(__name) {
                #(#arms)*
                _ => {}
            }
        }
    }
}

/// Which `from_item` to generate.
#[derive(Clone, Copy, PartialEq)]
enum Read {
    /// `from_item`: values are moved out of the map.
    Owned,
    /// `from_item_ref`: values are read in place, and cloned only when kept.
    Borrowed,
    /// `from_entries`: values are moved out of the pairs, found in one pass.
    Entries,
}

/// `from_item`, or `from_item_ref`: the same reads in the same order, so the same value or
/// the same error.
fn from_item(
    m: &TokenStream,
    fields: &[(&Field<'_>, &SerdeField)],
    hooks: Option<&Hooks>,
    read: Read,
) -> TokenStream {
    let borrowed = read == Read::Borrowed;
    let entries = read == Read::Entries;
    let pre = hooks.map(|h| &h.pre);
    let post = hooks.map(|h| &h.post);
    // The computed attributes (checked by `pre` and `post`) count as read.
    let computed = hooks.map_or(0, |h| h.extra_attributes);
    let slot = |i: usize| format_ident!("__field{}", i, span = Span::mixed_site());
    let item_ref = if borrowed {
        quote!(__item)
    } else {
        quote!(&__item)
    };
    // An error names the key from a map: the pairs make one.
    let to_map = if entries {
        quote! {
            #[allow(unused_mut)]
            let mut __item: #m::ItemMap = ::core::iter::Iterator::collect(
                ::core::iter::IntoIterator::into_iter(__entries),
            );
        }
    } else {
        TokenStream::new()
    };
    let error = |name: TokenStream| {
        // `name` is an `Option<&str>`.
        quote! {{
            #to_map
            return ::core::result::Result::Err(#m::convert::read_error::<Self>(
                #item_ref,
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
    // Non-key attributes first, then the keys (read in place, so that every error names the
    // key as stored): the order the errors have always come in.
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
    let found = |i: usize| format_ident!("__found{}", i, span = Span::mixed_site());
    let find = if read == Read::Owned {
        TokenStream::new()
    } else {
        find_in_one_pass(m, fields, found, read)
    };
    let reads = order
        .filter(|(_, (_, serde))| !serde.skip_deserializing)
        .map(|(i, (field, _))| {
            let ty = field.ty;
            let name = &field.name;
            let slot = slot(i);
            let (value, method) = match (read, is_key(field)) {
                (Read::Borrowed, _) => {
                    let found = found(i);
                    (quote!(#found), quote!(decode_field_ref))
                }
                (Read::Entries, key) => {
                    let found = found(i);
                    // Key values are read in place: every error names the key as stored.
                    let (value, method) = if key {
                        (quote!(&__entries[__index].1), quote!(decode_field_ref))
                    } else {
                        (quote!(&mut __entries[__index].1), quote!(decode_field))
                    };
                    let value = quote! {
                        match #found {
                            ::core::option::Option::Some(__index) => {
                                ::core::option::Option::Some(#value)
                            }
                            ::core::option::Option::None => ::core::option::Option::None,
                        }
                    };
                    (value, method)
                }
                // Key values are read in place: every error names the key as stored.
                (Read::Owned, true) => (quote!(__item.get(#name)), quote!(decode_field_ref)),
                (Read::Owned, false) => (quote!(__item.get_mut(#name)), quote!(decode_field)),
            };
            let on_error = error(quote!(::core::option::Option::Some(#name)));
            quote! {
                if let ::core::option::Option::Some(__value) = #value {
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
        .map(|(field, _)| &field.name)
        .chain(hooks.iter().flat_map(|h| &h.computed));
    let on_ignored = error(quote!(::core::option::Option::Some(&__name)));
    let (check, len) = match read {
        Read::Borrowed => (
            quote!(#m::convert::check_ignored_ref(__item, &[#(#read_names),*])),
            quote!(__item.len()),
        ),
        Read::Owned => (
            quote!(#m::convert::check_ignored(&mut __item, &[#(#read_names),*])),
            quote!(__item.len()),
        ),
        Read::Entries => (
            quote!(#m::convert::check_ignored_entries(&mut __entries, &[#(#read_names),*])),
            quote!(__entries.len()),
        ),
    };
    let check_ignored = quote! {
        if #len > __read {
            if let ::core::result::Result::Err((__name, __error)) = #check
            #on_ignored
        }
    };
    // Then the missing ones, in declaration order, as serde reports them.
    let on_missing = error(quote!(::core::option::Option::None));
    let fills = fields.iter().enumerate().map(|(i, (field, serde))| {
        let ty = field.ty;
        let name = &field.name;
        let slot = slot(i);
        let default = match &serde.default {
            SerdeDefault::None => None,
            SerdeDefault::Trait => Some(quote!(<#ty as ::core::default::Default>::default())),
            SerdeDefault::Path(path) => Some(quote!(#path())),
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
    let signature = match read {
        Read::Borrowed => quote!(fn from_item_ref(__item: &#m::ItemMap)),
        Read::Owned => quote!(fn from_item(mut __item: #m::ItemMap)),
        Read::Entries => quote! {
            fn from_entries(
                mut __entries: ::std::vec::Vec<(::std::string::String, #m::AttributeValue)>,
            )
        },
    };
    quote! {
        #signature -> ::core::result::Result<Self, #m::Error> {
            #[allow(unused_imports)]
            use #m::convert::{
                DecodeDirect as _, DecodeSerde as _, EncodeDirect as _, EncodeSerde as _,
            };
            #pre
            #(#declare)*
            #find
            #[allow(unused_mut)]
            let mut __read: usize = #computed;
            #(#reads)*
            #check_ignored
            #(#fills)*
            let __value = Self { #(#build),* };
            #post
            ::core::result::Result::Ok(__value)
        }
    }
}
