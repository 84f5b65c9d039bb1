//! Code generation from a validated input. The keys decide the shape: fields
//! (`field_keys`) or templates (`entity`); both hand their parts to `item`, which generates
//! the `Item` impl, the key struct (`key_struct`), the handles (`handles`), the schema
//! members (`schema`), the encryption schema (`encryption`) and the conversion (`convert`).

mod convert;
mod encryption;
mod entity;
mod field_keys;
pub(crate) mod handles;
mod item;
pub(crate) mod key_struct;
pub(crate) mod multi_key;
pub(crate) mod schema;
pub(crate) mod spans;

use proc_macro2::TokenStream;

use crate::ast::Input;

pub(crate) fn derive(input: &Input<'_>) -> TokenStream {
    let parts = if input.is_templated() {
        entity::parts(input)
    } else {
        field_keys::parts(input)
    };
    match parts {
        Ok(parts) => item::expand(input, parts),
        Err(error) => error,
    }
}
