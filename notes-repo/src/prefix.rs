//! What a query's `begins_with` takes: a value of a string or binary sort key, or the typed
//! prefix of a templated one.

use notes_model::{AttributeValue, KeyPrefix, PrefixKey};

/// A prefix for [`QueryBuilder::sort_key_begins_with`](crate::QueryBuilder::sort_key_begins_with)
/// on a query of item type `T` whose sort key is `SK`: a value that converts into a string or
/// binary sort key (`"2024-"`), or the typed prefix of a templated sort key
/// (`NoteSort::prefix().created_at_starts_with("2026-11-25")`), which the generated prefix
/// builders make so that the template's text is never spelt by hand.
///
/// `M` only tells the two kinds apart (the sort key type for a value, [`KeyPrefix`] for a
/// template's prefix); the compiler infers it.
#[diagnostic::on_unimplemented(
    message = "`sort_key_begins_with` needs a prefix of a string, binary or templated sort key; this `{T}` query's sort key is `{SK}` and the prefix `{Self}`",
    label = "not a prefix of a `{SK}` sort key",
    note = "`begins_with` applies to String (S) and Vec<u8> (B) sort keys, and to templated sort keys through their typed `prefix()`; compare numeric sort keys with `sort_key_lt`, `sort_key_gt` or `sort_key_between`"
)]
pub trait SortKeyPrefix<T, SK, M> {
    /// The prefix's value, and the refusal of a value DynamoDB or the key's template would
    /// not accept (reported when the query is sent).
    #[doc(hidden)]
    fn into_prefix(self) -> (AttributeValue, Result<(), notes_model::Error>);
}

/// A value of a string or binary sort key.
impl<T, SK: PrefixKey<T>, V: Into<SK>> SortKeyPrefix<T, SK, SK> for V {
    fn into_prefix(self) -> (AttributeValue, Result<(), notes_model::Error>) {
        let prefix: SK = self.into();
        (prefix.to_attribute_value(), prefix.check_key())
    }
}

/// The typed prefix of a templated sort key (always a string).
impl<T, SK, P: Into<KeyPrefix<SK>>> SortKeyPrefix<T, SK, KeyPrefix<SK>> for P {
    fn into_prefix(self) -> (AttributeValue, Result<(), notes_model::Error>) {
        let prefix = self.into();
        let check = prefix.check();
        (AttributeValue::S(prefix.into_string()), check)
    }
}
