//! `uuid::Uuid` keys (feature `uuid` of notes-model) are stored as strings.

use notes_model::{AttributeValue, Item, PrimaryKey, ScalarType};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[serde(rename_all = "camelCase")]
struct Order {
    #[partition_key]
    customer_id: uuid::Uuid,
    #[sort_key]
    order_id: uuid::Uuid,
}

#[test]
fn uuid_keys_are_hyphenated_strings() {
    assert_eq!(Order::KEY_SCHEMA.partition_key.scalar_type, ScalarType::S);
    let order = Order {
        customer_id: uuid::Uuid::now_v7(),
        order_id: uuid::Uuid::now_v7(),
    };
    let map = order.to_item().unwrap();
    assert_eq!(
        map["customerId"],
        AttributeValue::S(order.customer_id.hyphenated().to_string())
    );
    assert_eq!(OrderKey::from_key_map(&map).unwrap(), order.key());
    assert_eq!(Order::from_item(map).unwrap(), order);
}
