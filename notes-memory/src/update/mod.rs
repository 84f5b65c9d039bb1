//! Applying update ASTs (`SET`, `REMOVE`, `ADD`, `DELETE`) with DynamoDB's semantics.
//!
//! Every operand is read from the item as it was before the update (so `SET a = b, b = a`
//! swaps), then all writes are applied; list elements removed from one list are removed by
//! their original indexes.

use std::cmp::Ordering;
use std::collections::HashSet;

use notes_model::expr::{Operand, Path, PathElement, Update, UpdateAction};
use notes_model::{AttributeValue, ItemMap};

use notes_core::eval::{operand, resolve};
use notes_core::number::Number;
use notes_core::{Error, Result};

mod set;

use set::set_value;

/// One write computed from the old image.
enum Write<'u> {
    Set(&'u Path, AttributeValue),
    Remove(&'u Path),
}

/// The item after `update`, starting from `old` (or, for an upsert, from the key alone).
pub(crate) fn apply(old: Option<&ItemMap>, key: &ItemMap, update: &Update) -> Result<ItemMap> {
    let base = old.unwrap_or(key);
    let mut writes = Vec::with_capacity(update.actions.len());
    for action in &update.actions {
        if let Some(write) = compute(action, base)? {
            writes.push(write);
        }
    }
    let mut item = base.clone();
    let (sets, mut removes): (Vec<_>, Vec<_>) = writes
        .into_iter()
        .partition(|w| matches!(w, Write::Set(..)));
    for write in sets {
        if let Write::Set(path, value) = write {
            set_path(&mut item, path, value)?;
        }
    }
    // Highest list index first, so earlier removals do not shift later ones.
    removes.sort_by(|a, b| match (a, b) {
        (Write::Remove(a), Write::Remove(b)) => compare_paths(b, a),
        _ => Ordering::Equal,
    });
    for write in removes {
        if let Write::Remove(path) = write {
            remove_path(&mut item, path)?;
        }
    }
    Ok(item)
}

fn compute<'u>(action: &'u UpdateAction, base: &ItemMap) -> Result<Option<Write<'u>>> {
    Ok(Some(match action {
        UpdateAction::Set(path, value) => Write::Set(path, set_value(value, base)?),
        UpdateAction::Remove(path) => Write::Remove(path),
        UpdateAction::Add(path, o) => {
            let value = required(o, base)?;
            let added = match (resolve(base, path), value) {
                (None, v) => v,
                (Some(AttributeValue::N(a)), AttributeValue::N(b)) => {
                    AttributeValue::N(arithmetic(a, &b, Number::checked_add)?)
                }
                (Some(existing), v) => union(existing, v).ok_or_else(|| incorrect_type(path))?,
            };
            Write::Set(path, added)
        }
        UpdateAction::Delete(path, o) => {
            let value = required(o, base)?;
            match resolve(base, path) {
                // Nothing to delete from, but the path must still lead somewhere.
                None if parent_fits(base, path) => return Ok(None),
                None => return Err(invalid_path(path)),
                Some(existing) => match difference(existing, &value) {
                    Some(Some(rest)) => Write::Set(path, rest),
                    // DynamoDB removes a set attribute that becomes empty.
                    Some(None) => Write::Remove(path),
                    None => return Err(incorrect_type(path)),
                },
            }
        }
    }))
}

/// An operand's value, which must exist. The message is DynamoDB's, word for word: clients
/// and other projects' suites compare it.
pub(super) fn required(o: &Operand, base: &ItemMap) -> Result<AttributeValue> {
    operand(o, base).map(|v| v.into_owned()).ok_or_else(|| {
        Error::validation(
            "The provided expression refers to an attribute that does not exist in the item",
        )
    })
}

/// `Number::checked_add` or `Number::checked_sub`.
type Arithmetic = fn(&Number, &Number) -> Result<Number, notes_core::number::NumberError>;

/// `op` of two numbers' texts, as a number's text.
pub(super) fn arithmetic(a: &str, b: &str, op: Arithmetic) -> Result<String> {
    let parse =
        |t: &str| Number::parse(t).map_err(|e| Error::validation(format!("{e} (operand \"{t}\")")));
    op(&parse(a)?, &parse(b)?)
        .map(|n| n.to_string())
        .map_err(|e| Error::validation(format!("{e} (result of {a} and {b})")))
}

