//! Fuzzes item decoding (`Item::from_item`, serde_dynamo underneath): any item map, however
//! wrong its types, must decode or fail with an error, never panic; and whatever decodes must
//! encode again and decode to the same item map (a fixed point after one round trip).

#![no_main]

#[path = "input.rs"]
mod input;

use std::collections::{BTreeMap, HashMap};

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use notes_model::{AttributeValue, Item, Note};
use serde::{Deserialize, Serialize};

/// A model with most of the shapes serde_dynamo decodes: numbers of several widths, floats,
/// options, lists, maps, bytes, enums and a nested struct.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[serde(rename_all = "camelCase")]
struct Rich {
    #[partition_key]
    id: String,
    #[sort_key]
    at: i64,
    small: Option<u8>,
    ratio: Option<f64>,
    flag: Option<bool>,
    tags: Option<Vec<String>>,
    counts: Option<BTreeMap<String, i32>>,
    #[serde(default, with = "serde_bytes_like")]
    blob: Vec<u8>,
    kind: Option<Kind>,
    inner: Option<Inner>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Kind {
    Plain,
    Tagged(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Inner {
    a: Option<u64>,
    b: Vec<Option<i16>>,
}

/// `Vec<u8>` as a list of numbers (serde's default), named so the field reads clearly.
mod serde_bytes_like {
    pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(v, s)
    }
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        serde::Deserialize::deserialize(d)
    }
}

fn round_trip<T: Item>(map: HashMap<String, AttributeValue>) {
    let Ok(decoded) = T::from_item(map) else { return };
    // Some decoded values cannot be written (a NaN float, say): an error, not a panic.
    let Ok(encoded) = decoded.to_item() else { return };
    let again = T::from_item(encoded.clone()).expect("what was encoded decodes");
    let encoded_again = again.to_item().expect("what decoded once encodes");
    assert_eq!(encoded, encoded_again, "decode(encode(x)) is not a fixed point");
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let names = [
        "userId", "noteId", "content", "attachment", "createdAt", "id", "at", "small", "ratio",
        "flag", "tags", "counts", "blob", "kind", "inner", "a", "b", "Plain", "Tagged",
    ];
    let Ok(map) = input::item_with(&mut u, &names, 3) else { return };
    round_trip::<Note>(map.clone());
    round_trip::<Rich>(map);
});
