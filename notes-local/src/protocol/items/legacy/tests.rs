use serde_json::json;

use super::*;

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_owned())
}

fn conditions(json: Value) -> Conditions {
    serde_json::from_value(json).unwrap()
}

fn message<T: std::fmt::Debug>(result: Result<T, ErrorAnswer>) -> String {
    let answer = result.unwrap_err();
    assert_eq!(answer.name, "ValidationException");
    answer.message
}

fn attribute(name: &'static str) -> Operand {
    Operand::Path(Path::attribute(name))
}

#[test]
fn filters_become_conditions_joined_by_the_conditional_operator() {
    let filter_of = |json, or| filter(&conditions(json), or).unwrap().unwrap();
    let both = json!({
        "a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "x"}]},
        "b.c": {"ComparisonOperator": "NOT_NULL"},
    });
    let a = Condition::Compare(attribute("a"), Comparator::Eq, Operand::Value(s("x")));
    // A legacy name is literal: `b.c` is one top-level attribute, not a path.
    let b = Condition::Exists(Path::attribute("b.c"));
    assert_eq!(filter_of(both.clone(), false), a.clone() & b.clone());
    assert_eq!(filter_of(both, true), a | b);
    assert_eq!(
        filter_of(
            json!({"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "5"}]}}),
            false
        ),
        Condition::Between(
            attribute("n"),
            Operand::Value(AttributeValue::N("1".into())),
            Operand::Value(AttributeValue::N("5".into()))
        )
    );
    assert_eq!(
        filter_of(
            json!({"t": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "x"}]}}),
            false
        ),
        !Condition::Contains(Path::attribute("t"), Operand::Value(s("x")))
    );
    assert_eq!(
        filter_of(
            json!({"t": {"ComparisonOperator": "IN", "AttributeValueList": [{"S": "x"}, {"S": "y"}]}}),
            false
        ),
        Condition::In(
            attribute("t"),
            vec![Operand::Value(s("x")), Operand::Value(s("y"))]
        )
    );
}