fn incorrect_type(path: &Path) -> Error {
    Error::validation(format!(
        "An operand in the update expression has an incorrect data type (path `{path}`)"
    ))
}

/// `ADD` on a set: the union, or `None` when the types differ.
fn union(existing: &AttributeValue, added: AttributeValue) -> Option<AttributeValue> {
    use AttributeValue as V;
    Some(match (existing, added) {
        (V::Ss(a), V::Ss(b)) => V::Ss(merge(a, b, Clone::clone)),
        (V::Bs(a), V::Bs(b)) => V::Bs(merge(a, b, Clone::clone)),
        (V::Ns(a), V::Ns(b)) => V::Ns(merge(a, b, |n| Number::parse(n).ok())),
        _ => return None,
    })
}

fn merge<T: Clone, K: std::hash::Hash + Eq>(a: &[T], b: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    let mut seen: HashSet<K> = a.iter().map(&key).collect();
    let mut out = a.to_vec();
    out.extend(b.into_iter().filter(|e| seen.insert(key(e))));
    out
}

/// `DELETE` from a set: `Some(Some(rest))`, `Some(None)` when nothing is left, `None` when
/// the types differ.
fn difference(
    existing: &AttributeValue,
    removed: &AttributeValue,
) -> Option<Option<AttributeValue>> {
    use AttributeValue as V;
    fn minus<T: Clone, K: std::hash::Hash + Eq>(a: &[T], b: &[T], key: impl Fn(&T) -> K) -> Vec<T> {
        let gone: HashSet<K> = b.iter().map(&key).collect();
        a.iter()
            .filter(|e| !gone.contains(&key(e)))
            .cloned()
            .collect()
    }
    let rest = match (existing, removed) {
        (V::Ss(a), V::Ss(b)) => V::Ss(minus(a, b, Clone::clone)),
        (V::Bs(a), V::Bs(b)) => V::Bs(minus(a, b, Clone::clone)),
        (V::Ns(a), V::Ns(b)) => V::Ns(minus(a, b, |n| Number::parse(n).ok())),
        _ => return None,
    };
    let empty = match &rest {
        V::Ss(s) => s.is_empty(),
        V::Bs(s) => s.is_empty(),
        V::Ns(s) => s.is_empty(),
        _ => false,
    };
    Some((!empty).then_some(rest))
}

fn invalid_path(path: &Path) -> Error {
    Error::validation(format!(
        "The document path provided in the update expression is invalid for update (path `{path}`)"
    ))
}

/// Whether the container `path` ends in exists with the type its last element needs (a map
/// for a key, a list for an index); a top-level attribute always fits.
fn parent_fits(base: &ItemMap, path: &Path) -> bool {
    let Some((last, parent)) = path.elements.split_last() else {
        return false;
    };
    if parent.is_empty() {
        return true;
    }
    let parent = Path {
        elements: parent.to_vec(),
    };
    matches!(
        (last, resolve(base, &parent)),
        (PathElement::Name(_), Some(AttributeValue::M(_)))
            | (PathElement::Index(_), Some(AttributeValue::L(_)))
    )
}

/// Where the last element of a path is written or removed: a top-level attribute of the item,
/// or a map key or list index in the container the rest of the path leads to.
enum Slot<'i, 'p> {
    Attribute(&'i mut ItemMap, &'p str),
    In(&'i mut AttributeValue, &'p PathElement),
}

/// The slot of `path`'s last element; the path up to it must exist.
fn slot<'i, 'p>(item: &'i mut ItemMap, path: &'p Path) -> Result<Slot<'i, 'p>> {
    let Some((PathElement::Name(first), rest)) = path.elements.split_first() else {
        return Err(invalid_path(path));
    };
    let Some((last, middle)) = rest.split_last() else {
        return Ok(Slot::Attribute(item, first));
    };
    let mut current = item
        .get_mut(first.as_ref())
        .ok_or_else(|| invalid_path(path))?;
    for element in middle {
        current = match (element, current) {
            (PathElement::Name(name), AttributeValue::M(map)) => map.get_mut(name.as_ref()),
            (PathElement::Index(index), AttributeValue::L(list)) => list.get_mut(*index),
            _ => None,
        }
        .ok_or_else(|| invalid_path(path))?;
    }
    Ok(Slot::In(current, last))
}

