//! The key of a query, typed: its partition values (one, or every attribute of a
//! multi-attribute index partition key) and its sort-key conditions, given left to right.
//!
//! A global index's key may span up to four partition-key and four sort-key attributes
//! (DynamoDB, November 2025). For such an index, `#[derive(Item)]` generates a partition value
//! type (`SaleByRegionPartition`, built from a tuple of the values) and a sort-key builder
//! (`SaleByRegionSort`) with one method per sort attribute and condition
//! (`.year(2026).month_between(1, 6)`). The builder's state ([`EqualitiesGiven`],
//! [`RangeGiven`]) records what was given, so that a condition out of order, or after a
//! range, does not compile, with a message that names the attributes.

use std::borrow::Cow;

use crate::error::Error;
use crate::expr::{Comparator, KeyCondition, SortKeyCondition};
use crate::key::{KeyValue, PrefixKey};
use crate::value::AttributeValue;

/// The value of a query's partition key: any [`KeyValue`] for a key of one attribute, or the
/// partition value type the derive generates for a multi-attribute index partition key
/// (`SaleByRegionPartition`), which holds one value per attribute.
///
/// ```
/// use notes_model::{AttributeValue, PartitionValues};
///
/// assert_eq!("u1".to_owned().partition_values(), [AttributeValue::S("u1".into())]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the partition key of a query",
    label = "not a partition key value",
    note = "a partition key is a key value (String, a number type, Vec<u8>), or for an index \
            whose partition key spans several attributes, its generated partition type, made \
            from a tuple of every value"
)]
pub trait PartitionValues: Send + Sync + 'static {
    /// One value per partition-key attribute, in the key's order.
    fn partition_values(&self) -> Vec<AttributeValue>;

    /// [`KeyValue::check_key`] of each value.
    ///
    /// ```
    /// use notes_model::PartitionValues;
    ///
    /// assert!(7u32.check_partition().is_ok());
    /// ```
    fn check_partition(&self) -> Result<(), Error> {
        Ok(())
    }
}

impl<K: KeyValue> PartitionValues for K {
    fn partition_values(&self) -> Vec<AttributeValue> {
        vec![self.to_attribute_value()]
    }

    fn check_partition(&self) -> Result<(), Error> {
        self.check_key()
    }
}

/// A query's sort-key conditions: equalities on the leading sort attributes of a
/// multi-attribute index key, then at most one last condition (a comparison, `BETWEEN` or
/// `begins_with`). A key of one sort attribute takes the last condition alone.
///
/// It lowers into [`KeyCondition`]: the last condition, or else the last equality, is
/// [`KeyCondition::sort_key`]; the equalities before it are
/// [`KeyCondition::leading_sort_keys`].
///
/// ```
/// use notes_model::AttributeValue;
/// use notes_model::SortKeyConditions;
/// use notes_model::expr::{KeyCondition, SortKeyCondition};
///
/// let n = |v: &str| AttributeValue::N(v.into());
/// let conditions = SortKeyConditions::new()
///     .equal("year", n("2026"))
///     .last("month", SortKeyCondition::Between(n("1"), n("6")));
/// let key = conditions.apply(KeyCondition::partition("tenant", AttributeValue::S("t1".into())));
/// assert_eq!(key.leading_sort_keys[0], ("year".into(), n("2026")));
/// assert_eq!(key.sort_key.unwrap().0, "month");
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SortKeyConditions {
    equalities: Vec<(Cow<'static, str>, AttributeValue)>,
    last: Option<(Cow<'static, str>, SortKeyCondition)>,
}

impl SortKeyConditions {
    /// No condition: the whole partition.
    ///
    /// ```
    /// assert!(notes_model::SortKeyConditions::new().is_empty());
    /// ```
    pub const fn new() -> Self {
        SortKeyConditions {
            equalities: Vec::new(),
            last: None,
        }
    }

    /// These conditions and an equality on the next sort attribute, `name`.
    ///
    /// See [`SortKeyConditions`] for an example.
    pub fn equal(mut self, name: impl Into<Cow<'static, str>>, value: AttributeValue) -> Self {
        self.equalities.push((name.into(), value));
        self
    }

    /// These conditions and the last one, on sort attribute `name`: nothing follows it.
    ///
    /// See [`SortKeyConditions`] for an example.
    pub fn last(mut self, name: impl Into<Cow<'static, str>>, condition: SortKeyCondition) -> Self {
        self.last = Some((name.into(), condition));
        self
    }

    /// Whether no condition was given.
    ///
    /// ```
    /// use notes_model::{AttributeValue, SortKeyConditions};
    ///
    /// let year = SortKeyConditions::new().equal("year", AttributeValue::N("2026".into()));
    /// assert!(!year.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.equalities.is_empty() && self.last.is_none()
    }

    /// The equalities, in the key's order, including the last condition when it is one.
    ///
    /// ```
    /// use notes_model::{AttributeValue, SortKeyConditions};
    ///
    /// let year = SortKeyConditions::new().equal("year", AttributeValue::N("2026".into()));
    /// assert_eq!(year.equalities().count(), 1);
    /// ```
    pub fn equalities(&self) -> impl Iterator<Item = (&str, &AttributeValue)> {
        let last = match &self.last {
            Some((name, SortKeyCondition::Compare(Comparator::Eq, value))) => {
                Some((name.as_ref(), value))
            }
            _ => None,
        };
        self.equalities
            .iter()
            .map(|(name, value)| (name.as_ref(), value))
            .chain(last)
    }

    /// `condition` with these sort-key conditions: the last one as its
    /// [`sort_key`](KeyCondition::sort_key) (an equality when only equalities were given),
    /// the equalities before it as its [`leading_sort_keys`](KeyCondition::leading_sort_keys).
    ///
    /// See [`SortKeyConditions`] for an example.
    pub fn apply(&self, mut condition: KeyCondition) -> KeyCondition {
        let mut equalities = self.equalities.clone();
        let last = match &self.last {
            Some(last) => Some(last.clone()),
            None => equalities
                .pop()
                .map(|(name, value)| (name, SortKeyCondition::Compare(Comparator::Eq, value))),
        };
        for (name, value) in equalities {
            condition = condition.and_leading_sort_key(name, value);
        }
        match last {
            Some((name, last)) => condition.with_sort_key(name, last),
            None => condition,
        }
    }
}

/// The state of a generated sort-key builder after `N` equalities, left to right (the start
/// is `EqualitiesGiven<0>`). Named in the compiler's errors about a condition out of order.
///
/// ```
/// let _start = notes_model::EqualitiesGiven::<0>;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EqualitiesGiven<const N: usize>;

/// The state of a generated sort-key builder after a range (a comparison, `BETWEEN` or
/// `begins_with`) on its `N`th sort attribute: the last condition, nothing follows it.
///
/// ```
/// let _after_range_on_first = notes_model::RangeGiven::<1>;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RangeGiven<const N: usize>;

/// The sort-key builder of a multi-attribute index key, in its starting state
/// (`SaleByRegionSort`, generated by the derive): what a query's `sort_key(|key| ..)` hands
/// its closure.
pub trait SortKeyBuilder: Sized + Send + Sync + 'static {
    /// The builder with no condition given yet.
    fn start() -> Self;
}

