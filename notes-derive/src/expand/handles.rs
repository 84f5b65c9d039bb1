//! The typed handles of an item: one per stored attribute (`Note::CONTENT`), one per index
//! (`Note::BY_CREATED_AT`).

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use crate::ast::{Field, Input, option_inner};
use crate::attr::EncryptionKind;
use crate::expand::multi_key;
use crate::names;

/// One typed attribute handle per stored field: `Note::CONTENT`, named after the field, typed
/// `Attribute<Note, String, F>` with `F` a marker type per attribute. The markers are declared
/// in a hidden const named after the item (`const Note: () = { pub struct content; .. }`), so
/// that the compiler's errors about a value of the wrong type name the attribute as the user
/// wrote it, `Note::content`; the handles name them through `AttributeAt`. A marker implements
/// `MayBeAbsent` when an item without the attribute reads (so only those have `remove()`), and
/// `Unencrypted` unless the field is `#[encrypt]` (so only those compare in conditions);
/// `all_may_be_absent` (the fallback, after errors) implements both for all, so that no error
/// follows from another.
pub(crate) fn attributes(input: &Input<'_>, all_may_be_absent: bool) -> TokenStream {
    let m = &input.model;
    let ident = input.ident;
    let vis = input.vis;
    let stored: Vec<(usize, &Field<'_>)> = input
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.attrs.is_stored())
        .collect();
    if stored.is_empty() {
        return TokenStream::new();
    }
    let markers = stored.iter().map(|(position, field)| {
        let marker = field.ident;
        let doc = format!("Names `{ident}::{}` in compile errors.", field.rust_name);
        let may_be_absent = (all_may_be_absent || input.may_be_absent(field)).then(|| {
            quote! {
                #[automatically_derived]
                // Not listed in the error about another attribute that cannot be removed.
                #[diagnostic::do_not_recommend]
                impl #m::MayBeAbsent<#ident> for #marker {}
            }
        });
        let unencrypted = (all_may_be_absent
            || field.attrs.encryption_kind() != EncryptionKind::Encrypt)
            .then(|| {
                quote! {
                    #[automatically_derived]
                    #[diagnostic::do_not_recommend]
                    impl #m::Unencrypted for #marker {}
                }
            });
        // An `Option<T>` attribute also takes a `T` (`set("a.png")`).
        let takes = match option_inner(field.ty) {
            Some(_) => quote!(#m::IntoOption),
            None => quote!(#m::IntoType),
        };
        // Spanned on the field: an error about the marker points there.
        let declaration = quote_spanned!(marker.span()=> pub struct #marker;);
        quote! {
            #[doc = #doc]
            #declaration

            // rustc prints a type whose name is unique in the crate by its name alone
            // (`content`); with a second one it prints the path, `Note::content`.
            const _: () = {
                struct #marker;
            };

            #[automatically_derived]
            impl #m::AttributeMarker for #marker {
                type Takes = #takes;
            }

            #[automatically_derived]
            #[allow(non_local_definitions)] // the handle names the marker through this impl
            impl #m::AttributeAt<#position> for #ident {
                type Marker = #marker;
            }

            #may_be_absent

            #unencrypted
        }
    });
    let consts = stored.iter().map(|(position, field)| {
        let const_ident = syn::Ident::new(
            &names::attribute_handle(&field.rust_name),
            Span::call_site(),
        );
        let field_vis = field.vis;
        let ty = field.ty;
        let name = &field.name;
        let doc = format!("The `{name}` attribute, for conditions and updates.");
        quote! {
            #[doc = #doc]
            #field_vis const #const_ident: #m::Attribute<
                #ident,
                #ty,
                <#ident as #m::AttributeAt<#position>>::Marker,
            > = #m::Attribute::new(#name);
        }
    });
    let markers_doc = format!("The marker types of [`{ident}`]'s attribute handles.");
    quote! {
        #[doc = #markers_doc]
        #[doc(hidden)]
        #[allow(non_upper_case_globals, non_camel_case_types, dead_code, unreachable_pub)]
        #vis const #ident: () = {
            #(#markers)*
        };

        #[automatically_derived]
        impl #ident {
            #(#consts)*
        }
    }
}

/// One typed handle per index: `Note::BY_CREATED_AT: Index<Note, PK, SK>`.
pub(crate) fn indexes(input: &Input<'_>) -> TokenStream {
    let m = &input.model;
    let ident = input.ident;
    let vis = input.vis;
    let handles = input
        .attrs
        .indexes
        .iter()
        .enumerate()
        .filter_map(|(i, index)| {
            let name = index.name.as_ref()?.value();
            // An index name that makes no identifier is an error already reported.
            let const_ident = syn::parse_str::<syn::Ident>(&names::index_handle(&name)).ok()?;
            let fields = input.index_fields(index);
            // A side of several attributes has its generated type (`multi_key`).
            let (partition, sort) = names::index_value_types(ident, &name);
            let mut pk_ty = match fields.partition.as_slice() {
                [] => quote!(()),
                [field] => multi_key::key_ty(field),
                _ => quote!(#partition),
            };
            let mut sk_ty = match fields.sort.as_slice() {
                [] => quote!(#m::NoSortKey),
                [field] => multi_key::key_ty(field),
                _ => quote!(#sort),
            };
            if index.is_templated() {
                pk_ty = quote!(#partition);
                if index.sort_template.is_some() {
                    sk_ty = quote!(#sort);
                }
            }
            let doc = format!("The `{name}` index, for typed queries.");
            Some(quote! {
                #[doc = #doc]
                #vis const #const_ident: #m::Index<#ident, #pk_ty, #sk_ty> =
                    #m::Index::new(&<#ident as #m::Item>::INDEXES[#i]);
            })
        });
    quote! {
        #[automatically_derived]
        impl #ident {
            #(#handles)*
        }
    }
}
