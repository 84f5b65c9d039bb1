use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Default)]
struct Extra {
    note: String,
}

#[derive(Serialize, Deserialize, Item)]
struct Doc {
    #[partition_key]
    id: String,
    #[encrypt]
    #[serde(skip)]
    cached: String,
    #[sign_only]
    #[serde(flatten)]
    extra: Extra,
}

fn main() {}
