use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "reading",
    partition_key(template = "SENSOR#{sensor}"),
    sort_key(template = "VALUE#{value}")
)]
struct Reading {
    sensor: String,
    value: f64,
}

fn main() {}
