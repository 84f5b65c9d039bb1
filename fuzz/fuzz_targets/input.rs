//! Builds expression ASTs and item maps from fuzzer bytes.
//!
//! Names and strings come mostly from a palette of hostile text (placeholder look-alikes,
//! expression keywords, brackets, quotes, empty and non-ASCII strings) and otherwise from the
//! raw bytes, so the renderer and the decoder see what an attacker would send.

#![allow(dead_code)]

use std::borrow::Cow;
use std::collections::HashMap;

use arbitrary::{Arbitrary, Result, Unstructured};
use notes_model::AttributeValue;
use notes_model::expr::{
    Comparator, Condition, KeyCondition, Operand, Path, PathElement, SetOperand, SetValue,
    SortKeyCondition, Update, UpdateAction,
};

const PALETTE: [&str; 24] = [
    "a", "userId", "#n0", "#n1", ":v0", ":v1", ")", "(", "AND", "OR", "NOT", "a.b", "a[0]", "\"",
    "'", " ", "", "size", "#", ":", "é", "\u{0}", "BETWEEN", "x) OR (attribute_exists(y",
];

const TYPES: [&str; 12] = [
    "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "X", "",
];

/// A string: from the palette or from the raw bytes.
pub fn text(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(3, 4)? {
        Ok((*u.choose(&PALETTE)?).to_owned())
    } else {
        String::arbitrary(u)
    }
}

pub fn path(u: &mut Unstructured<'_>) -> Result<Path> {
    let mut elements = Vec::new();
    // Rarely a path that starts with an index, which the renderer must refuse.
    if u.ratio(1, 16)? {
        elements.push(PathElement::Index(u.int_in_range(0..=3)?));
    } else {
        elements.push(PathElement::Name(Cow::Owned(text(u)?)));
    }
    for _ in 0..u.int_in_range(0..=3)? {
        if u.ratio(1, 2)? {
            elements.push(PathElement::Index(u.int_in_range(0..=1000)?));
        } else {
            elements.push(PathElement::Name(Cow::Owned(text(u)?)));
        }
    }
    Ok(Path { elements })
}

fn number(u: &mut Unstructured<'_>) -> Result<String> {
    const NUMBERS: [&str; 8] = ["0", "1", "-1.5", "1E2", "NaN", "", "1e-130", "99999999999999999999999999999999999999999"];
    if u.ratio(3, 4)? {
        Ok((*u.choose(&NUMBERS)?).to_owned())
    } else {
        String::arbitrary(u)
    }
}

pub fn value(u: &mut Unstructured<'_>, depth: u32) -> Result<AttributeValue> {
    let kind = if depth == 0 {
        u.int_in_range(0..=4)?
    } else {
        u.int_in_range(0..=9)?
    };
    Ok(match kind {
        0 => AttributeValue::S(text(u)?),
        1 => AttributeValue::N(number(u)?),
        2 => AttributeValue::B(Vec::<u8>::arbitrary(u)?),
        3 => AttributeValue::Bool(bool::arbitrary(u)?),
        4 => AttributeValue::Null(bool::arbitrary(u)?),
        5 => AttributeValue::Ss((0..u.int_in_range(0..=3)?).map(|_| text(u)).collect::<Result<_>>()?),
        6 => AttributeValue::Ns((0..u.int_in_range(0..=3)?).map(|_| number(u)).collect::<Result<_>>()?),
        7 => AttributeValue::Bs((0..u.int_in_range(0..=3)?).map(|_| Vec::<u8>::arbitrary(u)).collect::<Result<_>>()?),
        8 => AttributeValue::L((0..u.int_in_range(0..=3)?).map(|_| value(u, depth - 1)).collect::<Result<_>>()?),
        _ => AttributeValue::M(item(u, depth - 1)?),
    })
}

/// An item map of up to six attributes, names from `names` or the palette.
pub fn item_with(u: &mut Unstructured<'_>, names: &[&str], depth: u32) -> Result<HashMap<String, AttributeValue>> {
    let mut map = HashMap::new();
    for _ in 0..u.int_in_range(0..=6)? {
        let name = if !names.is_empty() && u.ratio(3, 4)? {
            (*u.choose(names)?).to_owned()
        } else {
            text(u)?
        };
        map.insert(name, value(u, depth)?);
    }
    Ok(map)
}

pub fn item(u: &mut Unstructured<'_>, depth: u32) -> Result<HashMap<String, AttributeValue>> {
    item_with(u, &[], depth)
}

pub fn operand(u: &mut Unstructured<'_>) -> Result<Operand> {
    Ok(match u.int_in_range(0..=7)? {
        0..=2 => Operand::Path(path(u)?),
        3..=5 => Operand::Value(value(u, 2)?),
        6 => Operand::Size(path(u)?),
        _ => Operand::Invalid { path: path(u)?, message: text(u)? },
    })
}

