use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[encrypt]
struct Doc {
    #[partition_key]
    id: String,
    #[encrypt]
    #[unsigned]
    both: String,
    #[sign_only]
    #[sign_only]
    twice: String,
    #[encrypt(always)]
    with_arguments: String,
}

fn main() {}