#[test]
fn filter_operands_follow_dynamodbs_rules() {
    let error = |json| message(filter(&conditions(json), false));
    assert_eq!(
        error(json!({"a": {"ComparisonOperator": "EQ"}})),
        "One or more parameter values were invalid: Invalid number of argument(s) for the \
         EQ ComparisonOperator"
    );
    assert_eq!(
        error(
            json!({"a": {"ComparisonOperator": "IN", "AttributeValueList": [{"S": "x"}, {"N": "1"}]}})
        ),
        "One or more parameter values were invalid: AttributeValues inside \
         AttributeValueList must be of same type"
    );
    assert_eq!(
        error(
            json!({"a": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"N": "1"}]}})
        ),
        "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not \
         valid for N AttributeValue type"
    );
    assert_eq!(
        error(
            json!({"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "5"}, {"N": "1"}]}})
        ),
        "The BETWEEN condition was provided a range where the lower bound is greater than \
         the upper bound"
    );
}

#[test]
fn comparison_operators_are_constrained_with_the_request() {
    let mut constraints = Constraints::new();
    constrain_conditions(
        &mut constraints,
        "scanFilter",
        &conditions(json!({"a": {"ComparisonOperator": "LIKE"}, "b": {}})),
    );
    assert_eq!(
        message(constraints.finish()),
        "2 validation errors detected: Value 'LIKE' at \
         'scanFilter.a.member.comparisonOperator' failed to satisfy constraint: Member must \
         satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, \
         LE, BEGINS_WITH, GE, CONTAINS]; Value null at \
         'scanFilter.b.member.comparisonOperator' failed to satisfy constraint: Member must \
         not be null"
    );
}

#[test]
fn expected_values_become_conditions() {
    let read = |json| -> Expected { serde_json::from_value(json).unwrap() };
    assert_eq!(
        expected(&read(json!({"pk": {"Exists": false}})), false).unwrap(),
        Some(Condition::NotExists(Path::attribute("pk")))
    );
    assert_eq!(
        expected(&read(json!({"v": {"Value": {"S": "x"}}})), false).unwrap(),
        Some(Condition::Compare(
            attribute("v"),
            Comparator::Eq,
            Operand::Value(s("x"))
        ))
    );
    assert_eq!(
        expected(
            &read(json!({"v": {"ComparisonOperator": "GT", "Value": {"S": "x"}}})),
            false
        )
        .unwrap(),
        Some(Condition::Compare(
            attribute("v"),
            Comparator::Gt,
            Operand::Value(s("x"))
        ))
    );
    let error = |json| message(expected(&read(json), false));
    assert_eq!(
        error(json!({"a": {"Exists": true}})),
        "One or more parameter values were invalid: Value must be provided when Exists is \
         true for Attribute: a"
    );
    assert_eq!(
        error(json!({"a": {}})),
        "One or more parameter values were invalid: Value must be provided when Exists is \
         null for Attribute: a"
    );
    assert_eq!(
        error(json!({"a": {"Exists": false, "Value": {"S": "x"}}})),
        "One or more parameter values were invalid: Value cannot be used when Exists is \
         false for Attribute: a"
    );
    assert_eq!(
        error(json!({"a": {"Exists": true, "ComparisonOperator": "EQ", "Value": {"S": "x"}}})),
        "One or more parameter values were invalid: Exists and ComparisonOperator cannot be \
         used together for Attribute: a"
    );
    assert_eq!(
        error(json!({"a": {"ComparisonOperator": "EQ"}})),
        "One or more parameter values were invalid: Value or AttributeValueList must be used \
         with ComparisonOperator: EQ for Attribute: a"
    );
    assert_eq!(
        error(json!({"a": {"AttributeValueList": [{"S": "x"}]}})),
        "One or more parameter values were invalid: AttributeValueList can only be used with \
         a ComparisonOperator for Attribute: a"
    );
}

#[test]
fn attribute_updates_become_update_actions() {
    let read = |json| -> AttributeUpdates { serde_json::from_value(json).unwrap() };
    let update = updates(&read(json!({
        "a": {"Value": {"S": "x"}},
        "b": {"Action": "DELETE"},
        "c": {"Action": "ADD", "Value": {"N": "1"}},
        "d": {"Action": "DELETE", "Value": {"SS": ["x"]}},
    })))
    .unwrap();
    assert_eq!(
        update.actions,
        vec![
            UpdateAction::Set(
                Path::attribute("a"),
                SetValue::Value(Operand::Value(s("x")))
            ),
            UpdateAction::Remove(Path::attribute("b")),
            UpdateAction::Add(
                Path::attribute("c"),
                Operand::Value(AttributeValue::N("1".into()))
            ),
            UpdateAction::Delete(
                Path::attribute("d"),
                Operand::Value(AttributeValue::Ss(vec!["x".into()]))
            ),
        ]
    );
    let error = |json| message(updates(&read(json)));
    assert_eq!(
        error(json!({"a": {"Action": "PUT"}})),
        "One or more parameter values were invalid: Only DELETE action is allowed when no \
         attribute value is specified"
    );
    assert_eq!(
        error(json!({"a": {"Action": "DELETE", "Value": {"S": "x"}}})),
        "One or more parameter values were invalid: DELETE action with value is not \
         supported for the type S"
    );
    assert_eq!(
        error(json!({"a": {"Action": "ADD", "Value": {"S": "x"}}})),
        "One or more parameter values were invalid: ADD action is not supported for the \
         type S"
    );
}

#[test]
fn attributes_to_get_name_each_attribute_once() {
    assert_eq!(
        attributes_to_get(&["a".into(), "b.c".into()]).unwrap(),
        vec![Path::attribute("a"), Path::attribute("b.c")]
    );
    assert_eq!(
        message(attributes_to_get(&["a".into(), "a".into()])),
        "One or more parameter values were invalid: Duplicate value in attribute name: a"
    );
}

#[test]
fn key_conditions_take_only_indexable_operators() {
    let parts = key_conditions(&conditions(json!({
        "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "u"}]},
        "sk": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "2026"}]},
    })))
    .unwrap();
    assert_eq!(
        parts,
        vec![
            (
                "pk".to_owned(),
                SortKeyCondition::Compare(Comparator::Eq, s("u"))
            ),
            ("sk".to_owned(), SortKeyCondition::BeginsWith(s("2026"))),
        ]
    );
    assert_eq!(
        message(key_conditions(&conditions(
            json!({"pk": {"ComparisonOperator": "NE", "AttributeValueList": [{"S": "u"}]}})
        ))),
        "Attempted conditional constraint is not an indexable operation"
    );
}
