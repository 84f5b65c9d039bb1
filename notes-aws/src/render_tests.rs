use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue as SdkValue;
use notes_model::AttributeValue;
use notes_model::expr::{
    Comparator, Condition, KeyCondition, Operand, Path, SetValue, SortKeyCondition, Update,
    UpdateAction,
};

use super::Placeholders;
use crate::Error;

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_owned())
}

fn n(value: &str) -> AttributeValue {
    AttributeValue::N(value.to_owned())
}

fn eq(name: &'static str, value: AttributeValue) -> Condition {
    Condition::Compare(
        Operand::Path(Path::attribute(name)),
        Comparator::Eq,
        Operand::Value(value),
    )
}

fn names(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn values(pairs: &[(&str, SdkValue)]) -> HashMap<String, SdkValue> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn sdk_s(value: &str) -> SdkValue {
    SdkValue::S(value.to_owned())
}

#[test]
fn reserved_words_become_name_placeholders() {
    let mut p = Placeholders::new();
    let cond =
        eq("name", s("x")) & eq("status", s("y")) & Condition::Exists(Path::attribute("data"));
    let rendered = p.condition(&cond).unwrap();
    assert_eq!(
        rendered,
        "(#n0 = :v0 AND #n1 = :v1) AND attribute_exists(#n2)"
    );
    let (names_map, values_map) = p.finish();
    assert_eq!(
        names_map.unwrap(),
        names(&[("#n0", "name"), ("#n1", "status"), ("#n2", "data")])
    );
    assert_eq!(
        values_map.unwrap(),
        values(&[(":v0", sdk_s("x")), (":v1", sdk_s("y"))])
    );
}

#[test]
fn hostile_values_never_reach_the_expression() {
    let nasty = "#n0) OR :v0 = \"it's\" #status: (";
    let mut p = Placeholders::new();
    let rendered = p.condition(&eq("content", s(nasty))).unwrap();
    assert_eq!(rendered, "#n0 = :v0");
    let (names_map, values_map) = p.finish();
    assert_eq!(names_map.unwrap(), names(&[("#n0", "content")]));
    assert_eq!(values_map.unwrap(), values(&[(":v0", sdk_s(nasty))]));
}

#[test]
fn hostile_attribute_names_are_placeholders_too() {
    let mut p = Placeholders::new();
    let path = Path::attribute("a.b#c:d").key("e f)").index(2);
    assert_eq!(p.path(&path).unwrap(), "#n0.#n1[2]");
    let (names_map, _) = p.finish();
    assert_eq!(
        names_map.unwrap(),
        names(&[("#n0", "a.b#c:d"), ("#n1", "e f)")])
    );
}

#[test]
fn names_are_shared_across_key_condition_filter_and_projection() {
    let mut p = Placeholders::new();
    let kc = KeyCondition::partition("userId", s("u1"))
        .with_sort_key("noteId", SortKeyCondition::BeginsWith(s("2026")));
    assert_eq!(
        p.key_condition(&kc).unwrap(),
        "#n0 = :v0 AND begins_with(#n1, :v1)"
    );
    let filter = eq("status", s("open")) | eq("userId", s("u1"));
    assert_eq!(p.condition(&filter).unwrap(), "#n2 = :v2 OR #n0 = :v3");
    let projection = [
        Path::attribute("noteId"),
        Path::attribute("status"),
        Path::attribute("content"),
    ];
    assert_eq!(p.projection(&projection).unwrap(), "#n1, #n2, #n3");
    let (names_map, values_map) = p.finish();
    assert_eq!(
        names_map.unwrap(),
        names(&[
            ("#n0", "userId"),
            ("#n1", "noteId"),
            ("#n2", "status"),
            ("#n3", "content")
        ])
    );
    assert_eq!(values_map.unwrap().len(), 4);
}

#[test]
fn sort_key_conditions_render_each_form() {
    let pk = || KeyCondition::partition("pk", s("p"));
    let mut p = Placeholders::new();
    let kc = pk().with_sort_key("sk", SortKeyCondition::Compare(Comparator::Ge, n("5")));
    assert_eq!(p.key_condition(&kc).unwrap(), "#n0 = :v0 AND #n1 >= :v1");
    let mut p = Placeholders::new();
    let kc = pk().with_sort_key("sk", SortKeyCondition::Between(n("1"), n("9")));
    assert_eq!(
        p.key_condition(&kc).unwrap(),
        "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2"
    );
    let mut p = Placeholders::new();
    assert_eq!(p.key_condition(&pk()).unwrap(), "#n0 = :v0");
}

#[test]
fn not_equal_on_a_sort_key_is_rejected_before_sending() {
    let mut p = Placeholders::new();
    let kc = KeyCondition::partition("pk", s("p"))
        .with_sort_key("sk", SortKeyCondition::Compare(Comparator::Ne, n("5")));
    assert!(matches!(
        p.key_condition(&kc),
        Err(Error::Validation { .. })
    ));
}

#[test]
fn every_condition_form_renders() {
    let mut p = Placeholders::new();
    let path = || Operand::Path(Path::attribute("a"));
    let cases = [
        (
            Condition::Between(path(), Operand::Value(n("1")), Operand::Value(n("2"))),
            "#n0 BETWEEN :v0 AND :v1",
        ),
        (
            Condition::In(path(), vec![Operand::Value(n("3")), Operand::Value(n("4"))]),
            "#n0 IN (:v2, :v3)",
        ),
        (
            Condition::BeginsWith(Path::attribute("a"), Operand::Value(s("x"))),
            "begins_with(#n0, :v4)",
        ),
        (
            Condition::Contains(Path::attribute("tags"), Operand::Value(s("t"))),
            "contains(#n1, :v5)",
        ),
        (
            Condition::NotExists(Path::attribute("a")),
            "attribute_not_exists(#n0)",
        ),
        (
            Condition::Type(Path::attribute("a"), "SS"),
            "attribute_type(#n0, :v6)",
        ),
        (
            Condition::Compare(
                Operand::Size(Path::attribute("tags")),
                Comparator::Lt,
                Operand::Path(Path::attribute("max")),
            ),
            "size(#n1) < #n2",
        ),
        (
            !(eq("a", n("1")) | eq("b", n("2"))),
            "NOT (#n0 = :v7 OR #n3 = :v8)",
        ),
        (!eq("a", n("1")), "NOT #n0 = :v9"),
    ];
    for (condition, expected) in cases {
        assert_eq!(p.condition(&condition).unwrap(), expected);
    }
    let (_, values_map) = p.finish();
    assert_eq!(values_map.unwrap()[":v6"], sdk_s("SS"));
}

#[test]
fn or_inside_and_keeps_its_grouping() {
    let mut p = Placeholders::new();
    let cond = (eq("a", n("1")) | eq("b", n("2"))) & eq("c", n("3"));
    assert_eq!(
        p.condition(&cond).unwrap(),
        "(#n0 = :v0 OR #n1 = :v1) AND #n2 = :v2"
    );
}

#[test]
fn invalid_operands_are_validation_errors() {
    let mut p = Placeholders::new();
    let cond = Condition::Compare(
        Operand::Path(Path::attribute("a")),
        Comparator::Eq,
        Operand::Invalid {
            path: Path::attribute("a"),
            message: "map key must be a string".to_owned(),
        },
    );
    let err = p.condition(&cond).unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err}");
    assert!(
        err.to_string().contains("map key must be a string"),
        "{err}"
    );
}

