//! String comparison in const contexts: the compile-time checks of `#[derive(Collection)]`
//! compare table names, key attribute names and template shapes.

use std::borrow::Cow;

/// Whether two strings are equal, in a const context.
///
/// ```
/// assert!(notes_model::collection::same_str("USER#{}", "USER#{}"));
/// ```
pub const fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A static name as a const can read it: only a borrowed name is known at compile time (an
/// owned one reads as `""`).
#[allow(clippy::ptr_arg)] // a `Cow` is matched
pub(crate) const fn static_name(name: &Cow<'static, str>) -> &'static str {
    match name {
        Cow::Borrowed(name) => name,
        Cow::Owned(_) => "",
    }
}
