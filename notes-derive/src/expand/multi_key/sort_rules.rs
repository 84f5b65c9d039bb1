//! The rules a sort-key builder's methods follow, as DynamoDB states them for a multi-attribute
//! sort key: conditions left to right, an equality on every attribute before the last one
//! given, a range only on the last. Each way to break them is a trait of its own whose
//! `on_unimplemented` message names the attributes ("`month` comes after `year` in index
//! `byRegion`: give an equality on `year` first"), implemented by every builder state but the
//! ones that break it; a method of attribute `a` carries every rule of `a` as a bound, so that
//! a call in a wrong state fails exactly one, with its message.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// A state of the builder: `Equal(k)` after equalities on the first `k` sort attributes,
/// `Range(k)` after a range on the `k`th (counted from 1).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Equal(usize),
    Range(usize),
}

impl State {
    /// Every state of a builder of `n` sort attributes.
    pub(super) fn all(n: usize) -> impl Iterator<Item = State> {
        (0..=n).map(State::Equal).chain((1..=n).map(State::Range))
    }

    /// The model type of the state (`EqualitiesGiven<1>`, `RangeGiven<2>`).
    pub(super) fn ty(self, m: &TokenStream) -> TokenStream {
        match self {
            State::Equal(k) => quote!(#m::EqualitiesGiven<#k>),
            State::Range(k) => quote!(#m::RangeGiven<#k>),
        }
    }
}

/// One way to break the order: its trait, the message, and the states that break it.
pub(super) struct Rule {
    pub(super) ident: syn::Ident,
    message: String,
    label: String,
    broken_by: Vec<State>,
}

/// The rules of sort attribute `j` (from 0) among the sort attributes `names` (Rust field
/// names), for index `index`; `prefix` names their traits (`SaleByRegion`).
pub(super) fn rules(prefix: &str, index: &str, names: &[&str], j: usize) -> Vec<Rule> {
    let name = |i: usize| names[i];
    let pascal = |i: usize| crate::names::pascal(name(i));
    let this = name(j);
    let mut rules = Vec::new();
    // Given before an attribute to its left: that one first.
    for k in 0..j {
        rules.push(Rule {
            ident: format_ident!("{prefix}{}Needs{}", pascal(j), pascal(k)),
            message: format!(
                "`{this}` comes after `{}` in index `{index}`: give an equality on `{}` first",
                name(k),
                name(k)
            ),
            label: format!("give `{}` first", name(k)),
            broken_by: vec![State::Equal(k)],
        });
    }
    // Given again, or after an attribute to its right.
    rules.push(Rule {
        ident: format_ident!("{prefix}{}Again", pascal(j)),
        message: format!(
            "`{this}` already has its condition in this query of index `{index}`: sort \
             conditions go left to right, one per attribute"
        ),
        label: format!("`{this}` is given twice"),
        broken_by: (j + 1..=names.len()).map(State::Equal).collect(),
    });
    // After a range, which ends the conditions.
    for k in 0..names.len() {
        let hint = if k == j {
            format!(" (for two bounds, use `{this}_between(low, high)`)")
        } else {
            String::new()
        };
        rules.push(Rule {
            ident: format_ident!("{prefix}{}AfterRangeOn{}", pascal(j), pascal(k)),
            message: format!(
                "a range on `{}` must be the last sort condition of index `{index}`: `{this}` \
                 cannot follow it{hint}",
                name(k)
            ),
            label: format!("after the range on `{}`", name(k)),
            broken_by: vec![State::Range(k + 1)],
        });
    }
    rules
}

impl Rule {
    /// The trait, and its impls for every state of a builder of `n` attributes that keeps it.
    pub(super) fn declare(&self, m: &TokenStream, n: usize) -> TokenStream {
        let Rule {
            ident,
            message,
            label,
            broken_by,
        } = self;
        let keeps = State::all(n)
            .filter(|state| !broken_by.contains(state))
            .map(|state| state.ty(m));
        quote! {
            #[diagnostic::on_unimplemented(message = #message, label = #label)]
            pub trait #ident {}
            #(
                // Not listed in the error about a state that breaks the rule.
                #[diagnostic::do_not_recommend]
                impl #ident for #keeps {}
            )*
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A call in a wrong state breaks exactly one rule (one error, with its message), and a
    /// call in the right state none.
    #[test]
    fn each_wrong_state_breaks_exactly_one_rule() {
        for n in 2..=4 {
            let names: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            for j in 0..n {
                let rules = rules("ItemIndex", "index", &names, j);
                for state in State::all(n) {
                    let broken = rules
                        .iter()
                        .filter(|r| r.broken_by.contains(&state))
                        .count();
                    let expected = usize::from(state != State::Equal(j));
                    assert_eq!(broken, expected, "n {n}, attribute {j}");
                }
            }
        }
    }

    #[test]
    fn messages_name_the_attributes() {
        let rules = rules("SaleByRegion", "byRegion", &["year", "month", "day"], 1);
        let messages: Vec<(&str, String)> = rules
            .iter()
            .map(|rule| (rule.message.as_str(), rule.ident.to_string()))
            .collect();
        assert_eq!(
            messages[0],
            (
                "`month` comes after `year` in index `byRegion`: give an equality on `year` first",
                "SaleByRegionMonthNeedsYear".to_owned()
            )
        );
        assert!(messages.iter().any(|(message, _)| *message
            == "a range on `year` must be the last sort condition of index `byRegion`: `month` \
                cannot follow it"));
    }
}
