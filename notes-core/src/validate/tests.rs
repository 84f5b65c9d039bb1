//! The validation rules, with DynamoDB's messages.

use notes_model::expr::Operand::Value;
use notes_model::expr::{
    Comparator, Condition, KeyCondition, Operand, Path, SetValue, SortKeyCondition, Update,
    UpdateAction,
};
use notes_model::{AttributeValue, ItemMap, KeyAttribute, KeySchema, ScalarType};

use super::*;
use crate::error::{Error, Result};

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}
fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.to_owned())
}
fn schema() -> KeySchema {
    KeySchema {
        partition_key: KeyAttribute::new("userId", ScalarType::S),
        sort_key: Some(KeyAttribute::new("noteId", ScalarType::S)),
    }
}
fn note(extra: &[(&str, AttributeValue)]) -> ItemMap {
    let mut item = ItemMap::from([("userId".to_owned(), s("u")), ("noteId".to_owned(), s("n"))]);
    item.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
    item
}
fn message(result: Result<()>) -> String {
    match result {
        Err(Error::Validation {
            message,
            source: None,
        }) => message,
        other => panic!("expected a validation error, got {other:?}"),
    }
}
fn nested(levels: usize) -> AttributeValue {
    (1..levels).fold(s("leaf"), |inner, _| {
        AttributeValue::M(ItemMap::from([("m".to_owned(), inner)]))
    })
}

#[test]
fn an_item_of_exactly_400_kb_fits_and_one_byte_more_does_not() {
    // userId(6) + "u"(1) + noteId(6) + "n"(1) + data(4) = 18 bytes besides the payload.
    let fits = note(&[("data", s(&"x".repeat(MAX_ITEM_SIZE - 18)))]);
    assert_eq!(item_size(&fits), MAX_ITEM_SIZE);
    assert!(item(&fits, &schema()).is_ok());
    let over = note(&[("data", s(&"x".repeat(MAX_ITEM_SIZE - 17)))]);
    let m = match item(&over, &schema()) {
        Err(Error::ItemTooLarge {
            message,
            source: None,
        }) => message,
        other => panic!("expected ItemTooLarge, got {other:?}"),
    };
    assert!(
        m.starts_with("Item size has exceeded the maximum allowed size"),
        "{m}"
    );
    assert!(m.contains("409601 bytes"), "{m}");
}

#[test]
fn partition_keys_hold_2048_bytes_and_sort_keys_1024() {
    let with = |pk: String, sk: String| {
        ItemMap::from([("userId".to_owned(), s(&pk)), ("noteId".to_owned(), s(&sk))])
    };
    assert!(item(&with("p".repeat(2048), "s".repeat(1024)), &schema()).is_ok());
    let m = message(item(&with("p".repeat(2049), "s".into()), &schema()));
    assert!(m.starts_with("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"), "{m}");
    assert!(m.contains("userId is 2049 bytes"), "{m}");
    let m = message(key(&with("p".into(), "s".repeat(1025)), &schema()));
    assert!(
        m.contains("Aggregated size of all range keys has exceeded the size limit of 1024 bytes"),
        "{m}"
    );
    assert!(m.contains("noteId"), "{m}");
    // Multi-byte characters count in bytes.
    let m = message(key(&with("é".repeat(1025), "s".into()), &schema()));
    assert!(
        m.contains("Size of hashkey has exceeded") && m.contains("userId is 2050 bytes"),
        "{m}"
    );
}

#[test]
fn key_attributes_must_be_present_typed_and_not_empty() {
    let m = message(item(
        &ItemMap::from([("userId".to_owned(), s("u"))]),
        &schema(),
    ));
    assert_eq!(
        m,
        "One or more parameter values were invalid: Missing the key noteId in the item"
    );
    let m = message(item(&note(&[("noteId", n("1"))]), &schema()));
    assert_eq!(
        m,
        "One or more parameter values were invalid: Type mismatch for key noteId expected: S actual: N"
    );
    let m = message(item(&note(&[("userId", s(""))]), &schema()));
    assert!(
        m.ends_with("cannot contain an empty string value. Key: userId"),
        "{m}"
    );
    let binary = KeySchema {
        partition_key: KeyAttribute::new("id", ScalarType::B),
        sort_key: None,
    };
    let m = message(key(
        &ItemMap::from([("id".to_owned(), AttributeValue::B(vec![]))]),
        &binary,
    ));
    assert!(
        m.ends_with("cannot contain an empty binary value. Key: id"),
        "{m}"
    );
    // Empty strings are fine outside keys.
    assert!(item(&note(&[("content", s(""))]), &schema()).is_ok());
}

