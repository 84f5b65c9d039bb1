//! What every item operation checks before it reads a table: the API's constraints on its
//! members (collected, as DynamoDB reports them: `1 validation error detected: ...`), the
//! choices of its enumerations, which of expression and legacy parameters it uses, and its
//! `ExpressionAttributeNames` and `ExpressionAttributeValues`.

use std::collections::HashMap;

use notes_core::request::{ReturnValues, ReturnValuesOnConditionCheckFailure};
use notes_model::AttributeValue;
use serde_json::{Map, Value};

use super::values;
use crate::errors::ErrorAnswer;
pub(super) use crate::protocol::constraints::enveloped;

/// The members that broke the API's constraints, reported together.
#[derive(Debug, Default)]
pub(super) struct Constraints(Vec<String>);

impl Constraints {
    pub(super) fn new() -> Self {
        Constraints::default()
    }

    /// A constraint broken: `Value '<value>' at '<member>' failed to satisfy constraint:
    /// <rule>` (`value` already quoted, or `null`, or empty to leave it out).
    pub(super) fn broken(&mut self, value: &str, member: &str, rule: &str) {
        let value = if value.is_empty() {
            String::new()
        } else {
            format!(" {value}")
        };
        self.0.push(format!(
            "Value{value} at '{member}' failed to satisfy constraint: {rule}"
        ));
    }

    /// A required member.
    pub(super) fn required<T>(&mut self, member: &str, value: Option<&T>) {
        if value.is_none() {
            self.broken("null", member, "Member must not be null");
        }
    }

    /// A table name of an item operation: 1 to 255 characters of `[a-zA-Z0-9_.-]`.
    pub(super) fn table_name(&mut self, member: &str, name: Option<&str>) {
        let Some(name) = name else {
            return self.required::<()>(member, None);
        };
        let quoted = format!("'{name}'");
        if name.is_empty() {
            self.broken(
                &quoted,
                member,
                "Member must have length greater than or equal to 1",
            );
        } else if !is_name(name) {
            self.broken(
                &quoted,
                member,
                "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
            );
        }
        if name.chars().count() > 255 {
            self.broken(
                &quoted,
                member,
                "Member must have length less than or equal to 255",
            );
        }
    }

    /// An index name: 3 to 255 characters of `[a-zA-Z0-9_.-]`.
    pub(super) fn index_name(&mut self, member: &str, name: Option<&str>) {
        let Some(name) = name else { return };
        let quoted = format!("'{name}'");
        if !is_name(name) {
            self.broken(
                &quoted,
                member,
                "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
            );
        }
        let length = name.chars().count();
        if length < 3 {
            self.broken(
                &quoted,
                member,
                "Member must have length greater than or equal to 3",
            );
        }
        if length > 255 {
            self.broken(
                &quoted,
                member,
                "Member must have length less than or equal to 255",
            );
        }
    }

    /// One of an enumeration's values: the chosen one, or `None` when absent or not one of
    /// them (then the constraint is broken).
    pub(super) fn choice<T: Copy>(
        &mut self,
        member: &str,
        value: Option<&str>,
        choices: &[(&str, T)],
    ) -> Option<T> {
        let value = value?;
        let chosen = choices.iter().find(|(name, _)| *name == value);
        if chosen.is_none() {
            let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
            self.broken(
                &format!("'{value}'"),
                member,
                &format!("Member must satisfy enum value set: [{}]", names.join(", ")),
            );
        }
        chosen.map(|(_, choice)| *choice)
    }

    /// `N validation error(s) detected: ...`, or nothing when every constraint held.
    pub(super) fn finish(self) -> Result<(), ErrorAnswer> {
        match self.0.len() {
            0 => Ok(()),
            1 => Err(ErrorAnswer::validation(enveloped(&self.0[0]))),
            n => Err(ErrorAnswer::validation(format!(
                "{n} validation errors detected: {}",
                self.0.join("; ")
            ))),
        }
    }
}

