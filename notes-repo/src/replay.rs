//! Answers that match what happened when a write's response was lost.
//!
//! A write is *retried* when it was sent more than once and an earlier attempt's outcome is
//! unknown: the AWS SDK re-sent it after a reset, a timeout or a 5xx, or a [`Layer`] re-sent it
//! after such an answer and said so with [`Error::mark_retried`](crate::Error::mark_retried). A retry after throttling or
//! another 4xx is not one: DynamoDB applied nothing. When the earlier attempt was applied and
//! only its response was lost, the retry's condition fails against the item that attempt
//! wrote. Typed writes ask for the stored item on a failed condition
//! (`ReturnValuesOnConditionCheckFailure::ALL_OLD`) and, only when the write was retried and
//! the item already is what they wrote, answer as the first attempt would have. Without a
//! retry an identical item is someone else's write, and a conflict.
//!
//! [`Layer`]: crate::Layer

use notes_model::expr::{Condition, Operand, Path, PathElement, SetValue, Update, UpdateAction};
use notes_model::{AttributeValue, ItemMap};

use notes_core::eval::{equal, evaluate, resolve};

/// Whether the stored item is exactly the item a put wrote (numbers by value, sets in any
/// order).
pub(crate) fn is_written(stored: &ItemMap, written: &ItemMap) -> bool {
    equal(
        &AttributeValue::M(stored.clone()),
        &AttributeValue::M(written.clone()),
    )
}

/// Whether the stored item can be the result of `update` under `condition`: it shows every
/// action (each `SET` of a value holds that value, each `REMOVE`d attribute is absent), and
/// every part of the condition (each operand of its top-level `AND`s) that reads no path the
/// update writes still holds, as it did when the update applied. A read path and a written
/// path overlap when one is a prefix of the other (`meta` and `meta.a` do, `meta.a` and
/// `meta.b` do not). At a list index, a `SET` of element `i` changes element `i`, or appends
/// at the list's end when it is shorter (so any element up to `i`); a `REMOVE` of element `i`
/// moves every element after it: `SET tags[1]` touches `tags[0]` and `tags[1]`, not
/// `tags[3]`; `REMOVE tags[1]` touches `tags[1]` and later, not `tags[0]`.
/// `ADD`, `DELETE` and computed `SET`s cannot be recognised in the result (applying them twice
/// would change it again), so an update with any of them is never taken as already applied.
pub(crate) fn is_updated(stored: &ItemMap, update: &Update, condition: Option<&Condition>) -> bool {
    let shows_every_action = !update.actions.is_empty()
        && update.actions.iter().all(|action| match action {
            UpdateAction::Set(path, SetValue::Value(Operand::Value(value))) => {
                resolve(stored, path).is_some_and(|stored| equal(stored, value))
            }
            UpdateAction::Remove(path) => resolve(stored, path).is_none(),
            _ => false,
        });
    let written: Vec<(&Path, bool)> = update
        .actions
        .iter()
        .map(|action| (action.path(), matches!(action, UpdateAction::Remove(_))))
        .collect();
    let mut parts = Vec::new();
    if let Some(condition) = condition {
        conjuncts(condition, &mut parts);
    }
    shows_every_action
        && parts.into_iter().all(|part| {
            let mut read = Vec::new();
            paths(part, &mut read);
            let untouched = read
                .iter()
                .all(|path| !written.iter().any(|&(w, remove)| overlap(path, w, remove)));
            !untouched || evaluate(part, Some(stored))
        })
}

/// Whether a write of `written` (a `REMOVE` when `remove`) can change what `read` reads:
/// one is a prefix of the other (a path is a prefix of itself), where a read index `r` and a
/// written index `w` at the same place match when `r <= w` for a `SET` (it sets element `w`,
/// or appends at the end of a shorter list) and when `r >= w` for a `REMOVE` (the elements
/// after `w` move down).
fn overlap(read: &Path, written: &Path, remove: bool) -> bool {
    read.elements
        .iter()
        .zip(&written.elements)
        .all(|pair| match pair {
            (PathElement::Name(x), PathElement::Name(y)) => x == y,
            (PathElement::Index(r), PathElement::Index(w)) => {
                if remove {
                    r >= w
                } else {
                    r <= w
                }
            }
            _ => false,
        })
}

