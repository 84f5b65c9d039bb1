//! Answers that match what happened when a write's response was lost.
//!
//! The AWS SDK retries a write after a reset or a 5xx; when the first attempt was applied and
//! only its response was lost, the retry's condition fails against the item the first attempt
//! wrote. Typed writes ask for the stored item on a failed condition
//! (`ReturnValuesOnConditionCheckFailure::ALL_OLD`) and, when it already is what they wrote,
//! answer as the first attempt would have.

use notes_model::expr::{Operand, SetValue, Update, UpdateAction};
use notes_model::{AttributeValue, ItemMap};

use crate::memory::eval::{equal, resolve};

/// Whether the stored item is exactly the item a put wrote (numbers by value, sets in any
/// order).
pub(crate) fn is_written(stored: &ItemMap, written: &ItemMap) -> bool {
    equal(
        &AttributeValue::M(stored.clone()),
        &AttributeValue::M(written.clone()),
    )
}

/// Whether the stored item already shows every action of `update`: each `SET` of a value holds
/// that value and each `REMOVE`d attribute is absent. `ADD`, `DELETE` and computed `SET`s
/// cannot be recognised in the result (applying them twice would change it again), so an
/// update with any of them is never taken as already applied.
pub(crate) fn is_updated(stored: &ItemMap, update: &Update) -> bool {
    !update.actions.is_empty()
        && update.actions.iter().all(|action| match action {
            UpdateAction::Set(path, SetValue::Value(Operand::Value(value))) => {
                resolve(stored, path).is_some_and(|stored| equal(stored, value))
            }
            UpdateAction::Remove(path) => resolve(stored, path).is_none(),
            _ => false,
        })
}
