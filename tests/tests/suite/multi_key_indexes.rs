//! Global indexes whose keys span several attributes, declared on the type
//! (`partition_key = ["tenant", "region"], sort_key = ["year", "month", "day"]`) and queried
//! typed: every partition value at once, sort conditions left to right.

use notes_repo::{Backend, Error, Item, Repo};
use notes_tests::repo;
use serde::{Deserialize, Serialize};

// Not run lagging: the cases read global indexes right after writing, and a global index is
// only ever eventually consistent (on DynamoDB too).
notes_tests::on_every_backend!(
    multi_attribute_indexes_are_created_from_the_type,
    multi_attribute_index_queries_give_every_partition_value_and_sort_conditions_left_to_right,
    multi_attribute_index_pages_resume_from_their_cursors,
    an_item_without_every_index_key_attribute_is_left_out,
    verification_compares_every_index_key_attribute,
);

/// A sale, in `byRegion` by tenant and region, sorted by date; in `byChannel` by tenant and
/// channel (when it has one), sorted by year and SKU.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    global_index(
        name = "byRegion",
        partition_key = ["tenant", "region"],
        sort_key = ["year", "month", "day"]
    ),
    global_index(name = "byChannel", partition_key = ["tenant", "channel"], sort_key = ["year", "sku"])
)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Sale {
    /// The sale.
    #[partition_key]
    pub(crate) sale_id: String,
    /// The tenant.
    pub(crate) tenant: String,
    /// Its region.
    pub(crate) region: String,
    /// The date.
    pub(crate) year: u16,
    /// The month, 1 to 12.
    pub(crate) month: u8,
    /// The day, 1 to 31.
    pub(crate) day: u8,
    /// What was sold.
    pub(crate) sku: String,
    /// Where it was sold, when known (absent: not in `byChannel`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) channel: Option<String>,
}

/// `id` sold by `tenant` in `region` on `date` (year, month, day).
fn sale(
    id: &str,
    (tenant, region): (&str, &str),
    (year, month, day): (u16, u8, u8),
    sku: &str,
    channel: Option<&str>,
) -> Sale {
    Sale {
        sale_id: id.into(),
        tenant: tenant.into(),
        region: region.into(),
        year,
        month,
        day,
        sku: sku.into(),
        channel: channel.map(Into::into),
    }
}

/// Seven sales: five of tenant t1 in eu (one without a channel), one in us, one of t2.
async fn sales<B: Backend>(backend: B, table: &str) -> Repo<Sale, B> {
    let sales = repo::<Sale, B>(backend, table).await;
    for s in [
        sale("s05", ("t1", "eu"), (2026, 10, 5), "A-4", None),
        sale("s03", ("t1", "eu"), (2026, 2, 1), "B-1", Some("shop")),
        sale("s01", ("t1", "eu"), (2025, 12, 31), "A-1", Some("web")),
        sale("s04", ("t1", "eu"), (2026, 2, 20), "A-3", Some("web")),
        sale("s02", ("t1", "eu"), (2026, 1, 15), "A-2", Some("web")),
        sale("s06", ("t1", "us"), (2026, 2, 1), "A-5", Some("web")),
        sale("s07", ("t2", "eu"), (2026, 2, 1), "A-6", Some("web")),
    ] {
        sales.put(&s).await.unwrap();
    }
    sales
}

fn ids(sales: &[Sale]) -> Vec<&str> {
    sales.iter().map(|s| s.sale_id.as_str()).collect()
}

