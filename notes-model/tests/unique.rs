//! What `#[derive(Item)]` and `#[derive(Collection)]` generate for `#[unique]` attributes.

use notes_repo::{AttributeValue, Collection, Item, ItemMap, unique};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[serde(rename_all = "camelCase")]
struct User {
    #[partition_key]
    user_id: String,
    #[unique]
    email: String,
    #[unique]
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<u64>,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "member",
    partition_key(name = "pk", template = "ORG#{org}"),
    sort_key(name = "sk", template = "MEMBER#{user}")
)]
struct Member {
    org: String,
    user: String,
    #[unique]
    #[serde(with = "serde_bytes")]
    badge: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "org",
    partition_key(name = "pk", template = "ORG#{org}"),
    sort_key(name = "sk", template = "PROFILE")
)]
struct Org {
    org: String,
    name: String,
}

#[derive(Debug, PartialEq, Collection)]
enum OrgData {
    Profile(Org),
    Member(Member),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "tag",
    partition_key(name = "pk", template = "ORG#{org}"),
    sort_key(name = "sk", template = "TAG#{tag}")
)]
struct Tag {
    org: String,
    tag: String,
}

#[derive(Debug, PartialEq, Collection)]
enum Plain {
    Profile(Org),
    Tag(Tag),
}

#[test]
fn unique_attributes_are_listed_by_their_stored_names() {
    assert_eq!(User::UNIQUE_ATTRIBUTES, ["email", "phoneNumber"]);
    const { assert!(User::HAS_UNIQUE_ATTRIBUTES) };
    let of_user = User::unique_attributes_of(&ItemMap::new());
    assert_eq!(
        (of_user.scope, of_user.attributes),
        ("", User::UNIQUE_ATTRIBUTES)
    );
    let of_member = Member::unique_attributes_of(&ItemMap::new());
    assert_eq!(
        (of_member.scope, of_member.attributes),
        ("member", &["badge"][..])
    );
}

#[test]
fn a_type_with_unique_attributes_reads_around_its_guards() {
    assert_eq!(User::read_filter(), Some(unique::not_a_guard()));
    // An entity's filter is its entity attribute, which no guard has.
    assert_eq!(
        Member::read_filter(),
        Some(Member::ENTITY.unwrap().condition())
    );
}

#[test]
fn a_collection_answers_for_the_member_an_item_is() {
    const { assert!(OrgData::HAS_UNIQUE_ATTRIBUTES) };
    const { assert!(!Plain::HAS_UNIQUE_ATTRIBUTES) };
    let member = Member {
        org: "acme".into(),
        user: "ann".into(),
        badge: vec![1, 2],
    };
    let of_member = OrgData::unique_attributes_of(&member.to_item().unwrap());
    assert_eq!(
        (of_member.scope, of_member.attributes),
        ("member", &["badge"][..])
    );
    let org = Org {
        org: "acme".into(),
        name: "Acme".into(),
    };
    assert_eq!(
        OrgData::unique_attributes_of(&org.to_item().unwrap()),
        unique::UniqueAttributes::new(Org::ENTITY, &[])
    );
    let stranger = ItemMap::from([("_et".to_owned(), AttributeValue::S("stranger".into()))]);
    assert_eq!(
        OrgData::unique_attributes_of(&stranger),
        unique::UniqueAttributes::NONE
    );
}
