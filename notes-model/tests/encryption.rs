//! What `#[derive(Item)]` generates for client-side encryption: `Item::ENCRYPTION`, every
//! attribute the type writes with its action, keys first.

use notes_model::encryption::{CryptoAction, EncryptionSchema};
use notes_repo::{Collection, Item};
use serde::{Deserialize, Serialize};

use CryptoAction::{DoNothing, EncryptAndSign, SignAndIncludeInEncryptionContext, SignOnly};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[serde(rename_all = "camelCase")]
#[item(global_index(name = "byTag", partition_key = "tag", sort_key = "created_at"))]
struct Secret {
    content_type: String,
    #[encrypt]
    content: String,
    #[sort_key]
    secret_id: String,
    #[partition_key]
    #[sign_only]
    user_id: String,
    #[encrypt]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    attachment: Option<String>,
    tag: String,
    created_at: i64,
    #[unsigned]
    hits: u64,
    #[serde(skip)]
    cached: u32,
}

/// A type without encryption attributes may flatten a value: its schema cannot list the
/// value's attributes (a type with encryption attributes may not, a compile error).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
struct Open {
    #[partition_key]
    id: String,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Extra {
    note: String,
}

#[test]
fn keys_come_first_then_the_stored_fields_in_order_with_their_actions() {
    assert_eq!(
        Secret::ENCRYPTION,
        EncryptionSchema::new(&[
            ("userId", SignOnly),
            ("secretId", SignOnly),
            ("contentType", SignOnly),
            ("content", EncryptAndSign),
            ("attachment", EncryptAndSign),
            ("tag", SignOnly),
            ("createdAt", SignOnly),
            ("hits", DoNothing),
        ])
    );
}

#[test]
fn skipped_and_flattened_fields_are_not_listed() {
    // `cached` is never stored; `extra`'s attributes (`note`) are its value's own, unknown to
    // the derive, so an encryptor given `Open`'s schema refuses them.
    assert_eq!(Secret::ENCRYPTION.action("cached"), None);
    assert_eq!(Secret::ENCRYPTION.unsigned_prefix, None);
    assert_eq!(Open::ENCRYPTION.attributes, [("id", SignOnly)]);
    assert_eq!(Open::ENCRYPTION.action("extra"), None);
    assert_eq!(Open::ENCRYPTION.action("note"), None);
}

#[test]
fn comparisons_on_plaintext_attributes_still_compile() {
    let _ = Secret::TAG.eq("t");
    let _ = Secret::CREATED_AT.between(1, 2);
    let _ = Secret::HITS.gt(3_u64);
    // Presence checks and updates of an encrypted attribute compile; the encryption layer
    // refuses the updates at run time.
    let _ = Secret::CONTENT.exists();
    let _ = Secret::ATTACHMENT.remove();
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "doc",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(template = "DOC#{doc_id}"),
    global_index(
        name = "gsi1",
        partition_key(template = "TAG#{tag}"),
        sort_key(name = "gsi1_sort", template = "AT#{at}")
    )
)]
struct Doc {
    #[encrypt]
    body: String,
    user_id: String,
    doc_id: String,
    tag: Option<String>,
    at: Option<i64>,
}

#[test]
fn an_entity_lists_its_computed_keys_first_and_its_entity_and_index_attributes_last() {
    assert_eq!(
        Doc::ENCRYPTION,
        EncryptionSchema::new(&[
            ("pk", SignOnly),
            ("sk", SignOnly),
            ("body", EncryptAndSign),
            ("user_id", SignOnly),
            ("doc_id", SignOnly),
            ("tag", SignOnly),
            ("at", SignOnly),
            ("_et", SignOnly),
            ("gsi1pk", SignOnly),
            ("gsi1_sort", SignOnly),
        ])
    );
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(unsigned_prefix = ":")]
struct Tenant {
    #[partition_key]
    #[encryption_context]
    id: String,
    #[encryption_context]
    region: String,
    #[encrypt]
    secret: Vec<u8>,
    #[unsigned]
    #[serde(rename = ":views")]
    views: u64,
    #[unsigned]
    last_seen: i64,
}

#[test]
fn an_encryption_context_attribute_puts_the_keys_in_the_context_too() {
    assert_eq!(
        Tenant::ENCRYPTION.attributes,
        [
            ("id", SignAndIncludeInEncryptionContext),
            ("region", SignAndIncludeInEncryptionContext),
            ("secret", EncryptAndSign),
            (":views", DoNothing),
            ("last_seen", DoNothing),
        ]
    );
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    entity = "invoice",
    partition_key(template = "ORG#{org}"),
    sort_key(template = "INVOICE#{number}"),
    global_index(name = "gsi1", partition_key(template = "DUE#{due}"))
)]
struct Invoice {
    #[encryption_context]
    org: String,
    number: u32,
    due: Option<String>,
    #[encrypt]
    amount: i64,
}

#[test]
fn an_entitys_computed_keys_join_the_context_but_its_index_keys_may_be_absent_so_do_not() {
    assert_eq!(
        Invoice::ENCRYPTION.attributes,
        [
            ("pk", SignAndIncludeInEncryptionContext),
            ("sk", SignAndIncludeInEncryptionContext),
            ("org", SignAndIncludeInEncryptionContext),
            ("number", SignOnly),
            ("due", SignOnly),
            ("amount", EncryptAndSign),
            ("_et", SignOnly),
            ("gsi1pk", SignOnly),
        ]
    );
}

#[test]
fn the_unsigned_prefix_is_part_of_the_schema() {
    assert_eq!(Tenant::ENCRYPTION.unsigned_prefix, Some(":"));
    assert_eq!(Tenant::ENCRYPTION.action(":anything"), Some(DoNothing));
    // An `#[unsigned]` field without the prefix is listed by name.
    assert_eq!(Tenant::ENCRYPTION.action("last_seen"), Some(DoNothing));
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "profile",
    partition_key(name = "pk", template = "ORG#{org}"),
    sort_key(name = "sk", template = "PROFILE")
)]
struct Profile {
    org: String,
    #[encrypt]
    name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "member",
    partition_key(name = "pk", template = "ORG#{org}"),
    sort_key(name = "sk", template = "MEMBER#{member}")
)]
struct Member {
    org: String,
    member: String,
}

#[derive(Debug, PartialEq, Collection)]
enum OrgData {
    Profile(Profile),
    Member(Member),
}

#[test]
fn a_collection_declares_no_schema_of_its_own() {
    // Each member is registered with the encryption layer under its own schema.
    assert_eq!(OrgData::ENCRYPTION, EncryptionSchema::UNDECLARED);
    assert_eq!(Profile::ENCRYPTION.action("name"), Some(EncryptAndSign));
}