#[test]
fn empty_in_list_and_bad_paths_are_validation_errors() {
    let mut p = Placeholders::new();
    let empty_in = Condition::In(Operand::Path(Path::attribute("a")), Vec::new());
    assert!(matches!(
        p.condition(&empty_in),
        Err(Error::Validation { .. })
    ));
    let index_first = Path {
        elements: vec![notes_model::expr::PathElement::Index(0)],
    };
    assert!(matches!(
        p.path(&index_first),
        Err(Error::Validation { .. })
    ));
    assert!(matches!(
        p.path(&Path {
            elements: Vec::new()
        }),
        Err(Error::Validation { .. })
    ));
    assert!(matches!(p.projection(&[]), Err(Error::Validation { .. })));
}

#[test]
fn update_groups_actions_into_clauses() {
    let mut p = Placeholders::new();
    let update = Update::new()
        .and(UpdateAction::Set(
            Path::attribute("content"),
            SetValue::Value(Operand::Value(s("hi"))),
        ))
        .and(UpdateAction::Remove(Path::attribute("attachment")))
        .and(UpdateAction::Add(
            Path::attribute("count"),
            Operand::Value(n("1")),
        ))
        .and(UpdateAction::Set(
            Path::attribute("created"),
            SetValue::IfNotExists(Path::attribute("created"), Operand::Value(n("7"))),
        ))
        .and(UpdateAction::Delete(
            Path::attribute("tags"),
            Operand::Value(AttributeValue::Ss(vec!["x".to_owned()])),
        ))
        .and(UpdateAction::Set(
            Path::attribute("list"),
            SetValue::ListAppend(
                Operand::Path(Path::attribute("list")),
                Operand::Value(AttributeValue::L(vec![n("1")])),
            ),
        ))
        .and(UpdateAction::Set(
            Path::attribute("count"),
            SetValue::Minus(
                Operand::Path(Path::attribute("count")),
                Operand::Value(n("2")),
            ),
        ))
        .and(UpdateAction::Set(
            Path::attribute("count"),
            SetValue::Plus(
                Operand::Path(Path::attribute("count")),
                Operand::Value(n("3")),
            ),
        ));
    assert_eq!(
        p.update(&update).unwrap().unwrap(),
        "SET #n0 = :v0, #n3 = if_not_exists(#n3, :v2), #n5 = list_append(#n5, :v4), \
         #n2 = #n2 - :v5, #n2 = #n2 + :v6 REMOVE #n1 ADD #n2 :v1 DELETE #n4 :v3"
    );
}

#[test]
fn an_update_without_actions_renders_nothing() {
    let mut p = Placeholders::new();
    assert_eq!(p.update(&Update::new()).unwrap(), None);
    assert_eq!(p.finish(), (None, None));
}

#[test]
fn update_and_condition_share_placeholders() {
    let mut p = Placeholders::new();
    let update = Update::from(UpdateAction::Set(
        Path::attribute("status"),
        SetValue::Value(Operand::Value(s("done"))),
    ));
    assert_eq!(p.update(&update).unwrap().unwrap(), "SET #n0 = :v0");
    assert_eq!(p.condition(&eq("status", s("open"))).unwrap(), "#n0 = :v1");
    let (names_map, values_map) = p.finish();
    assert_eq!(names_map.unwrap(), names(&[("#n0", "status")]));
    assert_eq!(
        values_map.unwrap(),
        values(&[(":v0", sdk_s("done")), (":v1", sdk_s("open"))])
    );
}