/// The operands of `condition`'s top-level `AND`s.
fn conjuncts<'c>(condition: &'c Condition, parts: &mut Vec<&'c Condition>) {
    match condition {
        Condition::And(a, b) => {
            conjuncts(a, parts);
            conjuncts(b, parts);
        }
        other => parts.push(other),
    }
}

/// Every path `condition` reads.
fn paths<'c>(condition: &'c Condition, read: &mut Vec<&'c Path>) {
    let operand = |operand: &'c Operand, read: &mut Vec<&'c Path>| match operand {
        Operand::Path(path) | Operand::Size(path) | Operand::Invalid { path, .. } => {
            read.push(path)
        }
        Operand::Value(_) => {}
    };
    match condition {
        Condition::Compare(a, _, b) => {
            operand(a, read);
            operand(b, read);
        }
        Condition::Between(a, low, high) => {
            for o in [a, low, high] {
                operand(o, read);
            }
        }
        Condition::In(a, list) => {
            operand(a, read);
            for o in list {
                operand(o, read);
            }
        }
        Condition::BeginsWith(path, o) | Condition::Contains(path, o) => {
            read.push(path);
            operand(o, read);
        }
        Condition::Exists(path) | Condition::NotExists(path) | Condition::Type(path, _) => {
            read.push(path)
        }
        Condition::And(a, b) | Condition::Or(a, b) => {
            paths(a, read);
            paths(b, read);
        }
        Condition::Not(a) => paths(a, read),
    }
}

#[cfg(test)]
mod tests {
    use notes_model::expr::{Comparator, Condition, Operand, Path, SetValue, Update, UpdateAction};
    use notes_model::{AttributeValue, Item, ItemMap, Note};

    use super::is_updated;

    fn update(content: &str) -> Update {
        let mut update = Update::new();
        update.actions.push(Note::CONTENT.set(content));
        update
    }

    #[test]
    fn an_untouched_part_of_the_condition_must_still_hold() {
        let with_attachment = Note::new("u1", "closed")
            .with_attachment("a.png")
            .to_item()
            .unwrap();
        let without = Note::new("u1", "closed").to_item().unwrap();
        let condition = Note::ATTACHMENT.not_exists();
        assert!(!is_updated(
            &with_attachment,
            &update("closed"),
            Some(&condition)
        ));
        assert!(is_updated(&without, &update("closed"), Some(&condition)));
        // Parts that read what the update writes are not checked: they held before it.
        let on_content = Note::CONTENT.eq("open") & Note::ATTACHMENT.not_exists();
        assert!(is_updated(&without, &update("closed"), Some(&on_content)));
        assert!(!is_updated(
            &with_attachment,
            &update("closed"),
            Some(&on_content)
        ));
        // An OR mixing both is left alone as a whole.
        let mixed = Note::CONTENT.eq("open") | Note::ATTACHMENT.not_exists();
        assert!(is_updated(
            &with_attachment,
            &update("closed"),
            Some(&mixed)
        ));
        // And the item must show the update.
        assert!(!is_updated(&without, &update("open"), Some(&condition)));
    }

    fn n(value: i64) -> Operand {
        Operand::Value(AttributeValue::N(value.to_string()))
    }

