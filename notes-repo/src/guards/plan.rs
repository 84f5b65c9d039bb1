//! What one write does to the guards of its item: which guards it releases and claims, and
//! the condition its own action adds so that the values it read are still the item's.

use notes_core::request::TransactWrite;
use notes_core::{Error, Result};
use notes_model::expr::{Comparator, Condition, Operand, Path, PathElement, SetValue, Update};
use notes_model::unique::UniqueAttributes;
use notes_model::{AttributeValue, ItemMap, KeySchema, type_descriptor};

use super::key::{Guard, free_or_owned_by};

/// The guards of one write of one item.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Plan {
    /// What the item's own action must also meet: each unique attribute the write sets still
    /// holds the value read before it (`None` when nothing was read: a create).
    pub(crate) as_read: Option<Condition>,
    /// The guards of values the item gives up: deleted, if they are its.
    pub(crate) releases: Vec<Guard>,
    /// The guards of values the item takes: written, unless another item's.
    pub(crate) claims: Vec<Guard>,
}

/// Unique attributes a write sets, each with its new value (`None`: absent).
pub(crate) type Sets<'a> = Vec<(&'static str, Option<&'a AttributeValue>)>;

/// The item as it was read before the write.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Read<'a> {
    /// Not read: the write creates the item (`create`), so there is none.
    Nothing,
    /// Read: the item, or `None` when there was none.
    Item(Option<&'a ItemMap>),
}

/// One write, as the guards see it.
pub(crate) struct Write<'a> {
    /// The table's key schema.
    pub(crate) schema: &'a KeySchema,
    /// Its unique attributes and their scope.
    pub(crate) unique: UniqueAttributes,
    /// The unique attributes the write sets, each with its new value (`None`: absent). The
    /// others keep their values, and their guards.
    pub(crate) sets: Sets<'a>,
    /// Guards that turned out to be another item's: not released (that item holds the value
    /// too: an item written before its guards were).
    pub(crate) not_mine: &'a [ItemMap],
}

impl Plan {
    /// The plan of `write`, given the item as it was read.
    pub(crate) fn new(write: &Write<'_>, read: Read<'_>) -> Result<Plan> {
        let mut plan = Plan::default();
        let mut as_read = Vec::new();
        for &(attribute, new) in &write.sets {
            let old = match read {
                Read::Item(Some(item)) => item.get(attribute),
                Read::Item(None) | Read::Nothing => None,
            };
            // A stored value that cannot have a guard (of another type, or too long) has none
            // to release.
            let old_guard = old.and_then(|old| {
                Guard::of(write.schema, write.unique.scope, attribute, old)
                    .ok()
                    .flatten()
            });
            let new_guard = match new {
                Some(new) => Guard::of(write.schema, write.unique.scope, attribute, new)?,
                None => None,
            };
            if old_guard.as_ref().map(|g| &g.key) != new_guard.as_ref().map(|g| &g.key) {
                plan.releases
                    .extend(old_guard.filter(|guard| !write.not_mine.contains(&guard.key)));
                plan.claims.extend(new_guard);
            }
            if let Read::Item(_) = read {
                as_read.push(still(attribute, old));
            }
        }
        plan.as_read = as_read.into_iter().reduce(|a, b| a & b);
        Ok(plan)
    }

    /// Whether the write changes no guard (it may still need [`Plan::as_read`]).
    pub(crate) fn is_empty(&self) -> bool {
        self.releases.is_empty() && self.claims.is_empty()
    }

    /// The guard writes, releases first, in the table `table`, for the item with key `owner`.
    pub(crate) fn actions(
        &self,
        table: &str,
        schema: &KeySchema,
        owner: &ItemMap,
    ) -> Vec<TransactWrite> {
        let condition = free_or_owned_by(schema, owner);
        let releases = self.releases.iter().map(|guard| TransactWrite::Delete {
            table_name: table.to_owned(),
            key: guard.key.clone(),
            condition: Some(condition.clone()),
        });
        let claims = self.claims.iter().map(|guard| TransactWrite::Put {
            table_name: table.to_owned(),
            item: guard.item(owner),
            condition: Some(condition.clone()),
        });
        releases.chain(claims).collect()
    }
}

/// The condition that `attribute` still holds `old` (absent or `NULL` for `None`).
fn still(attribute: &'static str, old: Option<&AttributeValue>) -> Condition {
    let path = Path::attribute(attribute);
    match old {
        Some(AttributeValue::Null(_)) | None => {
            Condition::NotExists(path.clone()) | Condition::Type(path, "NULL")
        }
        Some(value @ (AttributeValue::S(_) | AttributeValue::N(_) | AttributeValue::B(_))) => {
            Condition::Compare(
                Operand::Path(path),
                Comparator::Eq,
                Operand::Value(value.clone()),
            )
        }
        // Not a value a guard is kept for: it keeps its type.
        Some(other) => Condition::Type(path, type_descriptor(other)),
    }
}

/// `condition` and `more`, either of which may be absent.
pub(crate) fn and(condition: Option<Condition>, more: Option<Condition>) -> Option<Condition> {
    match (condition, more) {
        (Some(a), Some(b)) => Some(a & b),
        (a, b) => a.or(b),
    }
}

/// What a put sets: every unique attribute, to the item's value (absent when the item has
/// none).
pub(crate) fn sets_of_item(unique: UniqueAttributes, item: &ItemMap) -> Sets<'_> {
    unique
        .attributes
        .iter()
        .map(|&attribute| (attribute, item.get(attribute)))
        .collect()
}

