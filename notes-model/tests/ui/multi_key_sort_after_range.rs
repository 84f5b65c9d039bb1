// A range (<, <=, >, >=, between, begins_with) is the last sort condition: nothing follows it.
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
    let _ = by_region().sort_key(|key| key.year_ge(2025).month(6));
    let _ = by_region().sort_key(|key| key.year(2026).month_gt(3).day(1));
    let _ = by_region().sort_key(|key| key.year_gt(2020).year_lt(2030));
}