fn is_name(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// An answer of `PutItem` or `UpdateItem` for a family DynamoDB frames there (values, sets,
/// expressions, parameter misuse, `ReturnValues`); other answers as they are.
pub(super) fn framed(mut answer: ErrorAnswer) -> ErrorAnswer {
    if answer.name == "ValidationException" {
        answer.message = enveloped(&answer.message);
    }
    answer
}

/// `ReturnConsumedCapacity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum ReturnCapacity {
    /// Nothing (the default).
    #[default]
    None,
    /// The total, per table.
    Total,
    /// The total and each table's and index's share.
    Indexes,
}

/// Reads `ReturnConsumedCapacity`.
pub(super) fn return_capacity(
    constraints: &mut Constraints,
    value: Option<&str>,
) -> ReturnCapacity {
    let choices = [
        ("INDEXES", ReturnCapacity::Indexes),
        ("TOTAL", ReturnCapacity::Total),
        ("NONE", ReturnCapacity::None),
    ];
    constraints
        .choice("returnConsumedCapacity", value, &choices)
        .unwrap_or_default()
}

/// Reads `ReturnItemCollectionMetrics`: whether `SIZE` was asked for.
pub(super) fn return_metrics(constraints: &mut Constraints, value: Option<&str>) -> bool {
    let choices = [("SIZE", true), ("NONE", false)];
    constraints
        .choice("returnItemCollectionMetrics", value, &choices)
        .unwrap_or(false)
}

/// Reads `ReturnValues` (any of the five; which an operation takes is its own check).
pub(super) fn return_values(constraints: &mut Constraints, value: Option<&str>) -> ReturnValues {
    let choices = [
        ("ALL_NEW", ReturnValues::AllNew),
        ("UPDATED_OLD", ReturnValues::UpdatedOld),
        ("ALL_OLD", ReturnValues::AllOld),
        ("NONE", ReturnValues::None),
        ("UPDATED_NEW", ReturnValues::UpdatedNew),
    ];
    constraints
        .choice("returnValues", value, &choices)
        .unwrap_or_default()
}

/// Reads `ReturnValuesOnConditionCheckFailure`.
pub(super) fn return_values_on_failure(
    constraints: &mut Constraints,
    member: &str,
    value: Option<&str>,
) -> ReturnValuesOnConditionCheckFailure {
    let choices = [
        ("ALL_OLD", ReturnValuesOnConditionCheckFailure::AllOld),
        ("NONE", ReturnValuesOnConditionCheckFailure::None),
    ];
    constraints
        .choice(member, value, &choices)
        .unwrap_or_default()
}

/// `PutItem` and `DeleteItem` return the old item or nothing.
pub(super) fn only_all_old_or_none(return_values: ReturnValues) -> Result<(), ErrorAnswer> {
    match return_values {
        ReturnValues::None | ReturnValues::AllOld => Ok(()),
        _ => Err(ErrorAnswer::validation(
            "ReturnValues can only be ALL_OLD or NONE",
        )),
    }
}

/// Which expression and legacy parameters a request (or one of its parts) holds.
#[derive(Debug)]
pub(super) struct Parameters<'a> {
    /// The expression parameters the operation takes, in DynamoDB's order, and whether each
    /// is present.
    pub(super) expressions: &'a [(&'static str, bool)],
    /// The legacy parameters it takes, and whether each is present.
    pub(super) legacy: &'a [(&'static str, bool)],
    /// `ExpressionAttributeNames` is present.
    pub(super) names: bool,
    /// `ExpressionAttributeValues` is present.
    pub(super) values: bool,
}

