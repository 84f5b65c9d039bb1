//! The expression AST: conditions, key conditions, updates and projections.
//!
//! Expressions are data, never strings. A backend renders them (the AWS backend, with `#n`/`:v`
//! placeholders) or evaluates them (the in-memory backend). Build them from the typed
//! attribute handles that `#[derive(Item)]` generates ([`crate::Attribute`]).

use std::borrow::Cow;
use std::fmt;
use std::ops::{BitAnd, BitOr, Not};

use crate::value::AttributeValue;

mod update;

pub use update::{SetOperand, SetValue, Update, UpdateAction};

/// A document path: a top-level attribute, then map keys and list indexes (`a.b[2]`).
///
/// ```
/// use notes_model::expr::Path;
///
/// let path = Path::attribute("tags").index(0);
/// assert_eq!(path.to_string(), "tags[0]");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Path {
    /// The elements, starting with the top-level attribute name.
    pub elements: Vec<PathElement>,
}

/// One step of a [`Path`].
///
/// ```
/// use notes_model::expr::{Path, PathElement};
///
/// let path = Path::attribute("tags").index(2);
/// assert_eq!(path.elements[1], PathElement::Index(2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathElement {
    /// An attribute name or map key.
    Name(Cow<'static, str>),
    /// A list index.
    Index(usize),
}

impl Path {
    /// The path of a top-level attribute.
    ///
    /// ```
    /// assert_eq!(notes_model::expr::Path::attribute("content").to_string(), "content");
    /// ```
    pub fn attribute(name: impl Into<Cow<'static, str>>) -> Self {
        Path {
            elements: vec![PathElement::Name(name.into())],
        }
    }

    /// This path followed by a map key.
    ///
    /// ```
    /// let p = notes_model::expr::Path::attribute("meta").key("color");
    /// assert_eq!(p.to_string(), "meta.color");
    /// ```
    pub fn key(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.elements.push(PathElement::Name(name.into()));
        self
    }

    /// This path followed by a list index.
    ///
    /// ```
    /// let p = notes_model::expr::Path::attribute("tags").index(3);
    /// assert_eq!(p.to_string(), "tags[3]");
    /// ```
    pub fn index(mut self, index: usize) -> Self {
        self.elements.push(PathElement::Index(index));
        self
    }