#[test]
fn keys_must_be_exactly_the_schema() {
    assert!(key(&note(&[]), &schema()).is_ok());
    for bad in [
        note(&[("content", s("x"))]),
        ItemMap::from([("userId".to_owned(), s("u"))]),
        ItemMap::from([("userid".to_owned(), s("u")), ("noteId".to_owned(), s("n"))]),
        note(&[("noteId", n("1"))]),
    ] {
        let m = message(key(&bad, &schema()));
        assert!(
            m.starts_with("The provided key element does not match the schema"),
            "{m}"
        );
        assert!(m.contains("expected userId (S), noteId (S)"), "{m}");
    }
}

#[test]
fn nesting_stops_at_32_levels() {
    assert!(item(&note(&[("doc", nested(32))]), &schema()).is_ok());
    let m = message(item(&note(&[("doc", nested(33))]), &schema()));
    assert!(
        m.starts_with("Nesting Levels have exceeded supported limits"),
        "{m}"
    );
    assert!(m.contains("attribute `doc.m.m"), "{m}");
    let list = (1..32).fold(s("leaf"), |inner, _| AttributeValue::L(vec![inner]));
    assert!(item(&note(&[("doc", list.clone())]), &schema()).is_ok());
    let m = message(item(
        &note(&[("doc", AttributeValue::L(vec![list]))]),
        &schema(),
    ));
    assert!(
        m.starts_with("Nesting Levels have exceeded supported limits"),
        "{m}"
    );
}

#[test]
fn numbers_sets_and_duplicates_are_checked_everywhere() {
    let m = message(item(&note(&[("price", n("1.2.3"))]), &schema()));
    assert!(
        m.starts_with("The parameter cannot be converted to a numeric value: 1.2.3"),
        "{m}"
    );
    assert!(m.contains("attribute `price`"), "{m}");
    let deep = AttributeValue::M(ItemMap::from([(
        "list".to_owned(),
        AttributeValue::L(vec![n("1"), n(&"9".repeat(39))]),
    )]));
    let m = message(item(&note(&[("meta", deep)]), &schema()));
    assert!(
        m.starts_with("Attempting to store more than 38 significant digits in a Number"),
        "{m}"
    );
    assert!(m.contains("attribute `meta.list[1]`"), "{m}");
    let m = message(item(
        &note(&[("tags", AttributeValue::Ss(vec![]))]),
        &schema(),
    ));
    assert!(
        m.starts_with("One or more parameter values were invalid: An string set  may not be empty"),
        "{m}"
    );
    let dup = AttributeValue::Ss(vec!["a".into(), "a".into()]);
    let m = message(item(&note(&[("tags", dup)]), &schema()));
    assert!(
        m.contains("Input collection [a, a] contains duplicates."),
        "{m}"
    );
    let m = message(item(
        &note(&[("ns", AttributeValue::Ns(vec!["1".into(), "1.0".into()]))]),
        &schema(),
    ));
    assert!(m.contains("Input collection contains duplicates"), "{m}");
    let m = message(item(
        &note(&[("bs", AttributeValue::Bs(vec![vec![1], vec![1]]))]),
        &schema(),
    ));
    assert!(m.contains("Input collection contains duplicates"), "{m}");
    let m = message(key(
        &ItemMap::from([("userId".to_owned(), s("u")), ("noteId".to_owned(), s("n"))]),
        &KeySchema {
            partition_key: KeyAttribute::new("userId", ScalarType::S),
            sort_key: Some(KeyAttribute::new("noteId", ScalarType::N)),
        },
    ));
    assert!(
        m.starts_with("The provided key element does not match the schema"),
        "{m}"
    );
}

#[test]
fn item_size_follows_dynamodbs_rules() {
    let one = |name: &str, v: AttributeValue| item_size(&ItemMap::from([(name.to_owned(), v)]));
    assert_eq!(one("a", s("héllo")), 1 + 6);
    assert_eq!(one("a", n("123")), 1 + 3);
    assert_eq!(one("a", n("-1")), 1 + 3);
    assert_eq!(one("a", AttributeValue::B(vec![0; 10])), 11);
    assert_eq!(one("a", AttributeValue::Bool(true)), 2);
    assert_eq!(one("a", AttributeValue::Null(true)), 2);
    assert_eq!(
        one("a", AttributeValue::Ss(vec!["ab".into(), "c".into()])),
        1 + 3
    );
    assert_eq!(
        one(
            "a",
            AttributeValue::M(ItemMap::from([("k".to_owned(), s("v"))]))
        ),
        1 + 3 + 1 + 1 + 1
    );
    assert_eq!(
        one("a", AttributeValue::L(vec![s("ab"), n("1")])),
        1 + 3 + 2 + 2 + 2
    );
    assert_eq!(one("a", AttributeValue::L(vec![])), 1 + 3);
}

