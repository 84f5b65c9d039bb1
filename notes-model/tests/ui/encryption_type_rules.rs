use notes_repo::Item;
use serde::{Deserialize, Serialize};

// What the Database Encryption SDK would refuse of a type that declares encryption
// attributes, refused by the compiler instead.
#[derive(Serialize, Deserialize)]
struct Extra {
    mood: String,
}

#[derive(Serialize, Deserialize, Item)]
struct Reserved {
    #[partition_key]
    id: String,
    #[encrypt]
    body: String,
    #[serde(rename = "aws_dbe_head")]
    head: String,
}

#[derive(Serialize, Deserialize, Item)]
struct Flattened {
    #[partition_key]
    id: String,
    #[encrypt]
    body: String,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Serialize, Deserialize, Item)]
struct GuardsWithContext {
    #[partition_key]
    id: String,
    #[unique]
    email: String,
    #[encryption_context]
    tenant: String,
}

#[derive(Serialize, Deserialize, Item)]
#[item(unsigned_prefix = "_")]
struct PrefixOfTheGuardsOwner {
    #[partition_key]
    id: String,
    #[unique]
    email: String,
}

fn main() {}
