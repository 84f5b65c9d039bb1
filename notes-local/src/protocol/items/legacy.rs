//! DynamoDB's legacy (pre-expression) parameters, translated into the same AST the expression
//! parser gives: `AttributesToGet` (a projection), `KeyConditions` (a key condition),
//! `QueryFilter`/`ScanFilter` and `Expected` (conditions, joined by `ConditionalOperator`) and
//! `AttributeUpdates` (an update). Older SDKs, tools and other projects' suites still send
//! them. Attribute names here are literal: no placeholders, no reserved words.
//!
//! Each is read in two steps, as DynamoDB checks them: the API's constraints on the members
//! (`constrain`, collected with the request's others), then the rules on the values, with
//! DynamoDB's messages, while building the AST.

use std::collections::{BTreeMap, HashSet};

use notes_model::AttributeValue;
use notes_model::expr::{
    Comparator, Condition, Operand, Path, SetOperand, SetValue, SortKeyCondition, Update,
    UpdateAction,
};
use notes_model::type_descriptor;
use serde::Deserialize;
use serde_json::Value;

use super::params::Constraints;
use super::values::{self, ValueError};
use crate::errors::ErrorAnswer;

const INVALID: &str = "One or more parameter values were invalid: ";

fn invalid(message: impl std::fmt::Display) -> ErrorAnswer {
    ErrorAnswer::validation(format!("{INVALID}{message}"))
}

/// `ComparisonOperator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Operator {
    In,
    Null,
    Between,
    Lt,
    NotContains,
    Eq,
    Gt,
    NotNull,
    Ne,
    Le,
    BeginsWith,
    Ge,
    Contains,
}

/// The operators by name, in the order DynamoDB lists them.
const OPERATORS: [(&str, Operator); 13] = [
    ("IN", Operator::In),
    ("NULL", Operator::Null),
    ("BETWEEN", Operator::Between),
    ("LT", Operator::Lt),
    ("NOT_CONTAINS", Operator::NotContains),
    ("EQ", Operator::Eq),
    ("GT", Operator::Gt),
    ("NOT_NULL", Operator::NotNull),
    ("NE", Operator::Ne),
    ("LE", Operator::Le),
    ("BEGINS_WITH", Operator::BeginsWith),
    ("GE", Operator::Ge),
    ("CONTAINS", Operator::Contains),
];

impl Operator {
    fn name(self) -> &'static str {
        OPERATORS
            .iter()
            .find(|(_, operator)| *operator == self)
            .map_or("", |(name, _)| name)
    }

    /// How many values the operator takes: exactly, or at least (`IN`).
    fn arity_holds(self, count: usize) -> bool {
        match self {
            Operator::Null | Operator::NotNull => count == 0,
            Operator::In => count >= 1,
            Operator::Between => count == 2,
            _ => count == 1,
        }
    }

    /// The value types the operator compares (`None`: any).
    fn types(self) -> Option<&'static [&'static str]> {
        match self {
            Operator::Eq | Operator::Ne | Operator::Null | Operator::NotNull => None,
            Operator::BeginsWith => Some(&["S", "B"]),
            _ => Some(&["S", "N", "B"]),
        }
    }

    fn comparator(self) -> Option<Comparator> {
        Some(match self {
            Operator::Eq => Comparator::Eq,
            Operator::Ne => Comparator::Ne,
            Operator::Lt => Comparator::Lt,
            Operator::Le => Comparator::Le,
            Operator::Gt => Comparator::Gt,
            Operator::Ge => Comparator::Ge,
            _ => return None,
        })
    }
}

/// Checks a `ComparisonOperator` member.
fn operator(constraints: &mut Constraints, member: &str, name: Option<&str>) -> Option<Operator> {
    constraints.choice(member, name, &OPERATORS)
}

/// `ConditionalOperator`: `OR` joins the conditions with `OR`, anything else with `AND`.
pub(super) fn conditional_operator(constraints: &mut Constraints, value: Option<&str>) -> bool {
    constraints
        .choice(
            "conditionalOperator",
            value,
            &[("OR", true), ("AND", false)],
        )
        .unwrap_or(false)
}

/// One condition of `KeyConditions`, `QueryFilter` or `ScanFilter`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct LegacyCondition {
    comparison_operator: Option<String>,
    attribute_value_list: Option<Vec<Value>>,
}

