use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(table = "app", entity = "page", partition_key(template = "BOOK#{book}#PAGE#{page}"))]
struct Page {
    book: String,
    page: usize,
}

fn main() {}