/// Writes `value` at `path`; the parent must exist. A list index past the end appends.
fn set_path(item: &mut ItemMap, path: &Path, value: AttributeValue) -> Result<()> {
    match slot(item, path)? {
        Slot::Attribute(item, name) => {
            item.insert(name.to_owned(), value);
        }
        Slot::In(AttributeValue::M(map), PathElement::Name(name)) => {
            map.insert(name.to_string(), value);
        }
        Slot::In(AttributeValue::L(list), PathElement::Index(index)) => {
            match list.get_mut(*index) {
                Some(slot) => *slot = value,
                None => list.push(value),
            }
        }
        Slot::In(..) => return Err(invalid_path(path)),
    }
    Ok(())
}

/// Removes the value at `path`, if there is one. As on DynamoDB, the path up to its last
/// element must exist with the right types (a map for a key, a list for an index); a missing
/// last element (a map key not there, an index past the end) is not an error.
fn remove_path(item: &mut ItemMap, path: &Path) -> Result<()> {
    match slot(item, path)? {
        Slot::Attribute(item, name) => {
            item.remove(name);
        }
        Slot::In(AttributeValue::M(map), PathElement::Name(name)) => {
            map.remove(name.as_ref());
        }
        Slot::In(AttributeValue::L(list), PathElement::Index(index)) => {
            if *index < list.len() {
                list.remove(*index);
            }
        }
        Slot::In(..) => return Err(invalid_path(path)),
    }
    Ok(())
}