    /// Issue 24, third attack: a retried `SET tags[0] = "x"` with the condition
    /// `tags[3] = "q"`, on someone else's `[x, b, c, d]`, answered as applied (every list index
    /// counted as written) though its condition never held; a `REMOVE tags[3]` with the
    /// condition `tags[0] = "q"` likewise.
    #[test]
    fn a_condition_on_a_list_element_the_update_cannot_move_must_still_hold() {
        let s = |v: &str| AttributeValue::S(v.to_owned());
        let tags = |values: &[&str]| {
            ItemMap::from([(
                "tags".to_owned(),
                AttributeValue::L(values.iter().map(|v| s(v)).collect()),
            )])
        };
        let list = |x: usize| Path::attribute("tags").index(x);
        let is_q = |path: Path| {
            Condition::Compare(Operand::Path(path), Comparator::Eq, Operand::Value(s("q")))
        };
        let mut set = Update::new();
        set.actions.push(UpdateAction::Set(
            list(0),
            SetValue::Value(Operand::Value(s("x"))),
        ));
        assert!(!is_updated(
            &tags(&["x", "b", "c", "d"]),
            &set,
            Some(&is_q(list(3)))
        ));
        assert!(is_updated(
            &tags(&["x", "b", "c", "q"]),
            &set,
            Some(&is_q(list(3)))
        ));
        let mut remove = Update::new();
        remove.actions.push(UpdateAction::Remove(list(3)));
        assert!(!is_updated(
            &tags(&["x", "b", "c"]),
            &remove,
            Some(&is_q(list(0)))
        ));
        assert!(is_updated(
            &tags(&["q", "b", "c"]),
            &remove,
            Some(&is_q(list(0)))
        ));
    }

    /// Issue 24, defect 3: `SET meta.a = 1` under `meta.b = 2` found `meta = {a: 1, b: 3}`.
    /// On main (dc45f5e) the condition part was skipped because its top-level attribute
    /// (`meta`) is written, and the update answered as applied though `meta.b = 2` never
    /// held. Only a part reading a path that overlaps a written one is skipped now.
    #[test]
    fn a_condition_on_a_sibling_of_a_written_nested_path_must_still_hold() {
        let meta = |a: i64, b: i64| {
            ItemMap::from([
                ("id".to_owned(), AttributeValue::S("d1".into())),
                (
                    "meta".to_owned(),
                    AttributeValue::M(ItemMap::from([
                        ("a".to_owned(), AttributeValue::N(a.to_string())),
                        ("b".to_owned(), AttributeValue::N(b.to_string())),
                    ])),
                ),
            ])
        };
        let set_a = |path: Path| {
            let mut update = Update::new();
            update
                .actions
                .push(UpdateAction::Set(path, SetValue::Value(n(1))));
            update
        };
        let on = |path: Path| Condition::Compare(Operand::Path(path), Comparator::Eq, n(2));
        let meta_a = Path::attribute("meta").key("a");
        let meta_b = Path::attribute("meta").key("b");
        let update = set_a(meta_a.clone());
        // A sibling path: checked, and false.
        assert!(!is_updated(&meta(1, 3), &update, Some(&on(meta_b.clone()))));
        assert!(is_updated(&meta(1, 2), &update, Some(&on(meta_b))));
        // The written path itself, or a path it is a prefix of or that is a prefix of it:
        // skipped (it held before the write).
        assert!(is_updated(&meta(1, 3), &update, Some(&on(meta_a.clone()))));
        assert!(is_updated(
            &meta(1, 3),
            &update,
            Some(&on(Path::attribute("meta")))
        ));
        // List elements: a SET of element w touches elements up to w (it appends to a shorter
        // list); a REMOVE of element w moves every element after it; a name never matches.
        let list = |x: usize| Path::attribute("tags").index(x);
        assert!(super::overlap(&list(0), &list(2), false));
        assert!(!super::overlap(&list(3), &list(0), false));
        assert!(super::overlap(&list(3), &list(1), true));
        assert!(!super::overlap(&list(0), &list(3), true));
        assert!(super::overlap(&list(1).key("x"), &list(1), false));
        assert!(!super::overlap(
            &list(1),
            &Path::attribute("tags").key("x"),
            false
        ));
        assert!(!super::overlap(
            &meta_a,
            &Path::attribute("metadata"),
            false
        ));
    }
}
