//! `UpdateExpression`s: `SET`, `REMOVE`, `ADD` and `DELETE` actions, and what a `SET` computes.

use super::{Operand, Path};

/// The right-hand side of a `SET` action.
///
/// ```
/// use notes_model::AttributeValue;
/// use notes_model::expr::{Operand, Path, SetValue, UpdateAction};
///
/// // SET views = views + 1
/// let bump = UpdateAction::Set(
///     Path::attribute("views"),
///     SetValue::Plus(Operand::Path(Path::attribute("views")), Operand::Value(AttributeValue::N("1".into()))),
/// );
/// # let _ = bump;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum SetValue {
    /// `path = operand`
    Value(Operand),
    /// `path = if_not_exists(path2, operand)`
    IfNotExists(Path, Operand),
    /// `path = a + b`
    Plus(Operand, Operand),
    /// `path = a - b`
    Minus(Operand, Operand),
    /// `path = list_append(a, b)`
    ListAppend(Operand, Operand),
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