    /// The top-level attribute name, if the path starts with one.
    ///
    /// ```
    /// let p = notes_model::expr::Path::attribute("meta").key("color");
    /// assert_eq!(p.top_level(), Some("meta"));
    /// ```
    pub fn top_level(&self) -> Option<&str> {
        match self.elements.first() {
            Some(PathElement::Name(name)) => Some(name),
            _ => None,
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, element) in self.elements.iter().enumerate() {
            match element {
                PathElement::Name(name) if i == 0 => write!(f, "{name}")?,
                PathElement::Name(name) => write!(f, ".{name}")?,
                PathElement::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A value in an expression: a path, a literal, or `size(path)`.
///
/// ```
/// use notes_model::AttributeValue;
/// use notes_model::expr::{Comparator, Condition, Operand, Path};
///
/// // size(content) > 100
/// let long = Condition::Compare(
///     Operand::Size(Path::attribute("content")),
///     Comparator::Gt,
///     Operand::Value(AttributeValue::N("100".into())),
/// );
/// # let _ = long;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// The value stored at a path.
    Path(Path),
    /// A literal value (sent as an `ExpressionAttributeValues` entry, never inlined).
    Value(AttributeValue),
    /// `size(path)`.
    Size(Path),
    /// A literal that could not be converted; backends reject it before sending anything.
    Invalid {
        /// The path the value was meant for.
        path: Path,
        /// Why the value could not be converted.
        message: String,
    },
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparator {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Comparator {
    /// The operator in DynamoDB's expression syntax.
    ///
    /// ```
    /// assert_eq!(notes_model::expr::Comparator::Ne.symbol(), "<>");
    /// ```
    pub const fn symbol(self) -> &'static str {
        match self {
            Comparator::Eq => "=",
            Comparator::Ne => "<>",
            Comparator::Lt => "<",
            Comparator::Le => "<=",
            Comparator::Gt => ">",
            Comparator::Ge => ">=",
        }
    }
}

/// A DynamoDB condition (`ConditionExpression`, `FilterExpression`).
///
/// Combine conditions with `&`, `|` and `!`.
///
/// ```
/// use notes_model::Note;
///
/// let cond = Note::CONTENT.exists() & !Note::ATTACHMENT.exists();
/// assert!(matches!(cond, notes_model::expr::Condition::And(..)));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `a <op> b`
    Compare(Operand, Comparator, Operand),
    /// `a BETWEEN low AND high`
    Between(Operand, Operand, Operand),
    /// `a IN (b, c, ...)`
    In(Operand, Vec<Operand>),
    /// `begins_with(path, prefix)`
    BeginsWith(Path, Operand),
    /// `contains(path, operand)`
    Contains(Path, Operand),
    /// `attribute_exists(path)`
    Exists(Path),
    /// `attribute_not_exists(path)`
    NotExists(Path),
    /// `attribute_type(path, type)`, with DynamoDB's type descriptor (`"S"`, `"N"`, `"M"`, ...).
    Type(Path, &'static str),
    /// `a AND b`
    And(Box<Condition>, Box<Condition>),
    /// `a OR b`
    Or(Box<Condition>, Box<Condition>),
    /// `NOT a`
    Not(Box<Condition>),
}

impl BitAnd for Condition {
    type Output = Condition;
    fn bitand(self, rhs: Condition) -> Condition {
        Condition::And(Box::new(self), Box::new(rhs))
    }
}

impl BitOr for Condition {
    type Output = Condition;
    fn bitor(self, rhs: Condition) -> Condition {
        Condition::Or(Box::new(self), Box::new(rhs))
    }
}

impl Not for Condition {
    type Output = Condition;
    fn not(self) -> Condition {
        Condition::Not(Box::new(self))
    }
}

/// A condition on a sort key in a `KeyConditionExpression`.
///
/// ```
/// use notes_model::AttributeValue;
/// use notes_model::expr::{Comparator, SortKeyCondition};
///
/// let recent = SortKeyCondition::Compare(Comparator::Gt, AttributeValue::S("0190".into()));
/// # let _ = recent;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum SortKeyCondition {
    /// `sk <op> v`; DynamoDB allows every comparator but `<>`.
    Compare(Comparator, AttributeValue),
    /// `sk BETWEEN low AND high`
    Between(AttributeValue, AttributeValue),
    /// `begins_with(sk, prefix)`
    BeginsWith(AttributeValue),
}

/// A `KeyConditionExpression`: partition key equality and an optional sort-key condition.
///
/// ```
/// use notes_model::AttributeValue;
/// use notes_model::expr::KeyCondition;
///
/// let kc = KeyCondition::partition("userId", AttributeValue::S("u1".into()));
/// assert!(kc.sort_key.is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct KeyCondition {
    /// The partition key attribute name and the value it must equal.
    pub partition_key: (Cow<'static, str>, AttributeValue),
    /// The sort key attribute name and its condition: for a multi-attribute index key, the
    /// last sort attribute the query constrains.
    pub sort_key: Option<(Cow<'static, str>, SortKeyCondition)>,
    /// A multi-attribute index key's further partition attributes and the values they must
    /// equal, in the index's order (empty for a key of one attribute).
    pub additional_partition_keys: Vec<(Cow<'static, str>, AttributeValue)>,
    /// A multi-attribute index key's sort attributes before the one `sort_key` names, each
    /// with the value it must equal, in the index's order (DynamoDB takes sort conditions
    /// left to right, a range only on the last one given).
    pub leading_sort_keys: Vec<(Cow<'static, str>, AttributeValue)>,
}

impl KeyCondition {
    /// A key condition on the partition key alone.
    ///
    /// ```
    /// use notes_model::AttributeValue;
    /// use notes_model::expr::KeyCondition;
    ///
    /// let all_of_u1 = KeyCondition::partition("userId", AttributeValue::S("u1".into()));
    /// assert_eq!(all_of_u1.partition_key.0, "userId");
    /// ```
    pub fn partition(name: impl Into<Cow<'static, str>>, value: AttributeValue) -> Self {
        KeyCondition {
            partition_key: (name.into(), value),
            sort_key: None,
            additional_partition_keys: Vec::new(),
            leading_sort_keys: Vec::new(),
        }
    }

    /// This key condition with one more partition attribute of a multi-attribute index key.
    ///
    /// ```
    /// use notes_model::AttributeValue;
    /// use notes_model::expr::KeyCondition;
    ///
    /// let kc = KeyCondition::partition("tenant", AttributeValue::S("t1".into()))
    ///     .and_partition_key("region", AttributeValue::S("eu".into()));
    /// assert_eq!(kc.additional_partition_keys[0].0, "region");
    /// ```
    pub fn and_partition_key(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: AttributeValue,
    ) -> Self {
        self.additional_partition_keys.push((name.into(), value));
        self
    }

    /// This key condition with an equality on one more leading sort attribute of a
    /// multi-attribute index key (before the one [`with_sort_key`](Self::with_sort_key) names).
    ///
    /// ```
    /// use notes_model::AttributeValue;
    /// use notes_model::expr::{KeyCondition, SortKeyCondition};
    ///
    /// let kc = KeyCondition::partition("tenant", AttributeValue::S("t1".into()))
    ///     .and_leading_sort_key("year", AttributeValue::N("2026".into()))
    ///     .with_sort_key("month", SortKeyCondition::Between(
    ///         AttributeValue::N("1".into()),
    ///         AttributeValue::N("6".into()),
    ///     ));
    /// assert_eq!(kc.leading_sort_keys.len(), 1);
    /// ```
    pub fn and_leading_sort_key(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: AttributeValue,
    ) -> Self {
        self.leading_sort_keys.push((name.into(), value));
        self
    }

    /// This key condition with a sort-key condition.
    ///
    /// ```
    /// use notes_model::AttributeValue;
    /// use notes_model::expr::{KeyCondition, SortKeyCondition};
    ///
    /// let kc = KeyCondition::partition("userId", AttributeValue::S("u1".into()))
    ///     .with_sort_key("noteId", SortKeyCondition::BeginsWith(AttributeValue::S("2026".into())));
    /// assert!(kc.sort_key.is_some());
    /// ```
    pub fn with_sort_key(
        mut self,
        name: impl Into<Cow<'static, str>>,
        condition: SortKeyCondition,
    ) -> Self {
        self.sort_key = Some((name.into(), condition));
        self
    }

    /// Every term of the condition with the attribute it constrains: the partition key's
    /// equality, the further partition attributes', the leading sort attributes', then the
    /// sort key's condition. A backend matches them to the key's attributes by name.
    ///
    /// ```
    /// use notes_model::AttributeValue;
    /// use notes_model::expr::{KeyCondition, KeyTerm, SortKeyCondition};
    ///
    /// let n = |v: &str| AttributeValue::N(v.into());
    /// let kc = KeyCondition::partition("tenant", AttributeValue::S("t1".into()))
    ///     .and_partition_key("region", AttributeValue::S("eu".into()))
    ///     .and_leading_sort_key("year", n("2026"))
    ///     .with_sort_key("month", SortKeyCondition::Between(n("1"), n("6")));
    /// let names: Vec<&str> = kc.terms().map(|(name, _)| name).collect();
    /// assert_eq!(names, ["tenant", "region", "year", "month"]);
    /// assert!(matches!(kc.terms().last(), Some((_, KeyTerm::Sort(_)))));
    /// ```
    pub fn terms(&self) -> impl Iterator<Item = (&str, KeyTerm<'_>)> {
        fn equality<'a>(
            (name, value): &'a (Cow<'static, str>, AttributeValue),
        ) -> (&'a str, KeyTerm<'a>) {
            (name.as_ref(), KeyTerm::Equals(value))
        }
        std::iter::once(equality(&self.partition_key))
            .chain(self.additional_partition_keys.iter().map(equality))
            .chain(self.leading_sort_keys.iter().map(equality))
            .chain(
                self.sort_key
                    .iter()
                    .map(|(name, condition)| (name.as_ref(), KeyTerm::Sort(condition))),
            )
    }

    /// Whether the condition has terms beyond one partition key and one sort key condition
    /// (the query of a multi-attribute index key).
    ///
    /// ```
    /// use notes_model::AttributeValue;
    /// use notes_model::expr::KeyCondition;
    ///
    /// let kc = KeyCondition::partition("tenant", AttributeValue::S("t1".into()));
    /// assert!(!kc.is_multi_attribute());
    /// assert!(kc.and_partition_key("region", AttributeValue::S("eu".into())).is_multi_attribute());
    /// ```
    pub fn is_multi_attribute(&self) -> bool {
        !self.additional_partition_keys.is_empty() || !self.leading_sort_keys.is_empty()
    }
}

/// One term of a [`KeyCondition`], as [`KeyCondition::terms`] gives them.
///
/// ```
/// use notes_model::AttributeValue;
/// use notes_model::expr::{KeyCondition, KeyTerm};
///
/// let kc = KeyCondition::partition("userId", AttributeValue::S("u1".into()));
/// let (name, term) = kc.terms().next().unwrap();
/// assert_eq!((name, term), ("userId", KeyTerm::Equals(&AttributeValue::S("u1".into()))));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KeyTerm<'a> {
    /// `name = value`: a partition attribute, or a sort attribute before the last one given.
    Equals(&'a AttributeValue),
    /// The condition on the last sort attribute given (an equality or a range).
    Sort(&'a SortKeyCondition),
}

impl<'a> KeyTerm<'a> {
    /// The term's values, in the order written (two for `BETWEEN`, one otherwise).
    ///
    /// ```
    /// use notes_model::AttributeValue;
    /// use notes_model::expr::{KeyTerm, SortKeyCondition};
    ///
    /// let (low, high) = (AttributeValue::N("1".into()), AttributeValue::N("6".into()));
    /// let between = SortKeyCondition::Between(low.clone(), high.clone());
    /// assert_eq!(KeyTerm::Sort(&between).values(), [&low, &high]);
    /// ```
    pub fn values(self) -> Vec<&'a AttributeValue> {
        match self {
            KeyTerm::Equals(value)
            | KeyTerm::Sort(SortKeyCondition::Compare(_, value))
            | KeyTerm::Sort(SortKeyCondition::BeginsWith(value)) => vec![value],
            KeyTerm::Sort(SortKeyCondition::Between(low, high)) => vec![low, high],
        }
    }

    /// The value of an equality (`=`), whichever field holds it; `None` for a range.
    ///
    /// ```
    /// use notes_model::AttributeValue;
    /// use notes_model::expr::{Comparator, KeyTerm, SortKeyCondition};
    ///
    /// let v = AttributeValue::N("3".into());
    /// let eq = SortKeyCondition::Compare(Comparator::Eq, v.clone());
    /// assert_eq!(KeyTerm::Sort(&eq).equality(), Some(&v));
    /// assert_eq!(KeyTerm::Sort(&SortKeyCondition::BeginsWith(v)).equality(), None);
    /// ```
    pub fn equality(self) -> Option<&'a AttributeValue> {
        match self {
            KeyTerm::Equals(value)
            | KeyTerm::Sort(SortKeyCondition::Compare(Comparator::Eq, value)) => Some(value),
            KeyTerm::Sort(_) => None,
        }
    }
}