impl Parameters<'_> {
    /// DynamoDB's rules: expression and legacy parameters never mix, and placeholders come
    /// only with an expression that could use them. With `frame` (`PutItem`, `UpdateItem`),
    /// refusals are [`framed`] where DynamoDB frames them.
    pub(super) fn check(&self, frame: bool) -> Result<(), ErrorAnswer> {
        let framed = |answer: ErrorAnswer| if frame { framed(answer) } else { answer };
        let present = |list: &[(&'static str, bool)]| -> Vec<&'static str> {
            list.iter()
                .filter(|(_, present)| *present)
                .map(|(name, _)| *name)
                .collect()
        };
        let expressions = present(self.expressions);
        let legacy = present(self.legacy);
        if !expressions.is_empty() && !legacy.is_empty() {
            return Err(framed(ErrorAnswer::validation(format!(
                "Can not use both expression and non-expression parameters in the same request: \
                 Non-expression parameters: {{{}}} Expression parameters: {{{}}}",
                legacy.join(", "),
                expressions.join(", ")
            ))));
        }
        if self.names && expressions.is_empty() {
            return Err(ErrorAnswer::validation(
                "ExpressionAttributeNames can only be specified when using expressions",
            ));
        }
        // A projection uses no values.
        let valued: Vec<&(&str, bool)> = self
            .expressions
            .iter()
            .filter(|(name, _)| *name != "ProjectionExpression")
            .collect();
        if self.values && !valued.is_empty() && valued.iter().all(|(_, present)| !present) {
            let names: Vec<&str> = valued.iter().map(|(name, _)| *name).collect();
            let verb = if names.len() > 1 { "are" } else { "is" };
            return Err(framed(ErrorAnswer::validation(format!(
                "ExpressionAttributeValues can only be specified when using expressions: {} \
                 {verb} null",
                names.join(" and ")
            ))));
        }
        Ok(())
    }
}

/// A request's `ExpressionAttributeNames` and `ExpressionAttributeValues`, checked as DynamoDB
/// checks them before reading any expression (empty maps when absent).
#[derive(Debug, Default)]
pub(super) struct PlaceholderMaps {
    pub(super) names: HashMap<String, String>,
    pub(super) values: HashMap<String, AttributeValue>,
}

impl PlaceholderMaps {
    /// Checks and reads the two maps; with `frame` (`PutItem`, `UpdateItem`), a refused value
    /// is [`framed`].
    pub(super) fn read(
        names: Option<HashMap<String, String>>,
        values: Option<&Map<String, Value>>,
        frame: bool,
    ) -> Result<Self, ErrorAnswer> {
        let key_error = |map: &str, key: &str| {
            ErrorAnswer::validation(format!(
                "{map} contains invalid key: Syntax error; key: \"{key}\""
            ))
        };
        if let Some(names) = &names {
            if names.is_empty() {
                return Err(ErrorAnswer::validation(
                    "ExpressionAttributeNames must not be empty",
                ));
            }
            if let Some(key) = names.keys().find(|key| !is_placeholder(key, '#')) {
                return Err(key_error("ExpressionAttributeNames", key));
            }
        }
        let values = match values {
            None => HashMap::new(),
            Some(values) => {
                if values.is_empty() {
                    return Err(ErrorAnswer::validation(
                        "ExpressionAttributeValues must not be empty",
                    ));
                }
                if let Some(key) = values.keys().find(|key| !is_placeholder(key, ':')) {
                    return Err(key_error("ExpressionAttributeValues", key));
                }
                values::named(values).map_err(|(key, err)| {
                    err.answer_in(frame, |message| {
                        format!(
                            "ExpressionAttributeValues contains invalid value: {message} for key \
                             {key}"
                        )
                    })
                })?
            }
        };
        Ok(PlaceholderMaps {
            names: names.unwrap_or_default(),
            values,
        })
    }
}

/// `#name` or `:name`: the sigil, then one or more of `[0-9a-zA-Z_]`.
fn is_placeholder(key: &str, sigil: char) -> bool {
    key.strip_prefix(sigil).is_some_and(|rest| {
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn message(result: Result<(), ErrorAnswer>) -> String {
        let answer = result.unwrap_err();
        assert_eq!((answer.status, answer.name), (400, "ValidationException"));
        answer.message
    }

    #[test]
    fn table_names_follow_the_item_operations_rules() {
        let check = |name: Option<&str>| {
            let mut constraints = Constraints::new();
            constraints.table_name("tableName", name);
            message(constraints.finish())
        };
        assert_eq!(
            check(None),
            "1 validation error detected: Value null at 'tableName' failed to satisfy \
             constraint: Member must not be null"
        );
        assert_eq!(
            check(Some("")),
            "1 validation error detected: Value '' at 'tableName' failed to satisfy \
             constraint: Member must have length greater than or equal to 1"
        );
        assert_eq!(
            check(Some("bad table!@#")),
            "1 validation error detected: Value 'bad table!@#' at 'tableName' failed to \
             satisfy constraint: Member must satisfy regular expression pattern: \
             [a-zA-Z0-9_.-]+"
        );
        let long = "a".repeat(256);
        assert_eq!(
            check(Some(&long)),
            format!(
                "1 validation error detected: Value '{long}' at 'tableName' failed to satisfy \
                 constraint: Member must have length less than or equal to 255"
            )
        );
    }

    #[test]
    fn broken_enumerations_are_reported_together() {
        let mut constraints = Constraints::new();
        return_capacity(&mut constraints, Some("INVALID"));
        return_metrics(&mut constraints, Some("INVALID"));
        return_values(&mut constraints, Some("INVALID"));
        assert_eq!(
            message(constraints.finish()),
            "3 validation errors detected: Value 'INVALID' at 'returnConsumedCapacity' failed \
             to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; \
             Value 'INVALID' at 'returnItemCollectionMetrics' failed to satisfy constraint: \
             Member must satisfy enum value set: [SIZE, NONE]; Value 'INVALID' at \
             'returnValues' failed to satisfy constraint: Member must satisfy enum value set: \
             [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"
        );
    }

    #[test]
    fn expression_and_legacy_parameters_never_mix() {
        let parameters = Parameters {
            expressions: &[("UpdateExpression", true), ("ConditionExpression", false)],
            legacy: &[("AttributeUpdates", true), ("Expected", false)],
            names: false,
            values: false,
        };
        assert_eq!(
            message(parameters.check(false)),
            "Can not use both expression and non-expression parameters in the same request: \
             Non-expression parameters: {AttributeUpdates} Expression parameters: \
             {UpdateExpression}"
        );
    }

    #[test]
    fn placeholders_need_an_expression_that_can_use_them() {
        let names_alone = Parameters {
            expressions: &[("ConditionExpression", false)],
            legacy: &[],
            names: true,
            values: false,
        };
        assert_eq!(
            message(names_alone.check(false)),
            "ExpressionAttributeNames can only be specified when using expressions"
        );
        let values_alone = Parameters {
            expressions: &[
                ("ProjectionExpression", true),
                ("FilterExpression", false),
                ("KeyConditionExpression", false),
            ],
            legacy: &[],
            names: false,
            values: true,
        };
        assert_eq!(
            message(values_alone.check(false)),
            "ExpressionAttributeValues can only be specified when using expressions: \
             FilterExpression and KeyConditionExpression are null"
        );
    }

    #[test]
    fn placeholder_maps_are_checked_before_any_expression() {
        let read = |names: Option<Value>, values: Option<Value>| {
            let names = names.map(|n| serde_json::from_value(n).unwrap());
            let values = values.map(|v| v.as_object().unwrap().clone());
            message(PlaceholderMaps::read(names, values.as_ref(), false).map(|_| ()))
        };
        assert_eq!(
            read(Some(json!({})), None),
            "ExpressionAttributeNames must not be empty"
        );
        assert_eq!(
            read(Some(json!({"name": "a"})), None),
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"name\""
        );
        assert_eq!(
            read(None, Some(json!({}))),
            "ExpressionAttributeValues must not be empty"
        );
        assert_eq!(
            read(None, Some(json!({":a-b": {"S": "x"}}))),
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \":a-b\""
        );
        assert_eq!(
            read(None, Some(json!({":v": {"NULL": false}}))),
            "ExpressionAttributeValues contains invalid value: One or more parameter values \
             were invalid: Null attribute value types must have the value of true for key :v"
        );
    }
}
