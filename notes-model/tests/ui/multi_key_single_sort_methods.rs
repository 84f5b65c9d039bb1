// A sort key of several attributes takes its conditions through `sort_key(|key| ..)`, which
// names them; the one-attribute methods do not apply.
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
    let _ = repo.query_index(Sale::BY_REGION, ("t1", "eu")).sort_key_eq(2026u16);
}