/// `KeyConditions`, `QueryFilter` or `ScanFilter`: conditions by attribute name.
pub(super) type Conditions = BTreeMap<String, LegacyCondition>;

/// Checks the members of `conditions` (named `member`, e.g. `queryFilter`).
pub(super) fn constrain_conditions(
    constraints: &mut Constraints,
    member: &str,
    conditions: &Conditions,
) {
    for (name, condition) in conditions {
        let at = format!("{member}.{name}.member.comparisonOperator");
        match &condition.comparison_operator {
            None => constraints.required::<()>(&at, None),
            Some(value) => {
                operator(constraints, &at, Some(value));
            }
        }
    }
}

/// A condition's operator and values, checked by DynamoDB's rules.
fn operands(condition: &LegacyCondition) -> Result<(Operator, Vec<AttributeValue>), ErrorAnswer> {
    let operator = condition
        .comparison_operator
        .as_deref()
        .and_then(|name| OPERATORS.iter().find(|(n, _)| *n == name))
        .map(|(_, operator)| *operator)
        .unwrap_or(Operator::Eq);
    let values = read_values(condition.attribute_value_list.as_deref().unwrap_or(&[]))?;
    check_operands(operator, &values)?;
    Ok((operator, values))
}

fn read_values(list: &[Value]) -> Result<Vec<AttributeValue>, ErrorAnswer> {
    list.iter()
        .map(|value| values::attribute(value).map_err(ValueError::answer))
        .collect()
}

/// DynamoDB's rules on an operator's values: how many, of one type, a type it compares, and
/// a `BETWEEN` whose bounds are in order.
fn check_operands(operator: Operator, values: &[AttributeValue]) -> Result<(), ErrorAnswer> {
    let name = operator.name();
    if !operator.arity_holds(values.len()) {
        return Err(invalid(format_args!(
            "Invalid number of argument(s) for the {name} ComparisonOperator"
        )));
    }
    if let Some(first) = values.first()
        && values
            .iter()
            .any(|v| type_descriptor(v) != type_descriptor(first))
    {
        return Err(invalid(
            "AttributeValues inside AttributeValueList must be of same type",
        ));
    }
    if let Some(types) = operator.types()
        && let Some(value) = values.iter().find(|v| !types.contains(&type_descriptor(v)))
    {
        return Err(invalid(format_args!(
            "ComparisonOperator {name} is not valid for {} AttributeValue type",
            type_descriptor(value)
        )));
    }
    if let [low, high] = values
        && operator == Operator::Between
        && notes_core::validate::compare_scalars(low, high) == Some(std::cmp::Ordering::Greater)
    {
        return Err(ErrorAnswer::validation(
            "The BETWEEN condition was provided a range where the lower bound is greater than \
             the upper bound",
        ));
    }
    Ok(())
}

/// The condition `operator` makes of attribute `name` and `values` (already checked).
fn condition_of(name: &str, operator: Operator, mut values: Vec<AttributeValue>) -> Condition {
    let path = || Path::attribute(name.to_owned());
    let mut next = || Operand::Value(values.remove(0));
    if let Some(comparator) = operator.comparator() {
        return Condition::Compare(Operand::Path(path()), comparator, next());
    }
    match operator {
        Operator::NotNull => Condition::Exists(path()),
        Operator::Null => Condition::NotExists(path()),
        Operator::Contains => Condition::Contains(path(), next()),
        Operator::NotContains => Condition::Not(Box::new(Condition::Contains(path(), next()))),
        Operator::BeginsWith => Condition::BeginsWith(path(), next()),
        Operator::Between => {
            let low = next();
            Condition::Between(Operand::Path(path()), low, next())
        }
        _ => Condition::In(
            Operand::Path(path()),
            values.drain(..).map(Operand::Value).collect(),
        ),
    }
}

/// Joins conditions with `AND`, or `OR` when `or`; `None` for none.
fn joined(conditions: Vec<Condition>, or: bool) -> Option<Condition> {
    conditions
        .into_iter()
        .reduce(|a, b| if or { a | b } else { a & b })
}

/// `QueryFilter` or `ScanFilter` as a filter.
pub(super) fn filter(conditions: &Conditions, or: bool) -> Result<Option<Condition>, ErrorAnswer> {
    let mut all = Vec::with_capacity(conditions.len());
    for (name, condition) in conditions {
        let (operator, values) = operands(condition)?;
        all.push(condition_of(name, operator, values));
    }
    Ok(joined(all, or))
}

