//! What `#[derive(Item)]` generates for a global index whose key spans several attributes:
//! the schema's additional keys, the partition value type, and the sort-key builder's
//! conditions as they lower into a `KeyCondition`.

use notes_repo::expr::{Comparator, KeyCondition, SortKeyCondition};
use notes_repo::{
    AttributeValue, IndexKind, IntoSortKeyConditions, Item, KeyAttribute, PartitionValues,
    ScalarType, SortKeyBuilder,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "sales",
    global_index(
        name = "byRegion",
        partition_key = ["tenant", "region_code"],
        sort_key = ["year", "month", "sku"]
    ),
    global_index(name = "byTenant", partition_key = "tenant", sort_key = ["year", "sku"]),
    global_index(name = "byOne", partition_key = ["tenant"], sort_key = ["year"])
)]
#[serde(rename_all = "camelCase")]
struct Sale {
    #[partition_key]
    sale_id: String,
    tenant: String,
    region_code: String,
    year: u16,
    month: u8,
    sku: String,
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.into())
}

#[test]
fn the_schema_lists_every_key_attribute_in_order_with_its_type() {
    let index = &Sale::INDEXES[0];
    assert_eq!(index.kind, IndexKind::Global);
    assert!(index.is_multi_attribute());
    let attributes: Vec<&KeyAttribute> = index.key_attributes().collect();
    assert_eq!(
        attributes,
        [
            &KeyAttribute::new("tenant", ScalarType::S),
            &KeyAttribute::new("regionCode", ScalarType::S),
            &KeyAttribute::new("year", ScalarType::N),
            &KeyAttribute::new("month", ScalarType::N),
            &KeyAttribute::new("sku", ScalarType::S),
        ]
    );
    assert_eq!(index.key_schema.partition_key.name, "tenant");
    assert_eq!(index.key_schema.sort_key.as_ref().unwrap().name, "year");
    assert_eq!(index.additional_keys.partition_key.len(), 1);
    assert_eq!(index.additional_keys.sort_key.len(), 2);

    let by_tenant = &Sale::INDEXES[1];
    assert_eq!(by_tenant.partition_key_attributes().count(), 1);
    assert_eq!(by_tenant.sort_key_attributes().count(), 2);
    // A list of one is the one-field form.
    assert!(!Sale::INDEXES[2].is_multi_attribute());
}

#[test]
fn the_partition_type_holds_every_value_in_the_index_order() {
    let partition = SaleByRegionPartition::from(("t1", "eu"));
    assert_eq!(partition, SaleByRegionPartition::new("t1", "eu".to_owned()));
    assert_eq!(
        (partition.tenant.as_str(), partition.region_code.as_str()),
        ("t1", "eu")
    );
    assert_eq!(partition.partition_values(), [s("t1"), s("eu")]);
    assert!(partition.check_partition().is_ok());
}

/// The key condition a query sends for the sort conditions `build` makes.
fn lowered<C: IntoSortKeyConditions<SaleByRegionSort>>(
    build: impl FnOnce(SaleByRegionSort) -> C,
) -> KeyCondition {
    build(SaleByRegionSort::start())
        .into_sort_key_conditions()
        .apply(KeyCondition::partition("tenant", s("t1")))
}

#[test]
fn sort_equalities_lead_and_the_last_condition_is_the_sort_key() {
    let year = lowered(|key| key.year(2026));
    assert!(year.leading_sort_keys.is_empty());
    assert_eq!(
        year.sort_key,
        Some((
            "year".into(),
            SortKeyCondition::Compare(Comparator::Eq, n("2026"))
        ))
    );

    let first_half = lowered(|key| key.year(2026).month_between(1, 6));
    assert_eq!(first_half.leading_sort_keys, [("year".into(), n("2026"))]);
    assert_eq!(
        first_half.sort_key,
        Some(("month".into(), SortKeyCondition::Between(n("1"), n("6"))))
    );

    let day = lowered(|key| key.year(2026).month(6).sku("A-1"));
    assert_eq!(
        day.leading_sort_keys,
        [("year".into(), n("2026")), ("month".into(), n("6"))]
    );
    assert_eq!(
        day.sort_key,
        Some((
            "sku".into(),
            SortKeyCondition::Compare(Comparator::Eq, s("A-1"))
        ))
    );

    let prefix = lowered(|key| key.year(2026).month(6).sku_begins_with("A-"));
    assert_eq!(
        prefix.sort_key,
        Some(("sku".into(), SortKeyCondition::BeginsWith(s("A-"))))
    );

    for (condition, comparator) in [
        (lowered(|key| key.year_lt(2026)), Comparator::Lt),
        (lowered(|key| key.year_le(2026)), Comparator::Le),
        (lowered(|key| key.year_gt(2026)), Comparator::Gt),
        (lowered(|key| key.year_ge(2026)), Comparator::Ge),
    ] {
        assert!(condition.leading_sort_keys.is_empty());
        assert_eq!(
            condition.sort_key,
            Some((
                "year".into(),
                SortKeyCondition::Compare(comparator, n("2026"))
            ))
        );
    }

    let none = lowered(|key| key);
    assert_eq!(none, KeyCondition::partition("tenant", s("t1")));
}