/// The table made from the type has both indexes with every key attribute, in order, and
/// verifies against the type.
async fn multi_attribute_indexes_are_created_from_the_type<B: Backend>(backend: B, table: &str) {
    let sales = repo::<Sale, B>(backend, table).await;
    let description = sales.describe_table().await.unwrap();
    for expected in Sale::INDEXES {
        let live = description
            .indexes
            .iter()
            .find(|index| index.name == expected.name)
            .unwrap_or_else(|| panic!("no index {}: {description:?}", expected.name));
        let names = |index: &notes_repo::IndexSchema| -> Vec<String> {
            index.key_attributes().map(|a| a.name.to_string()).collect()
        };
        assert_eq!(names(live), names(expected));
        assert_eq!(
            (&live.key_schema, &live.additional_keys),
            (&expected.key_schema, &expected.additional_keys)
        );
    }
    let by_region: Vec<_> = Sale::BY_REGION
        .schema()
        .key_attributes()
        .map(|a| a.name.as_ref())
        .collect();
    assert_eq!(by_region, ["tenant", "region", "year", "month", "day"]);
    sales.verify_table().await.unwrap();
}

/// A query gives the whole partition tuple, then sort conditions left to right; entries come
/// in the order of the sort attributes, each by its own type (month 10 after month 2).
async fn multi_attribute_index_queries_give_every_partition_value_and_sort_conditions_left_to_right<
    B: Backend,
>(
    backend: B,
    table: &str,
) {
    let sales = sales(backend, table).await;
    let eu = || sales.query_index(Sale::BY_REGION, ("t1", "eu"));

    assert_eq!(
        ids(&eu().all().await.unwrap()),
        ["s01", "s02", "s03", "s04", "s05"]
    );
    let partition = SaleByRegionPartition::new("t1", "us");
    assert_eq!(
        ids(&sales
            .query_index(Sale::BY_REGION, partition)
            .all()
            .await
            .unwrap()),
        ["s06"]
    );
    let in_2026 = eu().sort_key(|key| key.year(2026)).all().await.unwrap();
    assert_eq!(ids(&in_2026), ["s02", "s03", "s04", "s05"]);
    let before_2026 = eu().sort_key(|key| key.year_lt(2026)).all().await.unwrap();
    assert_eq!(ids(&before_2026), ["s01"]);
    let first_half = eu()
        .sort_key(|key| key.year(2026).month_between(1, 6))
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&first_half), ["s02", "s03", "s04"]);
    let february = eu()
        .sort_key(|key| key.year(2026).month(2))
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&february), ["s03", "s04"]);
    let after_the_first = eu()
        .sort_key(|key| key.year(2026).month(2).day_gt(1))
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&after_the_first), ["s04"]);
    let one_day = eu()
        .sort_key(|key| key.year(2026).month(2).day(20))
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&one_day), ["s04"]);
    let newest_first = eu()
        .sort_key(|key| key.year(2026))
        .descending()
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&newest_first), ["s05", "s04", "s03", "s02"]);
    // A filter on an attribute outside the index key (DynamoDB refuses key attributes).
    let a_skus = eu()
        .sort_key(|key| key.year(2026))
        .filter(Sale::SKU.begins_with("A"))
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&a_skus), ["s02", "s04", "s05"]);

    // `begins_with` on a string sort attribute, last; the region is not in this key.
    let web_a = sales
        .query_index(Sale::BY_CHANNEL, ("t1", "web"))
        .sort_key(|key| key.year(2026).sku_begins_with("A-"))
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&web_a), ["s02", "s04", "s06"]);
    let shop = sales
        .query_index(Sale::BY_CHANNEL, ("t1", "shop"))
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&shop), ["s03"]);
}