/// `KeyConditions`: each attribute's condition, as a key condition can hold it.
pub(super) fn key_conditions(
    conditions: &Conditions,
) -> Result<Vec<(String, SortKeyCondition)>, ErrorAnswer> {
    let mut parts = Vec::with_capacity(conditions.len());
    for (name, condition) in conditions {
        let (operator, mut values) = operands(condition)?;
        let not_indexable = || {
            ErrorAnswer::validation(
                "Attempted conditional constraint is not an indexable operation",
            )
        };
        let part = match operator {
            Operator::BeginsWith => SortKeyCondition::BeginsWith(values.remove(0)),
            Operator::Between => {
                let low = values.remove(0);
                SortKeyCondition::Between(low, values.remove(0))
            }
            Operator::Ne => return Err(not_indexable()),
            _ => match operator.comparator() {
                Some(comparator) => SortKeyCondition::Compare(comparator, values.remove(0)),
                None => return Err(not_indexable()),
            },
        };
        parts.push((name.clone(), part));
    }
    Ok(parts)
}

/// One attribute of `Expected`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ExpectedValue {
    value: Option<Value>,
    exists: Option<bool>,
    comparison_operator: Option<String>,
    attribute_value_list: Option<Vec<Value>>,
}

/// `Expected`: expectations by attribute name.
pub(super) type Expected = BTreeMap<String, ExpectedValue>;

/// Checks the members of `Expected`.
pub(super) fn constrain_expected(constraints: &mut Constraints, expected: &Expected) {
    for (name, value) in expected {
        let at = format!("expected.{name}.member.comparisonOperator");
        operator(constraints, &at, value.comparison_operator.as_deref());
    }
}

/// `Expected` as a condition, by DynamoDB's rules for it.
pub(super) fn expected(expected: &Expected, or: bool) -> Result<Option<Condition>, ErrorAnswer> {
    let mut all = Vec::with_capacity(expected.len());
    for (name, expectation) in expected {
        all.push(expectation_of(name, expectation)?);
    }
    Ok(joined(all, or))
}

fn expectation_of(name: &str, expected: &ExpectedValue) -> Result<Condition, ErrorAnswer> {
    if expected.attribute_value_list.is_some() && expected.value.is_some() {
        return Err(invalid(format_args!(
            "Value and AttributeValueList cannot be used together for Attribute: {name}"
        )));
    }
    if let Some(operator_name) = &expected.comparison_operator {
        if expected.exists.is_some() {
            return Err(invalid(format_args!(
                "Exists and ComparisonOperator cannot be used together for Attribute: {name}"
            )));
        }
        let operator = OPERATORS
            .iter()
            .find(|(n, _)| n == operator_name)
            .map_or(Operator::Eq, |(_, operator)| *operator);
        let values = match (&expected.value, &expected.attribute_value_list) {
            (Some(value), _) => read_values(std::slice::from_ref(value))?,
            (None, Some(list)) => read_values(list)?,
            (None, None) if matches!(operator, Operator::Null | Operator::NotNull) => Vec::new(),
            (None, None) => {
                return Err(invalid(format_args!(
                    "Value or AttributeValueList must be used with ComparisonOperator: \
                     {operator_name} for Attribute: {name}"
                )));
            }
        };
        check_operands(operator, &values)?;
        return Ok(condition_of(name, operator, values));
    }
    if expected.attribute_value_list.is_some() {
        return Err(invalid(format_args!(
            "AttributeValueList can only be used with a ComparisonOperator for Attribute: {name}"
        )));
    }
    match (expected.exists, &expected.value) {
        (Some(false), Some(_)) => Err(invalid(format_args!(
            "Value cannot be used when Exists is false for Attribute: {name}"
        ))),
        (Some(false), None) => Ok(Condition::NotExists(Path::attribute(name.to_owned()))),
        (exists, None) => Err(invalid(format_args!(
            "Value must be provided when Exists is {} for Attribute: {name}",
            exists.map_or("null".to_owned(), |e| e.to_string())
        ))),
        (_, Some(value)) => {
            let value = values::attribute(value).map_err(ValueError::answer)?;
            Ok(condition_of(name, Operator::Eq, vec![value]))
        }
    }
}