fn comparator(u: &mut Unstructured<'_>) -> Result<Comparator> {
    Ok(*u.choose(&[
        Comparator::Eq,
        Comparator::Ne,
        Comparator::Lt,
        Comparator::Le,
        Comparator::Gt,
        Comparator::Ge,
    ])?)
}

pub fn condition(u: &mut Unstructured<'_>, depth: u32) -> Result<Condition> {
    let kind = if depth == 0 {
        u.int_in_range(0..=7)?
    } else {
        u.int_in_range(0..=10)?
    };
    Ok(match kind {
        0 => Condition::Compare(operand(u)?, comparator(u)?, operand(u)?),
        1 => Condition::Between(operand(u)?, operand(u)?, operand(u)?),
        2 => Condition::In(operand(u)?, (0..u.int_in_range(0..=3)?).map(|_| operand(u)).collect::<Result<_>>()?),
        3 => Condition::BeginsWith(path(u)?, operand(u)?),
        4 => Condition::Contains(path(u)?, operand(u)?),
        5 => Condition::Exists(path(u)?),
        6 => Condition::NotExists(path(u)?),
        7 => Condition::Type(path(u)?, u.choose(&TYPES)?),
        8 => Condition::And(Box::new(condition(u, depth - 1)?), Box::new(condition(u, depth - 1)?)),
        9 => Condition::Or(Box::new(condition(u, depth - 1)?), Box::new(condition(u, depth - 1)?)),
        _ => Condition::Not(Box::new(condition(u, depth - 1)?)),
    })
}

/// An operand of a `SET` value: an operand, or `if_not_exists` / `list_append` nested up to
/// `depth` deep.
pub fn set_operand(u: &mut Unstructured<'_>, depth: u32) -> Result<SetOperand> {
    let kind = if depth == 0 { 0 } else { u.int_in_range(0..=3)? };
    Ok(match kind {
        0 | 1 => SetOperand::Operand(operand(u)?),
        2 => SetOperand::if_not_exists(path(u)?, set_operand(u, depth - 1)?),
        _ => SetOperand::list_append(set_operand(u, depth - 1)?, set_operand(u, depth - 1)?),
    })
}

pub fn update(u: &mut Unstructured<'_>) -> Result<Update> {
    let mut actions = Vec::new();
    for _ in 0..u.int_in_range(0..=4)? {
        actions.push(match u.int_in_range(0..=7)? {
            0 => UpdateAction::Set(path(u)?, SetValue::Value(operand(u)?)),
            1 => UpdateAction::Set(path(u)?, SetValue::IfNotExists(path(u)?, set_operand(u, 2)?)),
            2 => UpdateAction::Set(path(u)?, SetValue::Plus(set_operand(u, 2)?, set_operand(u, 2)?)),
            3 => UpdateAction::Set(path(u)?, SetValue::Minus(set_operand(u, 2)?, set_operand(u, 2)?)),
            4 => UpdateAction::Set(path(u)?, SetValue::ListAppend(set_operand(u, 2)?, set_operand(u, 2)?)),
            5 => UpdateAction::Remove(path(u)?),
            6 => UpdateAction::Add(path(u)?, operand(u)?),
            _ => UpdateAction::Delete(path(u)?, operand(u)?),
        });
    }
    Ok(Update { actions })
}

pub fn key_condition(u: &mut Unstructured<'_>) -> Result<KeyCondition> {
    let mut kc = KeyCondition::partition(text(u)?, value(u, 0)?);
    if u.ratio(2, 3)? {
        let sk = match u.int_in_range(0..=2)? {
            0 => SortKeyCondition::Compare(comparator(u)?, value(u, 0)?),
            1 => SortKeyCondition::Between(value(u, 0)?, value(u, 0)?),
            _ => SortKeyCondition::BeginsWith(value(u, 0)?),
        };
        kc = kc.with_sort_key(text(u)?, sk);
    }
    Ok(kc)
}

/// Everything one request can carry.
#[derive(Debug)]
pub struct Expressions {
    pub key_condition: Option<KeyCondition>,
    pub update: Option<Update>,
    pub condition: Option<Condition>,
    pub projection: Option<Vec<Path>>,
}

impl Expressions {
    pub fn generate(u: &mut Unstructured<'_>) -> Result<Self> {
        Ok(Expressions {
            key_condition: if u.ratio(1, 3)? { Some(key_condition(u)?) } else { None },
            update: if u.ratio(1, 2)? { Some(update(u)?) } else { None },
            condition: if u.ratio(2, 3)? { Some(condition(u, 6)?) } else { None },
            projection: if u.ratio(1, 3)? {
                Some((0..u.int_in_range(0..=3)?).map(|_| path(u)).collect::<Result<_>>()?)
            } else {
                None
            },
        })
    }
}
