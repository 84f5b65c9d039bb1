//! Spans of generated code: a check about a field's type is reported on the field.

use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;
use syn::spanned::Spanned;

use crate::ast::Field;

/// The field's type, spanned on the field so that "cannot be a key" points at it.
pub(crate) fn spanned_ty(field: &Field<'_>) -> TokenStream {
    let ty = field.ty;
    quote_spanned!(ty.span()=> #ty)
}

/// `tokens` with every span set to `span`: a path into the model crate inside a check that
/// the compiler reports on a field.
pub(crate) fn respan(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut token| {
            token.set_span(span);
            token
        })
        .collect()
}