/// Pages of a multi-attribute index query resume from their cursors, in both directions; a
/// cursor of another partition tuple is refused before anything is sent (a minted one, made
/// for the query, is checked on every key attribute: `notes-repo`'s query tests).
async fn multi_attribute_index_pages_resume_from_their_cursors<B: Backend>(
    backend: B,
    table: &str,
) {
    let sales = sales(backend, table).await;
    for (descending, expected) in [
        (false, ["s01", "s02", "s03", "s04", "s05"]),
        (true, ["s05", "s04", "s03", "s02", "s01"]),
    ] {
        let query = || {
            let query = sales.query_index(Sale::BY_REGION, ("t1", "eu")).limit(2);
            if descending {
                query.descending()
            } else {
                query
            }
        };
        let (mut paged, mut pages, mut cursor) = (Vec::new(), 0, None);
        loop {
            let page = query().page(cursor.as_deref()).await.unwrap();
            paged.extend(page.items);
            pages += 1;
            match page.cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(ids(&paged), expected, "descending: {descending}");
        assert_eq!(pages, 3);
    }

    let first = sales
        .query_index(Sale::BY_REGION, ("t1", "eu"))
        .sort_key(|key| key.year(2026))
        .limit(2)
        .page(None)
        .await
        .unwrap();
    assert_eq!(ids(&first.items), ["s02", "s03"]);
    let cursor = first.cursor.expect("a second page");
    let second = sales
        .query_index(Sale::BY_REGION, ("t1", "eu"))
        .sort_key(|key| key.year(2026))
        .limit(2)
        .page(Some(&cursor))
        .await
        .unwrap();
    assert_eq!(ids(&second.items), ["s04", "s05"]);
    let err = sales
        .query_index(Sale::BY_REGION, ("t1", "us"))
        .sort_key(|key| key.year(2026))
        .limit(2)
        .page(Some(&cursor))
        .await
        .unwrap_err();
    let Error::InvalidCursor { reason } = err else {
        panic!("expected InvalidCursor, got {err:?}");
    };
    assert_eq!(
        reason,
        "the cursor was modified or belongs to another query"
    );
}

/// An item without one of an index's key attributes (here `channel`) is not in the index.
async fn an_item_without_every_index_key_attribute_is_left_out<B: Backend>(
    backend: B,
    table: &str,
) {
    let sales = sales(backend, table).await;
    let mut in_channels = ids(&sales.scan().index(Sale::BY_CHANNEL).all().await.unwrap())
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    in_channels.sort();
    assert_eq!(in_channels, ["s01", "s02", "s03", "s04", "s06", "s07"]);
    let in_2026 = sales
        .query_index(Sale::BY_CHANNEL, ("t1", "web"))
        .sort_key(|key| key.year(2026))
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&in_2026), ["s02", "s04", "s06"]);
    // The same item is in `byRegion`, whose key it has.
    let october = sales
        .query_index(Sale::BY_REGION, ("t1", "eu"))
        .sort_key(|key| key.year(2026).month(10))
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&october), ["s05"]);
}

/// An order of one entity type, in `byPlace` by tenant and region, sorted by year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    entity = "order",
    partition_key(template = "ORDER#{id}"),
    global_index(name = "byPlace", partition_key = ["tenant", "region"], sort_key = "year")
)]
struct Order {
    id: String,
    tenant: String,
    region: String,
    year: u16,
    month: u8,
}

/// The same entity, a release later: `byPlace` sorted by year and month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    entity = "order",
    partition_key(template = "ORDER#{id}"),
    global_index(name = "byPlace", partition_key = ["tenant", "region"], sort_key = ["year", "month"])
)]
struct OrderV2 {
    id: String,
    tenant: String,
    region: String,
    year: u16,
    month: u8,
}

/// A live index whose key lacks an attribute the type declares does not verify, and the
/// error names every attribute of both keys.
async fn verification_compares_every_index_key_attribute<B: Backend>(backend: B, table: &str) {
    repo::<Order, B>(backend.clone(), table).await;
    let v2: Repo<OrderV2, B> = Repo::with_table(backend, table.to_owned());
    match v2.verify_table().await {
        Err(Error::EntityTableMismatch { entity, reason, .. }) => {
            assert_eq!(entity, "order");
            assert_eq!(
                reason,
                "its index `byPlace` is Global tenant (S) HASH, region (S) HASH, year (N) \
                 RANGE, month (N) RANGE, the table's is Global tenant (S) HASH, region (S) \
                 HASH, year (N) RANGE"
            );
        }
        other => panic!("expected an entity mismatch, got {other:?}"),
    }
}
