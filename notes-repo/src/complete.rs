//! The typed API never writes an item its own type cannot read: the check for updates.
//!
//! Which typed writes can create an item, and why what they create reads back:
//!
//! | write | creates | what it writes |
//! | --- | --- | --- |
//! | `put`, `save`, `create`, `batch_put`, a transaction's `put` | yes | the whole item, serialized from `T` by serde: `T` reads it back (the derive refuses `skip_serializing` options on fields serde cannot read without) |
//! | `update` with `.if_exists()` or `.expect_version(n)`, `n >= 1` | no | the stored item with the update's actions, none of which may `REMOVE` a required attribute |
//! | any other `update`, alone or in a transaction | yes | the key and the actions' attributes: refused before sending unless they set every attribute in [`Item::REQUIRED_ATTRIBUTES`] |
//!
//! A caller's own condition does not count as "the item exists" here, even one that implies it:
//! say so with `.if_exists()`.

use notes_model::Item;
use notes_model::expr::{PathElement, Update, UpdateAction};

use notes_core::{Error, Result};

/// Refuses an update of a `T` that would leave an item `T` cannot read: one that removes a
/// required attribute, or that may create the item (neither `.if_exists()` nor an expected
/// version of 1 or more) without setting every required attribute.
pub(crate) fn check_update<T: Item>(
    update: &Update,
    if_exists: bool,
    expected_version: Option<u64>,
) -> Result<()> {
    let cannot_create = if_exists || expected_version.is_some_and(|version| version >= 1);
    update_keeps_item_readable::<T>(update, !cannot_create)
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

    use super::update_keeps_item_readable;
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
}
