//! `SaleByRegionSort`: the sort-key builder of a multi-attribute index key, handed to a
//! query's `sort_key(|key| ..)` closure. One method per sort attribute and condition:
//! `year(2026)` (an equality), `month_lt`, `_le`, `_gt`, `_ge`, `_between`, `_begins_with`
//! (a range, the last condition). Its type parameter is the state (`EqualitiesGiven<N>`,
//! `RangeGiven<N>`); each method's bounds are the rules of its attribute (`sort_rules`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::KeyTy;
use super::sort_rules::{State, rules};
use crate::ast::{Field, Input};
use crate::names;

/// The builder, its rules and its impls.
pub(super) fn expand(
    input: &Input<'_>,
    index: &str,
    ty: &syn::Ident,
    fields: &[&Field<'_>],
    key_ty: KeyTy<'_>,
) -> TokenStream {
    let m = &input.model;
    let vis = input.vis;
    let item = input.ident;
    let n = fields.len();
    let prefix = names::index_prefix(item, index);
    let list = fields
        .iter()
        .map(|f| format!("`{}`", f.rust_name))
        .collect::<Vec<_>>()
        .join(", ");
    let first = &fields[0].rust_name;
    let second = &fields[1].rust_name;
    let doc = format!(
        "The sort-key conditions of index `{index}` of [`{item}`], whose sort key is {list}: \
         equalities left to right, and a range (`_lt`, `_le`, `_gt`, `_ge`, `_between`, \
         `_begins_with`) only on the last attribute given, as DynamoDB requires. Built in a \
         query's `sort_key` closure: `.sort_key(|key| key.{first}(..).{second}_between(..))`; a \
         condition out of order does not compile, and the error names the attributes."
    );
    let start = State::Equal(0).ty(m);
    let mut declarations = Vec::new();
    let mut methods = Vec::new();
    let names: Vec<&str> = fields.iter().map(|f| f.rust_name.as_str()).collect();
    for (j, field) in fields.iter().enumerate() {
        let rules = rules(&prefix, index, &names, j);
        declarations.extend(rules.iter().map(|rule| rule.declare(m, n)));
        let bounds: Vec<_> = rules.iter().map(|rule| &rule.ident).collect();
        methods.push(attribute_methods(
            input,
            index,
            field,
            j,
            &bounds,
            key_ty(field),
        ));
    }
    quote! {
        #[doc = #doc]
        #[must_use = "sort-key conditions do nothing until the `sort_key` closure returns them"]
        #vis struct #ty<S = #start> {
            conditions: #m::SortKeyConditions,
            state: ::core::marker::PhantomData<fn() -> S>,
        }

        #[automatically_derived]
        impl<S> ::core::fmt::Debug for #ty<S> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_tuple(::core::stringify!(#ty)).field(&self.conditions).finish()
            }
        }

        #[automatically_derived]
        impl #m::SortKeyBuilder for #ty {
            fn start() -> Self {
                #ty {
                    conditions: #m::SortKeyConditions::new(),
                    state: ::core::marker::PhantomData,
                }
            }
        }

        #[automatically_derived]
        impl<S> #m::IntoSortKeyConditions<#ty> for #ty<S> {
            fn into_sort_key_conditions(self) -> #m::SortKeyConditions {
                self.conditions
            }
        }

        #[allow(non_camel_case_types)]
        const _: () = {
            #(#declarations)*

            #[automatically_derived]
            impl<S> #ty<S> {
                #(#methods)*
            }
        };
    }
}

/// The methods of sort attribute `j` (from 0): its equality and its ranges.
fn attribute_methods(
    input: &Input<'_>,
    index: &str,
    field: &Field<'_>,
    j: usize,
    bounds: &[&syn::Ident],
    ty: TokenStream,
) -> TokenStream {
    let m = &input.model;
    let item = input.ident;
    let name = &field.name;
    let rust_name = &field.rust_name;
    let builder = names::index_value_types(item, index).1;
    let marker = super::marker(input, field);
    let input_ty = quote!(impl #m::KeyInput<#ty, #marker>);
    let equal_state = State::Equal(j + 1).ty(m);
    let range_state = State::Range(j + 1).ty(m);
    let value = |v: &TokenStream| quote!(<#ty as #m::KeyValue>::to_attribute_value(&#m::KeyInput::into_key(#v)));
    let compare = |suffix: &str, comparator: &str, op: &str| {
        let method = format_ident!("{rust_name}_{suffix}");
        let comparator = format_ident!("{comparator}");
        let doc = format!("`{rust_name} {op} value`: the last sort condition.");
        let v = value(&quote!(value));
        quote! {
            #[doc = #doc]
            pub fn #method(self, value: #input_ty) -> #builder<#range_state>
            where
                S: #(#bounds)+*
            {
                #builder {
                    conditions: self.conditions.last(
                        #name,
                        #m::expr::SortKeyCondition::Compare(#m::expr::Comparator::#comparator, #v),
                    ),
                    state: ::core::marker::PhantomData,
                }
            }
        }
    };
    let equal = field.ident;
    let equal_doc = format!(
        "`{rust_name} = value`: an equality, after which the next sort attribute may be given."
    );
    let between = format_ident!("{rust_name}_between");
    let between_doc =
        format!("`{rust_name} BETWEEN low AND high`, both included: the last sort condition.");
    let begins_with = format_ident!("{rust_name}_begins_with");
    let begins_with_doc = format!(
        "`begins_with({rust_name}, prefix)`, for a string or binary attribute: the last sort \
         condition."
    );
    let (eq_value, low, high) = (
        value(&quote!(value)),
        value(&quote!(low)),
        value(&quote!(high)),
    );
    let comparisons = [
        compare("lt", "Lt", "<"),
        compare("le", "Le", "<="),
        compare("gt", "Gt", ">"),
        compare("ge", "Ge", ">="),
    ];
    quote! {
        #[doc = #equal_doc]
        pub fn #equal(self, value: #input_ty) -> #builder<#equal_state>
        where
            S: #(#bounds)+*
        {
            #builder {
                conditions: self.conditions.equal(#name, #eq_value),
                state: ::core::marker::PhantomData,
            }
        }

        #(#comparisons)*

        #[doc = #between_doc]
        pub fn #between(
            self,
            low: #input_ty,
            high: #input_ty,
        ) -> #builder<#range_state>
        where
            S: #(#bounds)+*
        {
            #builder {
                conditions: self.conditions.last(
                    #name,
                    #m::expr::SortKeyCondition::Between(#low, #high),
                ),
                state: ::core::marker::PhantomData,
            }
        }

        #[doc = #begins_with_doc]
        pub fn #begins_with(self, prefix: impl #m::SortPrefix<#ty, #marker>) -> #builder<#range_state>
        where
            S: #(#bounds)+*
        {
            #builder {
                conditions: self.conditions.last(
                    #name,
                    #m::expr::SortKeyCondition::BeginsWith(#m::SortPrefix::into_prefix(prefix)),
                ),
                state: ::core::marker::PhantomData,
            }
        }
    }
}
