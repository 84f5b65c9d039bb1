//! stub
use proc_macro::TokenStream;
/// stub
#[proc_macro_derive(Item, attributes(partition_key, sort_key, item))]
pub fn derive_item(_input: TokenStream) -> TokenStream { TokenStream::new() }