/// The sort-key conditions a builder of `SK` made, in any state: what a query's
/// `sort_key(|key| ..)` closure returns.
#[diagnostic::on_unimplemented(
    message = "the closure given to `sort_key` returns `{Self}`, not the sort-key conditions of this index",
    label = "build the conditions from the closure's argument, `{SK}`",
    note = "for example `.sort_key(|key| key.year(2026).month_between(1, 6))`"
)]
pub trait IntoSortKeyConditions<SK> {
    /// The conditions, ready to lower into a [`KeyCondition`].
    fn into_sort_key_conditions(self) -> SortKeyConditions;
}

/// A value the generated keys of a multi-attribute index take for key attribute `F` of Rust
/// type `V`: a `V`; for a `String` attribute also a `&str` or `&String`, for a `Vec<u8>` one a
/// `&[u8]` or `&[u8; N]`. Not every `Into<V>`: an integer literal then takes the attribute's
/// own type (`year(2026)` for a `u16`), where `Into` would make it an `i32`.
///
/// ```
/// use notes_model::KeyInput;
///
/// fn year(value: impl KeyInput<u16, ()>) -> u16 {
///     value.into_key()
/// }
/// fn sku(value: impl KeyInput<String, ()>) -> String {
///     value.into_key()
/// }
/// assert_eq!(year(2026), 2026);
/// assert_eq!(sku("A-1"), "A-1");
/// ```
#[diagnostic::on_unimplemented(
    message = "the key attribute `{F}` holds `{V}`, not `{Self}`",
    label = "expected `{V}`"
)]
pub trait KeyInput<V, F> {
    /// The value as the attribute's Rust type.
    fn into_key(self) -> V;
}

impl<V: KeyValue, F> KeyInput<V, F> for V {
    fn into_key(self) -> V {
        self
    }
}

macro_rules! key_inputs {
    ($($input:ty => $v:ty),* $(,)?) => {$(
        impl<F> KeyInput<$v, F> for $input {
            fn into_key(self) -> $v {
                <$v>::from(self)
            }
        }
    )*};
}
key_inputs!(&str => String, &String => String, &[u8] => Vec<u8>);

impl<F, const N: usize> KeyInput<Vec<u8>, F> for &[u8; N] {
    fn into_key(self) -> Vec<u8> {
        self.to_vec()
    }
}

/// A prefix for `begins_with` on sort attribute `F` of Rust type `V`, in a generated sort-key
/// builder (`sku_begins_with("AB")`): a [`KeyInput`] of a string or binary `V`.
///
/// ```
/// use notes_model::{AttributeValue, SortPrefix};
///
/// fn prefix(p: impl SortPrefix<String, ()>) -> AttributeValue {
///     p.into_prefix()
/// }
/// assert_eq!(prefix("AB"), AttributeValue::S("AB".into()));
/// ```
#[diagnostic::on_unimplemented(
    message = "`begins_with` needs a prefix of a string or binary attribute: `{F}` holds `{V}`, the prefix is `{Self}`",
    label = "not a prefix of `{F}`",
    note = "`begins_with` applies to String (S) and Vec<u8> (B) sort attributes; compare numbers with `_lt`, `_gt` or `_between`"
)]
pub trait SortPrefix<V, F> {
    /// The prefix as an attribute value.
    fn into_prefix(self) -> AttributeValue;
}

// Not recommended, so that the compiler names the attribute rather than list other impls.
#[diagnostic::do_not_recommend]
impl<P: KeyInput<V, F>, V: PrefixKey, F> SortPrefix<V, F> for P {
    fn into_prefix(self) -> AttributeValue {
        self.into_key().to_attribute_value()
    }
}
