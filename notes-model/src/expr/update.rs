//! `UpdateExpression`s: `SET`, `REMOVE`, `ADD` and `DELETE` actions, and what a `SET` computes.
//!
//! DynamoDB's grammar for the value of a `SET` action (developer guide, "Update expressions"):
//!
//! ```text
//! value    ::= operand | operand '+' operand | operand '-' operand
//! operand  ::= path | :value | function
//! function ::= if_not_exists(path, operand) | list_append(operand, operand)
//! ```
//!
//! [`SetValue`] is a `value` and [`SetOperand`] an `operand`: functions nest in each other and
//! in `+`/`-` (`if_not_exists(views, :zero) + :one`), arithmetic happens once, at the top.

use super::{Operand, Path};

/// An operand of a `SET` value: a path or a literal, or a function of operands.
///
/// [`Operand`]s convert into it (`.into()`); [`SetOperand::if_not_exists`] and
/// [`SetOperand::list_append`] build the functions.
///
/// ```
/// use notes_model::AttributeValue;
/// use notes_model::expr::{Operand, Path, SetOperand, SetValue};
///
/// let number = |n: &str| Operand::Value(AttributeValue::N(n.into()));
/// // SET views = if_not_exists(views, :zero) + :one
/// let bump = SetValue::Plus(
///     SetOperand::if_not_exists(Path::attribute("views"), number("0")),
///     number("1").into(),
/// );
/// # let _ = bump;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum SetOperand {
    /// A path or a literal value.
    Operand(Operand),
    /// `if_not_exists(path, operand)`: the value at `path`, or `operand` where there is none.
    IfNotExists(Path, Box<SetOperand>),
    /// `list_append(a, b)`: the elements of the list `a`, then those of the list `b`.
    ListAppend(Box<SetOperand>, Box<SetOperand>),
}

impl SetOperand {
    /// `if_not_exists(path, default)`.
    ///
    /// ```
    /// use notes_model::AttributeValue;
    /// use notes_model::expr::{Operand, Path, SetOperand};
    ///
    /// let empty = Operand::Value(AttributeValue::L(Vec::new()));
    /// let tags = SetOperand::if_not_exists(Path::attribute("tags"), empty);
    /// assert!(matches!(tags, SetOperand::IfNotExists(..)));
    /// ```
    pub fn if_not_exists(path: Path, default: impl Into<SetOperand>) -> Self {
        SetOperand::IfNotExists(path, Box::new(default.into()))
    }

    /// `list_append(a, b)`.
    ///
    /// ```
    /// use notes_model::AttributeValue;
    /// use notes_model::expr::{Operand, Path, SetOperand};
    ///
    /// let tail = Operand::Value(AttributeValue::L(vec![AttributeValue::S("new".into())]));
    /// let appended = SetOperand::list_append(Operand::Path(Path::attribute("tags")), tail);
    /// assert!(matches!(appended, SetOperand::ListAppend(..)));
    /// ```
    pub fn list_append(a: impl Into<SetOperand>, b: impl Into<SetOperand>) -> Self {
        SetOperand::ListAppend(Box::new(a.into()), Box::new(b.into()))
    }
}

impl From<Operand> for SetOperand {
    fn from(operand: Operand) -> Self {
        SetOperand::Operand(operand)
    }
}

/// The right-hand side of a `SET` action: one operand, or the sum or difference of two.
///
/// A function written alone is [`SetValue::IfNotExists`] or [`SetValue::ListAppend`] (what
/// `SetValue::from` makes of a [`SetOperand`]), a plain operand [`SetValue::Value`].
///
/// ```
/// use notes_model::AttributeValue;
/// use notes_model::expr::{Operand, Path, SetOperand, SetValue, UpdateAction};
///
/// // SET views = views + :one
/// let bump = UpdateAction::Set(
///     Path::attribute("views"),
///     SetValue::Plus(
///         Operand::Path(Path::attribute("views")).into(),
///         Operand::Value(AttributeValue::N("1".into())).into(),
///     ),
/// );
/// // SET tags = list_append(if_not_exists(tags, :empty), :new)
/// let tags = Path::attribute("tags");
/// let append = UpdateAction::Set(
///     tags.clone(),
///     SetValue::ListAppend(
///         SetOperand::if_not_exists(tags, Operand::Value(AttributeValue::L(Vec::new()))),
///         Operand::Value(AttributeValue::L(vec![AttributeValue::S("x".into())])).into(),
///     ),
/// );
/// # let _ = (bump, append);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum SetValue {
    /// `path = operand`
    Value(Operand),
    /// `path = if_not_exists(path2, operand)`
    IfNotExists(Path, SetOperand),
    /// `path = a + b`
    Plus(SetOperand, SetOperand),
    /// `path = a - b`
    Minus(SetOperand, SetOperand),
    /// `path = list_append(a, b)`
    ListAppend(SetOperand, SetOperand),
}

