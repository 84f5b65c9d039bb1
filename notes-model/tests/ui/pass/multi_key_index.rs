//! Every form a multi-attribute index key takes, and every sort-condition sequence DynamoDB
//! accepts: equalities left to right, a range only on the last attribute given. The generated
//! items are documented, for crates that deny missing docs.
#![deny(missing_docs)]

use notes_repo::{Item, MemoryBackend, Repo};
use serde::{Deserialize, Serialize};

/// A sale.
#[derive(Serialize, Deserialize, Item)]
#[item(
    table = "sales",
    global_index(
        name = "by-region",
        partition_key = ["tenant", "region"],
        sort_key = ["year", "month", "sku"]
    ),
    global_index(name = "bySku", partition_key = "tenant", sort_key = ["type", "sku"]),
    global_index(name = "byChannel", partition_key = ["tenant", "channel"], sort_key = "year"),
    global_index(name = "byOne", partition_key = ["tenant"], sort_key = ["year"])
)]
#[serde(rename_all = "camelCase")]
pub struct Sale {
    /// The sale.
    #[partition_key]
    pub sale_id: String,
    /// The tenant.
    pub tenant: String,
    /// The region.
    pub region: String,
    /// The year.
    pub year: u16,
    /// The month.
    pub month: u8,
    /// What was sold.
    pub sku: String,
    /// Its kind.
    pub r#type: String,
    /// Where, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

fn main() {
    let repo: Repo<Sale, _> = Repo::new(MemoryBackend::new());
    let by_region = || repo.query_index(Sale::BY_REGION, ("t1", String::from("eu")));
    let _ = by_region();
    let _ = by_region().sort_key(|key| key.year(2026));
    let _ = by_region().sort_key(|key| key.year_lt(2026));
    let _ = by_region().sort_key(|key| key.year_le(2026));
    let _ = by_region().sort_key(|key| key.year_gt(2026));
    let _ = by_region().sort_key(|key| key.year_ge(2026));
    let _ = by_region().sort_key(|key| key.year_between(2024, 2026));
    let _ = by_region().sort_key(|key| key.year(2026).month(6));
    let _ = by_region().sort_key(|key| key.year(2026).month_between(1, 6));
    let _ = by_region().sort_key(|key| key.year(2026).month(6).sku("A-1"));
    let _ = by_region().sort_key(|key| key.year(2026).month(6).sku_begins_with("A-"));
    let _ = by_region()
        .sort_key(|key| key.year(2026).month(6).sku_between("A", "B"))
        .descending()
        .limit(10);
    let partition = SaleByRegionPartition::new("t1", "eu");
    assert_eq!(partition.region, "eu");
    let _ = repo.query_index(Sale::BY_REGION, partition);

    // One partition attribute, two sort attributes (a raw identifier among them).
    let _ = repo
        .query_index(Sale::BY_SKU, "t1")
        .sort_key(|key| key.r#type("gift").sku_begins_with("A"));
    let _ = repo.query_index(Sale::BY_SKU, "t1").sort_key(|key| key.type_gt("a"));

    // Two partition attributes (one of them sparse), one sort attribute: the usual methods.
    let _ = repo
        .query_index(Sale::BY_CHANNEL, ("t1", "web"))
        .sort_key_between(2024u16, 2026u16);

    // A list of one is the one-field form.
    let _ = repo.query_index(Sale::BY_ONE, "t1").sort_key_eq(2026u16);
}