/// One attribute of `AttributeUpdates`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AttributeUpdate {
    action: Option<String>,
    value: Option<Value>,
}

/// `AttributeUpdates`: updates by attribute name.
pub(super) type AttributeUpdates = BTreeMap<String, AttributeUpdate>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Add,
    Put,
    Delete,
}

const ACTIONS: [(&str, Action); 3] = [
    ("ADD", Action::Add),
    ("PUT", Action::Put),
    ("DELETE", Action::Delete),
];

/// Checks the members of `AttributeUpdates`.
pub(super) fn constrain_updates(constraints: &mut Constraints, updates: &AttributeUpdates) {
    for (name, update) in updates {
        let at = format!("attributeUpdates.{name}.member.action");
        constraints.choice(&at, update.action.as_deref(), &ACTIONS);
    }
}

/// `AttributeUpdates` as an update, by DynamoDB's rules for it (`PUT` when no action).
///
/// `ADD` of a list appends to the stored list; the AST cannot yet say "append, or create
/// when absent", so adding to a list that is not there fails as `list_append` does.
pub(super) fn updates(updates: &AttributeUpdates) -> Result<Update, ErrorAnswer> {
    let mut update = Update::new();
    for (name, change) in updates {
        let action = change
            .action
            .as_deref()
            .and_then(|a| ACTIONS.iter().find(|(n, _)| *n == a))
            .map_or(Action::Put, |(_, action)| *action);
        let value = match &change.value {
            Some(value) => Some(values::attribute(value).map_err(ValueError::answer)?),
            None => None,
        };
        let path = Path::attribute(name.clone());
        let kind = value.as_ref().map(type_descriptor);
        let step = match (action, value) {
            (Action::Delete, None) => UpdateAction::Remove(path),
            (_, None) => {
                return Err(invalid(
                    "Only DELETE action is allowed when no attribute value is specified",
                ));
            }
            (Action::Put, Some(value)) => {
                UpdateAction::Set(path, SetValue::Value(Operand::Value(value)))
            }
            (Action::Delete, Some(value)) => {
                if !matches!(kind, Some("SS" | "NS" | "BS")) {
                    return Err(invalid(format_args!(
                        "DELETE action with value is not supported for the type {}",
                        kind.unwrap_or_default()
                    )));
                }
                UpdateAction::Delete(path, Operand::Value(value))
            }
            (Action::Add, Some(value)) => match kind {
                // Appends, or creates the list when the attribute is missing:
                // `SET path = list_append(if_not_exists(path, []), value)`.
                Some("L") => UpdateAction::Set(
                    path.clone(),
                    SetValue::ListAppend(
                        SetOperand::if_not_exists(
                            path,
                            Operand::Value(AttributeValue::L(Vec::new())),
                        ),
                        Operand::Value(value).into(),
                    ),
                ),
                Some("N" | "SS" | "NS" | "BS") => UpdateAction::Add(path, Operand::Value(value)),
                other => {
                    return Err(invalid(format_args!(
                        "ADD action is not supported for the type {}",
                        other.unwrap_or_default()
                    )));
                }
            },
        };
        update = update.and(step);
    }
    Ok(update)
}

/// Checks `AttributesToGet`'s members: 1 to 255 names.
pub(super) fn constrain_attributes_to_get(
    constraints: &mut Constraints,
    member: &str,
    names: Option<&Vec<String>>,
) {
    let Some(names) = names else { return };
    let shown = format!("'[{}]'", names.join(", "));
    if names.is_empty() {
        constraints.broken(
            &shown,
            member,
            "Member must have length greater than or equal to 1",
        );
    }
    if names.len() > 255 {
        constraints.broken(
            &shown,
            member,
            "Member must have length less than or equal to 255",
        );
    }
}

/// `AttributesToGet` as a projection of top-level attributes; no name twice.
pub(super) fn attributes_to_get(names: &[String]) -> Result<Vec<Path>, ErrorAnswer> {
    let mut seen = HashSet::with_capacity(names.len());
    if let Some(twice) = names.iter().find(|name| !seen.insert(name.as_str())) {
        return Err(invalid(format_args!(
            "Duplicate value in attribute name: {twice}"
        )));
    }
    Ok(names
        .iter()
        .map(|name| Path::attribute(name.clone()))
        .collect())
}

#[cfg(test)]
mod tests;