impl From<SetOperand> for SetValue {
    /// The value of one operand: a plain operand is [`SetValue::Value`], a function the
    /// variant of the same name.
    ///
    /// ```
    /// use notes_model::AttributeValue;
    /// use notes_model::expr::{Operand, Path, SetOperand, SetValue};
    ///
    /// let zero = Operand::Value(AttributeValue::N("0".into()));
    /// let value = SetValue::from(SetOperand::if_not_exists(Path::attribute("n"), zero.clone()));
    /// assert_eq!(value, SetValue::IfNotExists(Path::attribute("n"), zero.into()));
    /// ```
    fn from(operand: SetOperand) -> Self {
        match operand {
            SetOperand::Operand(operand) => SetValue::Value(operand),
            SetOperand::IfNotExists(path, default) => SetValue::IfNotExists(path, *default),
            SetOperand::ListAppend(a, b) => SetValue::ListAppend(*a, *b),
        }
    }
}

/// One action of an `UpdateExpression`.
///
/// ```
/// use notes_model::Note;
/// use notes_model::expr::UpdateAction;
///
/// assert!(matches!(Note::ATTACHMENT.remove(), UpdateAction::Remove(_)));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum UpdateAction {
    /// `SET path = value`
    Set(Path, SetValue),
    /// `REMOVE path`
    Remove(Path),
    /// `ADD path value` (numbers and sets)
    Add(Path, Operand),
    /// `DELETE path value` (removes elements from a set)
    Delete(Path, Operand),
}

impl UpdateAction {
    /// The path this action writes.
    ///
    /// ```
    /// use notes_model::Note;
    ///
    /// assert_eq!(Note::CONTENT.set("x").path().to_string(), "content");
    /// ```
    pub fn path(&self) -> &Path {
        match self {
            UpdateAction::Set(path, _)
            | UpdateAction::Remove(path)
            | UpdateAction::Add(path, _)
            | UpdateAction::Delete(path, _) => path,
        }
    }
}

/// An `UpdateExpression`: a list of actions, applied together.
///
/// ```
/// use notes_model::Note;
/// use notes_model::expr::Update;
///
/// let update = Update::new().and(Note::CONTENT.set("new text")).and(Note::ATTACHMENT.remove());
/// assert_eq!(update.actions.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Update {
    /// The actions, in the order they were added.
    pub actions: Vec<UpdateAction>,
}

impl Update {
    /// An empty update.
    ///
    /// ```
    /// assert!(notes_model::expr::Update::new().actions.is_empty());
    /// ```
    pub fn new() -> Self {
        Update::default()
    }

    /// This update with one more action.
    ///
    /// ```
    /// use notes_model::Note;
    /// use notes_model::expr::Update;
    ///
    /// let update = Update::new().and(Note::CONTENT.set("x"));
    /// assert_eq!(update.actions.len(), 1);
    /// ```
    pub fn and(mut self, action: UpdateAction) -> Self {
        self.actions.push(action);
        self
    }
}

impl From<UpdateAction> for Update {
    fn from(action: UpdateAction) -> Self {
        Update {
            actions: vec![action],
        }
    }
}

impl FromIterator<UpdateAction> for Update {
    fn from_iter<I: IntoIterator<Item = UpdateAction>>(iter: I) -> Self {
        Update {
            actions: iter.into_iter().collect(),
        }
    }
}