/// What a delete sets: every unique attribute, to nothing.
pub(crate) fn sets_of_delete(unique: UniqueAttributes) -> Sets<'static> {
    unique
        .attributes
        .iter()
        .map(|&attribute| (attribute, None))
        .collect()
}

/// What an update sets: each unique attribute it writes, to the value of its `SET`, or to
/// nothing for a `REMOVE`. Any other action on a unique attribute is refused: the guard is
/// keyed by the new value, which must be known before sending.
pub(crate) fn sets_of_update(unique: UniqueAttributes, update: &Update) -> Result<Sets<'_>> {
    let mut sets = Vec::new();
    for action in &update.actions {
        let Some(PathElement::Name(name)) = action.path().elements.first() else {
            continue;
        };
        let Some(&attribute) = unique.attributes.iter().find(|a| **a == name.as_ref()) else {
            continue;
        };
        let whole = action.path().elements.len() == 1;
        let value = match action {
            notes_model::expr::UpdateAction::Set(_, SetValue::Value(Operand::Value(value)))
                if whole =>
            {
                Some(value)
            }
            notes_model::expr::UpdateAction::Remove(_) if whole => None,
            _ => {
                return Err(Error::validation(format!(
                    "an update of the #[unique] attribute `{attribute}` must set it to a value \
                     or remove it: its guard is keyed by the new value, which the SDK must \
                     know before sending"
                )));
            }
        };
        sets.push((attribute, value));
    }
    Ok(sets)
}

#[cfg(test)]
mod tests {
    use notes_model::{AttributeValue, ItemMap, KeyAttribute, KeySchema, ScalarType};

    use super::*;

    const UNIQUE: UniqueAttributes = UniqueAttributes {
        scope: "",
        attributes: &["email"],
    };

    fn schema() -> KeySchema {
        KeySchema {
            partition_key: KeyAttribute::new("id", ScalarType::S),
            sort_key: None,
        }
    }

    fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.into())
    }

    fn item(email: Option<&str>) -> ItemMap {
        let mut item = ItemMap::from([("id".to_owned(), s("u1"))]);
        if let Some(email) = email {
            item.insert("email".into(), s(email));
        }
        item
    }

    fn plan(read: Read<'_>, new: Option<&AttributeValue>) -> Plan {
        let schema = schema();
        let write = Write {
            schema: &schema,
            unique: UNIQUE,
            sets: vec![("email", new)],
            not_mine: &[],
        };
        Plan::new(&write, read).unwrap()
    }

    fn guarded(plan: &Plan) -> (Vec<String>, Vec<String>) {
        let keys = |guards: &[Guard]| {
            guards
                .iter()
                .map(|g| match &g.key["id"] {
                    AttributeValue::S(key) => key.clone(),
                    other => panic!("{other:?}"),
                })
                .collect()
        };
        (keys(&plan.releases), keys(&plan.claims))
    }

    #[test]
    fn a_create_claims_without_reading() {
        let plan = plan(Read::Nothing, Some(&s("a")));
        assert_eq!(
            guarded(&plan),
            (vec![], vec!["_unique##email#S:a".to_owned()])
        );
        assert_eq!(plan.as_read, None);
    }

    #[test]
    fn a_change_releases_the_old_value_and_claims_the_new() {
        let old = item(Some("a"));
        let plan = plan(Read::Item(Some(&old)), Some(&s("b")));
        assert_eq!(
            guarded(&plan),
            (
                vec!["_unique##email#S:a".to_owned()],
                vec!["_unique##email#S:b".to_owned()]
            )
        );
        assert_eq!(plan.as_read, Some(still("email", Some(&s("a")))));
        assert_eq!(
            still("email", Some(&s("a"))),
            Condition::Compare(
                Operand::Path(Path::attribute("email")),
                Comparator::Eq,
                Operand::Value(s("a"))
            )
        );
    }

    #[test]
    fn the_same_value_changes_no_guard_but_is_checked() {
        let old = item(Some("a"));
        let plan = plan(Read::Item(Some(&old)), Some(&s("a")));
        assert!(plan.is_empty());
        assert!(plan.as_read.is_some());
        let none = plan_absent();
        assert!(none.is_empty());
        assert_eq!(
            none.as_read,
            Some(
                Condition::NotExists(Path::attribute("email"))
                    | Condition::Type(Path::attribute("email"), "NULL")
            )
        );
    }

    fn plan_absent() -> Plan {
        plan(Read::Item(None), None)
    }

    #[test]
    fn an_update_must_set_a_unique_attribute_to_a_value_or_remove_it() {
        let mut update = Update::new();
        update.actions.push(notes_model::expr::UpdateAction::Set(
            Path::attribute("email"),
            SetValue::IfNotExists(
                Path::attribute("email"),
                notes_model::expr::SetOperand::Operand(Operand::Value(s("a"))),
            ),
        ));
        let err = sets_of_update(UNIQUE, &update).unwrap_err();
        assert!(
            err.to_string()
                .contains("must set it to a value or remove it"),
            "{err}"
        );
        let mut update = Update::new();
        update
            .actions
            .push(notes_model::expr::UpdateAction::Remove(Path::attribute(
                "email",
            )));
        update.actions.push(notes_model::expr::UpdateAction::Set(
            Path::attribute("name"),
            SetValue::Value(Operand::Value(s("n"))),
        ));
        assert_eq!(
            sets_of_update(UNIQUE, &update).unwrap(),
            vec![("email", None)]
        );
    }
}
