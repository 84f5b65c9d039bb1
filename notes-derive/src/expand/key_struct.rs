//! The typed key (`NoteKey`) and its `PrimaryKey` impl, for every kind of item: keys that are
//! fields, keys computed from templates, collections, and the fallback after errors.

use proc_macro2::TokenStream;
use quote::quote;

/// A key struct to generate: a field per key, partition key first.
pub(crate) struct KeyStruct<'a> {
    /// The path to the model crate.
    pub(crate) model: &'a TokenStream,
    /// The item type the key belongs to.
    pub(crate) item: &'a syn::Ident,
    pub(crate) vis: &'a syn::Visibility,
    /// `NoteKey`.
    pub(crate) ident: syn::Ident,
    pub(crate) doc: String,
    /// `None` only in a placeholder for an input without a partition key.
    pub(crate) partition: Option<KeyField>,
    /// `None`: the key has no sort key (`NoSortKey`).
    pub(crate) sort: Option<KeyField>,
    /// `NoteKey::new`, if the key has one.
    pub(crate) new: Option<Constructor>,
    /// After errors: no derives (the field types may implement nothing) and
    /// `unimplemented!()` bodies, so that code using the key reports nothing more.
    pub(crate) placeholder: bool,
}

/// One key field of the struct.
pub(crate) struct KeyField {
    pub(crate) ident: syn::Ident,
    pub(crate) doc: String,
    /// The field's type.
    pub(crate) ty: TokenStream,
    /// The key type `PrimaryKey` names: the field's type, but in a placeholder.
    pub(crate) key_ty: TokenStream,
}

impl KeyField {
    /// A key field whose type is the key type.
    pub(crate) fn new(ident: syn::Ident, doc: String, ty: TokenStream) -> Self {
        KeyField {
            ident,
            doc,
            key_ty: ty.clone(),
            ty,
        }
    }
}

/// `NoteKey::new(params) -> Self { body }`.
pub(crate) struct Constructor {
    pub(crate) doc: String,
    pub(crate) params: Vec<TokenStream>,
    pub(crate) body: TokenStream,
}

impl KeyStruct<'_> {
    pub(crate) fn expand(&self) -> TokenStream {
        let m = self.model;
        let (item, vis, ident, doc) = (self.item, self.vis, &self.ident, &self.doc);
        let fields = self.partition.iter().chain(&self.sort).map(|field| {
            let (field_ident, doc, ty) = (&field.ident, &field.doc, &field.ty);
            quote!(#[doc = #doc] pub #field_ident: #ty,)
        });
        let pk_ty = self
            .partition
            .as_ref()
            .map_or_else(|| quote!(::std::string::String), |pk| pk.key_ty.clone());
        let sk_ty = self
            .sort
            .as_ref()
            .map_or_else(|| quote!(#m::NoSortKey), |sk| sk.key_ty.clone());
        let unimplemented = quote!(::core::unimplemented!());
        let body = |generated: TokenStream| {
            if self.placeholder {
                unimplemented.clone()
            } else {
                generated
            }
        };
        let new = self.new.as_ref().map(|new| {
            let (doc, params) = (&new.doc, &new.params);
            let new_body = body(new.body.clone());
            quote! {
                #[automatically_derived]
                impl #ident {
                    #[doc = #doc]
                    #[allow(clippy::redundant_clone)]
                    #vis fn new(#(#params),*) -> Self {
                        #new_body
                    }
                }
            }
        });
        let (pk_field, sk_field) = (
            self.partition.as_ref().map(|pk| &pk.ident),
            self.sort.as_ref().map(|sk| &sk.ident),
        );
        let (partition_key_binding, sort_key_binding) = match (self.placeholder, sk_field) {
            (true, _) => (quote!(_), quote!(_)),
            (false, Some(_)) => (quote!(partition_key), quote!(sort_key)),
            (false, None) => (quote!(partition_key), quote!(_sort_key)),
        };
        let from_parts = body(match pk_field {
            Some(pk_field) => {
                let sk_init = sk_field.map(|sk_field| quote!(#sk_field: sort_key,));
                quote!(#ident { #pk_field: partition_key, #sk_init })
            }
            None => unimplemented.clone(),
        });
        let partition_key = body(match pk_field {
            Some(pk_field) => quote!(&self.#pk_field),
            None => unimplemented.clone(),
        });
        let sort_key = body(match sk_field {
            Some(sk_field) => quote!(&self.#sk_field),
            None => quote!(&#m::NoSortKey),
        });
        let derives = if self.placeholder {
            quote! {
                #[automatically_derived]
                impl ::core::clone::Clone for #ident {
                    fn clone(&self) -> Self {
                        ::core::unimplemented!()
                    }
                }

                #[automatically_derived]
                impl ::core::fmt::Debug for #ident {
                    fn fmt(&self, _: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        ::core::unimplemented!()
                    }
                }

                #[automatically_derived]
                impl ::core::cmp::PartialEq for #ident {
                    fn eq(&self, _: &Self) -> bool {
                        ::core::unimplemented!()
                    }
                }
            }
        } else {
            TokenStream::new()
        };
        let derive_attr = (!self.placeholder).then(
            || quote!(#[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]),
        );
        quote! {
            #[doc = #doc]
            #derive_attr
            #vis struct #ident {
                #(#fields)*
            }

            #new

            #derives

            #[automatically_derived]
            impl #m::PrimaryKey for #ident {
                type Item = #item;
                type PartitionKey = #pk_ty;
                type SortKey = #sk_ty;

                fn from_parts(#partition_key_binding: #pk_ty, #sort_key_binding: #sk_ty) -> Self {
                    #from_parts
                }

                fn partition_key(&self) -> &#pk_ty {
                    #partition_key
                }

                fn sort_key(&self) -> &#sk_ty {
                    #sort_key
                }
            }
        }
    }
}
