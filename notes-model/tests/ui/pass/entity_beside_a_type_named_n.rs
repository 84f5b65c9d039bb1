// An entity's generated sort-key prefix type has a const parameter: a user type of the same
// name in scope must not capture it.
use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[allow(dead_code)]
struct N;

#[derive(Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "thing",
    partition_key(name = "pk", template = "T#{id}"),
    sort_key(name = "sk", template = "X#{part}")
)]
pub struct Thing {
    pub id: String,
    pub part: String,
}

fn main() {
    let _prefix: notes_repo::KeyPrefix<ThingSort> = ThingSort::prefix().into();
}