fn compare_paths(a: &Path, b: &Path) -> Ordering {
    for (x, y) in a.elements.iter().zip(&b.elements) {
        let o = match (x, y) {
            (PathElement::Name(x), PathElement::Name(y)) => x.cmp(y),
            (PathElement::Index(x), PathElement::Index(y)) => x.cmp(y),
            (PathElement::Name(_), PathElement::Index(_)) => Ordering::Less,
            (PathElement::Index(_), PathElement::Name(_)) => Ordering::Greater,
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    a.elements.len().cmp(&b.elements.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_values::{n, p, s};
    use notes_model::expr::Operand::Value;
    use notes_model::expr::SetValue;

    fn ss(v: &[&str]) -> AttributeValue {
        AttributeValue::Ss(v.iter().map(|s| s.to_string()).collect())
    }
    fn key() -> ItemMap {
        ItemMap::from([("id".to_owned(), s("k"))])
    }
    fn run(old: Option<&ItemMap>, actions: Vec<UpdateAction>) -> Result<ItemMap> {
        apply(old, &key(), &Update { actions })
    }

    #[test]
    fn add_starts_numbers_at_zero_and_unions_sets() {
        let item = run(
            None,
            vec![
                UpdateAction::Add(p("count"), Value(n("5"))),
                UpdateAction::Add(p("tags"), Value(ss(&["a"]))),
            ],
        )
        .unwrap();
        assert_eq!(item["count"], n("5"));
        assert_eq!(item["tags"], ss(&["a"]));
        let item = run(
            Some(&item),
            vec![
                UpdateAction::Add(p("count"), Value(n("-0.5"))),
                UpdateAction::Add(p("tags"), Value(ss(&["a", "b"]))),
            ],
        )
        .unwrap();
        assert_eq!(item["count"], n("4.5"));
        assert_eq!(item["tags"], ss(&["a", "b"]));
        assert_eq!(item["id"], s("k"));
    }

    #[test]
    fn add_to_the_wrong_type_is_an_incorrect_data_type() {
        let old = ItemMap::from([("count".to_owned(), s("x"))]);
        let err = run(
            Some(&old),
            vec![UpdateAction::Add(p("count"), Value(n("1")))],
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("An operand in the update expression has an incorrect data type"),
            "{err}"
        );
    }

    #[test]
    fn delete_removes_elements_and_an_emptied_set() {
        let old = ItemMap::from([("tags".to_owned(), ss(&["a", "b"]))]);
        let item = run(
            Some(&old),
            vec![UpdateAction::Delete(p("tags"), Value(ss(&["a", "z"])))],
        )
        .unwrap();
        assert_eq!(item["tags"], ss(&["b"]));
        let item = run(
            Some(&item),
            vec![UpdateAction::Delete(p("tags"), Value(ss(&["b"])))],
        )
        .unwrap();
        assert!(!item.contains_key("tags"));
        let nothing = run(
            None,
            vec![UpdateAction::Delete(p("tags"), Value(ss(&["b"])))],
        )
        .unwrap();
        assert_eq!(nothing, key());
    }

    #[test]
    fn operands_read_the_old_image() {
        let old = ItemMap::from([("a".to_owned(), n("1")), ("b".to_owned(), n("2"))]);
        let swap = vec![
            UpdateAction::Set(p("a"), SetValue::Value(Operand::Path(p("b")))),
            UpdateAction::Set(p("b"), SetValue::Value(Operand::Path(p("a")))),
        ];
        let item = run(Some(&old), swap).unwrap();
        assert_eq!((&item["a"], &item["b"]), (&n("2"), &n("1")));
    }

    #[test]
    fn set_arithmetic_if_not_exists_and_list_append() {
        let old = ItemMap::from([
            ("a".to_owned(), n("1.5")),
            ("l".to_owned(), AttributeValue::L(vec![n("1")])),
        ]);
        let item = run(
            Some(&old),
            vec![
                UpdateAction::Set(
                    p("a"),
                    SetValue::Minus(Operand::Path(p("a")).into(), Value(n("0.5")).into()),
                ),
                UpdateAction::Set(
                    p("b"),
                    SetValue::IfNotExists(p("b"), Value(s("new")).into()),
                ),
                UpdateAction::Set(
                    p("c"),
                    SetValue::IfNotExists(p("a"), Value(s("unused")).into()),
                ),
                UpdateAction::Set(
                    p("l"),
                    SetValue::ListAppend(
                        Operand::Path(p("l")).into(),
                        Value(AttributeValue::L(vec![n("2")])).into(),
                    ),
                ),
            ],
        )
        .unwrap();
        assert_eq!(item["a"], n("1"));
        assert_eq!(item["b"], s("new"));
        assert_eq!(item["c"], n("1.5"));
        assert_eq!(item["l"], AttributeValue::L(vec![n("1"), n("2")]));
        // `x = <path> + 1`, which fails.
        let plus_one = |path: &'static str| {
            let set = SetValue::Plus(Operand::Path(p(path)).into(), Value(n("1")).into());
            run(Some(&old), vec![UpdateAction::Set(p("x"), set)]).unwrap_err()
        };
        let err = plus_one("nope");
        assert!(
            err.to_string().contains("does not exist in the item"),
            "{err}"
        );
        let err = plus_one("l");
        assert!(err.to_string().contains("incorrect data type"), "{err}");
    }

    #[test]
    fn nested_set_and_remove_by_original_indexes() {
        let old = ItemMap::from([
            ("m".to_owned(), AttributeValue::M(ItemMap::new())),
            (
                "l".to_owned(),
                AttributeValue::L(vec![n("0"), n("1"), n("2"), n("3")]),
            ),
        ]);
        let item = run(
            Some(&old),
            vec![
                UpdateAction::Set(p("m").key("x"), SetValue::Value(Value(s("y")))),
                UpdateAction::Remove(p("l").index(1)),
                UpdateAction::Remove(p("l").index(2)),
                UpdateAction::Set(p("l").index(9), SetValue::Value(Value(n("9")))),
            ],
        )
        .unwrap();
        assert_eq!(
            item["m"],
            AttributeValue::M(ItemMap::from([("x".to_owned(), s("y"))]))
        );
        assert_eq!(item["l"], AttributeValue::L(vec![n("0"), n("3"), n("9")]));
        let err = run(
            Some(&old),
            vec![UpdateAction::Set(
                p("nope").key("x"),
                SetValue::Value(Value(s("y"))),
            )],
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("document path provided in the update expression is invalid"),
            "{err}"
        );
    }
}