#[test]
fn conditions_reject_unconvertible_and_malformed_operands() {
    let invalid = Operand::Invalid {
        path: Path::attribute("createdAt"),
        message: "boom".into(),
    };
    let cond = Condition::Compare(
        Operand::Path(Path::attribute("createdAt")),
        Comparator::Eq,
        invalid,
    );
    let m = message(condition(&cond));
    assert!(m.contains("`createdAt`") && m.contains("boom"), "{m}");
    let many = Condition::In(
        Operand::Path(Path::attribute("a")),
        (0..101).map(|i| Value(n(&i.to_string()))).collect(),
    );
    assert!(message(condition(&many)).contains("number of operands: 101"));
    let few = Condition::In(
        Operand::Path(Path::attribute("a")),
        (0..100).map(|i| Value(n(&i.to_string()))).collect(),
    );
    assert!(condition(&few).is_ok());
    assert!(
        message(condition(&Condition::Type(Path::attribute("a"), "STRING")))
            .contains("Invalid attribute type name")
    );
    let bad_value = Condition::Compare(
        Operand::Path(Path::attribute("a")),
        Comparator::Eq,
        Value(AttributeValue::Ns(vec![])),
    );
    assert!(
        message(condition(&bad_value))
            .starts_with("ExpressionAttributeValues contains invalid value")
    );
    let begins = Condition::BeginsWith(Path::attribute("a"), Value(n("1")));
    assert!(message(condition(&begins)).contains("begins_with, operand type: N"));
    let empty = Condition::Exists(Path::attribute(""));
    assert!(message(condition(&empty)).contains("Empty attribute name"));
    let deep = (0..400).fold(Condition::Exists(Path::attribute("a")), |c, _| !c);
    assert!(message(condition(&deep)).contains("too many operators"));
}

#[test]
fn updates_are_checked_before_any_item_is_read() {
    let set = |p: Path, v: AttributeValue| UpdateAction::Set(p, SetValue::Value(Value(v)));
    let m = message(update(&Update::new(), &schema()));
    assert!(
        m.starts_with("Invalid UpdateExpression: The expression can not be empty;"),
        "{m}"
    );
    let m = message(update(
        &set(Path::attribute("userId"), s("x")).into(),
        &schema(),
    ));
    assert_eq!(
        m,
        "One or more parameter values were invalid: Cannot update attribute userId. This attribute is part of the key"
    );
    let overlap = Update::new()
        .and(set(Path::attribute("meta"), s("x")))
        .and(UpdateAction::Remove(Path::attribute("meta").key("a")));
    let m = message(update(&overlap, &schema()));
    assert!(
        m.contains("Two document paths overlap with each other")
            && m.contains("path one: [meta], path two: [meta, a]"),
        "{m}"
    );
    let same = Update::new()
        .and(set(Path::attribute("a"), s("x")))
        .and(set(Path::attribute("a"), s("y")));
    let m = message(update(&same, &schema()));
    assert!(
        m.contains("Two document paths overlap with each other")
            && m.contains("path one: [a], path two: [a]"),
        "{m}"
    );
    let siblings = Update::new()
        .and(set(Path::attribute("l").index(0), s("x")))
        .and(set(Path::attribute("l").index(1), s("y")));
    assert!(update(&siblings, &schema()).is_ok());
    let add_string = UpdateAction::Add(Path::attribute("a"), Value(s("x")));
    assert!(
        message(update(&add_string.into(), &schema()))
            .contains("operator: ADD, operand type: STRING")
    );
    let delete_number = UpdateAction::Delete(Path::attribute("a"), Value(n("1")));
    assert!(
        message(update(&delete_number.into(), &schema()))
            .contains("operator: DELETE, operand type: NUMBER")
    );
    let size = UpdateAction::Set(
        Path::attribute("a"),
        SetValue::Value(Operand::Size(Path::attribute("b"))),
    );
    assert!(message(update(&size.into(), &schema())).contains("function: size"));
    let plus = UpdateAction::Set(
        Path::attribute("a"),
        SetValue::Plus(Operand::Path(Path::attribute("a")), Value(s("1"))),
    );
    assert!(
        message(update(&plus.into(), &schema()))
            .contains("operator or function: +, operand type: STRING")
    );
    let invalid = UpdateAction::Set(
        Path::attribute("a"),
        SetValue::Value(Operand::Invalid {
            path: Path::attribute("a"),
            message: "nan".into(),
        }),
    );
    assert!(message(update(&invalid.into(), &schema())).contains("could not be converted: nan"));
    let nested_value = set(Path::attribute("doc"), nested(33));
    assert!(message(update(&nested_value.into(), &schema())).contains("Nesting Levels"));
}

