// One unknown option: the derive still declares the multi-attribute index's handle, partition
// type and sort-key builder, so the query below does not fail again because of it.
use notes_repo::{Item, MemoryBackend, Repo};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(
    tabel = "sales",
    global_index(name = "byRegion", partition_key = ["tenant", "region"], sort_key = ["year", "month"])
)]
struct Sale {
    #[partition_key]
    id: String,
    tenant: String,
    region: String,
    year: u16,
    month: u8,
}

fn main() {
    let repo: Repo<Sale, _> = Repo::with_table(MemoryBackend::new(), "sales".to_owned());
    let _ = repo
        .query_index(Sale::BY_REGION, SaleByRegionPartition::new("t1", "eu"))
        .sort_key(|key| key.year(2026).month_between(1, 6));
}
