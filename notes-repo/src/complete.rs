//! The typed API never writes an item its own type cannot read: the check for updates.
//!
//! Which typed writes can create an item, and why what they create reads back:
//!
//! | write | creates | what it writes |
//! | --- | --- | --- |
//! | `put`, `save`, `create`, `batch_put`, a transaction's `put` | yes | the whole item, serialized from `T` by serde: `T` reads it back (the derive refuses `skip_serializing` options on fields serde cannot read without) |
//! | `update` whose condition no missing item meets: `.if_exists()`, `.expect_version(n)` with `n >= 1`, or a caller's condition such as `Note::CONTENT.eq("v1")` | no | the stored item with the update's actions, none of which may `REMOVE` a required attribute |
//! | any other `update`, alone or in a transaction | yes | the key and the actions' attributes: refused before sending unless they set every attribute in [`Item::REQUIRED_ATTRIBUTES`] |
//!
//! An update creates its item only when none has the key and its condition holds for the
//! missing item. The condition is evaluated on no item, as DynamoDB evaluates it: a
//! comparison on an attribute or `attribute_exists` fails there, unless a `NOT` or an `OR`
//! lets the condition hold anyway (`<>` and `attribute_not_exists` hold on a missing item).

use notes_model::Item;
use notes_model::expr::{Condition, PathElement, Update, UpdateAction};

use notes_core::eval::evaluate;
use notes_core::{Error, Result};

/// Refuses an update of a `T` that would leave an item `T` cannot read: one that removes a
/// required attribute, or that may create the item (its whole `condition`, the SDK's checks
/// included, holds on a missing item) without setting every required attribute.
pub(crate) fn check_update<T: Item>(update: &Update, condition: Option<&Condition>) -> Result<()> {
    update_keeps_item_readable::<T>(update, may_create(condition))
}

/// Whether an update under `condition` may create its item: the condition holds when no item
/// has the key (and no condition always does).
fn may_create(condition: Option<&Condition>) -> bool {
    condition.is_none_or(|condition| evaluate(condition, None))
}

/// [`check_update`] once it is known whether the update may create the item: `SET`,
/// `SET if_not_exists` and `ADD` of a top-level attribute set it.
fn update_keeps_item_readable<T: Item>(update: &Update, may_create: bool) -> Result<()> {
    let top_level = |action: &UpdateAction| match action.path().elements.as_slice() {
        [PathElement::Name(name)] => Some(name.clone()),
        _ => None,
    };
    let removed: Vec<String> = update
        .actions
        .iter()
        .filter(|action| matches!(action, UpdateAction::Remove(_)))
        .filter_map(top_level)
        .filter(|name| T::REQUIRED_ATTRIBUTES.contains(&name.as_ref()))
        .map(|name| format!("`{name}`"))
        .collect();
    if !removed.is_empty() {
        return Err(Error::validation(format!(
            "update removes {}, which `{}` requires: an item without it could not be read",
            removed.join(", "),
            short_type_name::<T>()
        )));
    }
    if !may_create {
        return Ok(());
    }
    let set: Vec<_> = update
        .actions
        .iter()
        .filter(|action| matches!(action, UpdateAction::Set(..) | UpdateAction::Add(..)))
        .filter_map(top_level)
        .collect();
    let missing: Vec<String> = T::REQUIRED_ATTRIBUTES
        .iter()
        .filter(|required| !set.iter().any(|name| name == *required))
        .map(|name| format!("`{name}`"))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::validation(format!(
        "update of a missing item would create it without {}: set them, or use .if_exists()",
        missing.join(", ")
    )))
}

/// `Note` for `notes_model::note::Note`.
fn short_type_name<T>() -> &'static str {
    let name = std::any::type_name::<T>();
    name.rsplit("::").next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use notes_model::Note;
    use notes_model::expr::{Path, Update, UpdateAction};

    use super::{may_create, update_keeps_item_readable};
    use notes_core::Error;

    fn update(actions: impl IntoIterator<Item = UpdateAction>) -> Update {
        let mut update = Update::new();
        update.actions.extend(actions);
        update
    }

    fn message(result: crate::Result<()>) -> String {
        match result {
            Err(Error::Validation { message, .. }) => message,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_update_that_may_create_sets_every_required_attribute() {
        let partial = update([Note::CONTENT.set("x")]);
        assert_eq!(
            message(update_keeps_item_readable::<Note>(&partial, true)),
            "update of a missing item would create it without `createdAt`: set them, or use \
             .if_exists()"
        );
        assert!(update_keeps_item_readable::<Note>(&partial, false).is_ok());
        let nested = update([UpdateAction::Set(
            Path::attribute("createdAt").key("x"),
            notes_model::expr::SetValue::Value(notes_model::expr::Operand::Value(
                notes_model::AttributeValue::N("1".into()),
            )),
        )]);
        assert!(
            message(update_keeps_item_readable::<Note>(&nested, true))
                .contains("without `content`, `createdAt`:")
        );
        let whole = update([Note::CONTENT.set("x"), Note::CREATED_AT.add(1)]);
        assert!(update_keeps_item_readable::<Note>(&whole, true).is_ok());
    }

    #[test]
    fn removing_a_required_attribute_is_refused_even_when_the_item_exists() {
        let remove = update([
            Note::CONTENT.set("x"),
            UpdateAction::Remove(Path::attribute("createdAt")),
        ]);
        assert_eq!(
            message(update_keeps_item_readable::<Note>(&remove, false)),
            "update removes `createdAt`, which `Note` requires: an item without it could \
             not be read"
        );
        let optional = update([Note::ATTACHMENT.remove()]);
        assert!(update_keeps_item_readable::<Note>(&optional, false).is_ok());
    }

    #[test]
    fn only_a_condition_a_missing_item_meets_lets_an_update_create() {
        assert!(may_create(None));
        for cannot in [
            Note::CONTENT.eq("v1"),
            Note::CONTENT.exists(),
            Note::CONTENT.exists() & Note::ATTACHMENT.not_exists(),
            Note::CONTENT.eq("v1") | Note::CONTENT.eq("v2"),
            !Note::CONTENT.not_exists(),
        ] {
            assert!(!may_create(Some(&cannot)), "{cannot:?}");
        }
        for may in [
            !Note::CONTENT.eq("v1"),
            Note::CONTENT.ne("v1"),
            Note::CONTENT.not_exists(),
            Note::CONTENT.eq("v1") | Note::ATTACHMENT.not_exists(),
        ] {
            assert!(may_create(Some(&may)), "{may:?}");
        }
    }
}