#[test]
fn key_conditions_match_the_schema() {
    let kc = |name: &'static str, v: AttributeValue| KeyCondition::partition(name, v);
    assert!(key_condition(&kc("userId", s("u")), &schema()).is_ok());
    assert!(
        message(key_condition(&kc("noteId", s("u")), &schema()))
            .starts_with("Query condition missed key schema element: userId")
    );
    assert!(
        message(key_condition(&kc("userId", n("1")), &schema()))
            .contains("Condition parameter type does not match schema type")
    );
    let on = |c: SortKeyCondition| kc("userId", s("u")).with_sort_key("noteId", c);
    assert!(
        message(key_condition(
            &on(SortKeyCondition::Compare(Comparator::Ne, s("a"))),
            &schema()
        ))
        .contains("<>")
    );
    assert!(
        message(key_condition(
            &on(SortKeyCondition::Between(s("b"), s("a"))),
            &schema()
        ))
        .contains("BETWEEN operator requires upper bound")
    );
    assert!(key_condition(&on(SortKeyCondition::Between(s("a"), s("a"))), &schema()).is_ok());
    let wrong = kc("userId", s("u")).with_sort_key("content", SortKeyCondition::BeginsWith(s("a")));
    assert!(
        message(key_condition(&wrong, &schema())).starts_with("Query key condition not supported")
    );
    let numeric = KeySchema {
        partition_key: KeyAttribute::new("userId", ScalarType::S),
        sort_key: Some(KeyAttribute::new("noteId", ScalarType::N)),
    };
    assert!(
        message(key_condition(
            &on(SortKeyCondition::BeginsWith(n("1"))),
            &numeric
        ))
        .contains("begins_with")
    );
}

#[test]
fn projections_must_not_overlap() {
    assert!(projection(&[Path::attribute("a"), Path::attribute("b").key("c")]).is_ok());
    let m = message(projection(&[
        Path::attribute("a"),
        Path::attribute("a").index(1),
    ]));
    assert!(
        m.starts_with("Invalid ProjectionExpression: Two document paths overlap"),
        "{m}"
    );
}

#[test]
fn index_keys_have_the_table_key_size_limits() {
    assert!(index_key_size("byTag", "tag", true, &s(&"t".repeat(2048))).is_ok());
    let m = message(index_key_size("byTag", "tag", true, &s(&"t".repeat(2049))));
    assert_eq!(
        m,
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum \
         size limit of2048 bytes (IndexName: byTag, IndexKey: tag is 2049 bytes)"
    );
    assert!(index_key_size("byTitle", "title", false, &s(&"t".repeat(1024))).is_ok());
    let m = message(index_key_size(
        "byTitle",
        "title",
        false,
        &s(&"é".repeat(513)),
    ));
    assert_eq!(
        m,
        "One or more parameter values were invalid: Aggregated size of all range keys has \
         exceeded the size limit of 1024 bytes (IndexName: byTitle, IndexKey: title is 1026 \
         bytes)"
    );
}

#[test]
fn write_transactions_hold_at_most_4_mb_of_items() {
    use crate::request::TransactWrite;
    let big = |id: &str| TransactWrite::Put {
        table_name: "notes".into(),
        item: ItemMap::from([
            ("userId".to_owned(), s("u")),
            ("noteId".to_owned(), s(id)),
            ("content".to_owned(), s(&"x".repeat(400 * 1024 - 20))),
        ]),
        condition: None,
    };
    let ten: Vec<TransactWrite> = (0..10).map(|i| big(&format!("n{i}"))).collect();
    assert!(transaction_size(&ten).is_ok());
    let mut eleven = ten.clone();
    eleven.push(big("n10"));
    let m = message(transaction_size(&eleven));
    assert!(
        m.starts_with(
            "Collection size of items exceeded, which can also be caused by the aggregate size \
             of the items in the transaction exceeding the 4MB limit ("
        ),
        "{m}"
    );
    // An update counts its key and the values it writes.
    let update = |bytes: usize| TransactWrite::Update {
        table_name: "notes".into(),
        key: note(&[]),
        update: Update::new().and(UpdateAction::Set(
            Path::attribute("c"),
            SetValue::Value(Value(s(&"x".repeat(bytes)))),
        )),
        condition: None,
    };
    let mut with_update = ten;
    with_update.push(update(300 * 1024));
    assert!(message(transaction_size(&with_update)).contains("exceeding the 4MB limit"));
}
