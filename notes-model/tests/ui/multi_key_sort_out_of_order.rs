// DynamoDB takes the sort attributes of a multi-attribute key left to right, an equality on
// each before the last one given.
use notes_repo::{Item, MemoryBackend, Repo};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(
    table = "sales",
    global_index(
        name = "byRegion",
        partition_key = ["tenant", "region"],
        sort_key = ["year", "month", "day"]
    )
)]
struct Sale {
    #[partition_key]
    id: String,
    tenant: String,
    region: String,
    year: u16,
    month: u8,
    day: u8,
}

fn main() {
    let repo: Repo<Sale, _> = Repo::new(MemoryBackend::new());
    let by_region = || repo.query_index(Sale::BY_REGION, ("t1", "eu"));
    let _ = by_region().sort_key(|key| key.month(6));
    let _ = by_region().sort_key(|key| key.year(2026).day_lt(15));
    let _ = by_region().sort_key(|key| key.day_between(1, 15));
}
