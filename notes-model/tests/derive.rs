//! What `#[derive(Item)]` generates for valid item types, used as an app uses it: through
//! `notes_repo`, the one crate an app depends on.

use notes_repo::{AttributeValue, Item, ItemMap, NoSortKey, Note, PrimaryKey, ScalarType, Table};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(table = "sessions")]
struct Session {
    #[partition_key]
    token: String,
    user: String,
}

#[test]
fn partition_only_item_has_no_sort_key() {
    assert_eq!(Session::KEY_SCHEMA.partition_key.name, "token");
    assert_eq!(Session::KEY_SCHEMA.sort_key, None);
    assert_eq!(Session::TABLE_NAME, "sessions");
    let s = Session {
        token: "t1".into(),
        user: "u".into(),
    };
    let key = s.key();
    assert_eq!(key, SessionKey::new("t1"));
    assert_eq!(key.sort_key(), &NoSortKey);
    assert_eq!(
        key.to_key_map(),
        ItemMap::from([("token".to_owned(), AttributeValue::S("t1".into()))])
    );
    assert_eq!(Session::from_item(s.to_item().unwrap()).unwrap(), s);
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
struct Renamed {
    #[partition_key]
    #[serde(rename = "PK")]
    tenant_id: String,
    #[sort_key]
    order_number: u64,
    line_total: f64,
}

#[test]
fn renamed_keys_use_serdes_names() {
    assert_eq!(Renamed::KEY_SCHEMA.partition_key.name, "PK");
    let sk = Renamed::KEY_SCHEMA.sort_key.unwrap();
    assert_eq!(sk.name, "ORDER-NUMBER");
    assert_eq!(sk.scalar_type, ScalarType::N);
    assert_eq!(Renamed::LINE_TOTAL.name(), "LINE-TOTAL");
    let r = Renamed {
        tenant_id: "t".into(),
        order_number: 7,
        line_total: 1.5,
    };
    let map = r.to_item().unwrap();
    assert_eq!(map["PK"], AttributeValue::S("t".into()));
    assert_eq!(map["ORDER-NUMBER"], AttributeValue::N("7".into()));
    assert_eq!(
        RenamedKey::from_key_map(&map).unwrap(),
        RenamedKey::new("t", 7u64)
    );
}

macro_rules! rename_rule_matches_serde {
    ($test:ident, $rule:literal) => {
        #[test]
        fn $test() {
            #[derive(Serialize, Deserialize, Item)]
            #[serde(rename_all = $rule)]
            struct T {
                #[partition_key]
                user_account_id: String,
                #[sort_key]
                r#type: i32,
                created_at_ms: i64,
            }
            let value = serde_json::to_value(T {
                user_account_id: String::new(),
                r#type: 0,
                created_at_ms: 0,
            })
            .unwrap();
            let serde_names: Vec<&String> = value.as_object().unwrap().keys().collect();
            let schema = T::KEY_SCHEMA;
            assert!(
                serde_names.contains(&&schema.partition_key.name.to_string()),
                "{serde_names:?}"
            );
            assert!(
                serde_names.contains(&&schema.sort_key.unwrap().name.to_string()),
                "{serde_names:?}"
            );
            assert!(
                serde_names.contains(&&T::CREATED_AT_MS.name().to_owned()),
                "{serde_names:?}"
            );
        }
    };
}
rename_rule_matches_serde!(rename_lowercase_matches_serde, "lowercase");
rename_rule_matches_serde!(rename_uppercase_matches_serde, "UPPERCASE");
rename_rule_matches_serde!(rename_pascal_case_matches_serde, "PascalCase");
rename_rule_matches_serde!(rename_camel_case_matches_serde, "camelCase");
rename_rule_matches_serde!(rename_snake_case_matches_serde, "snake_case");
rename_rule_matches_serde!(
    rename_screaming_snake_case_matches_serde,
    "SCREAMING_SNAKE_CASE"
);
rename_rule_matches_serde!(rename_kebab_case_matches_serde, "kebab-case");
rename_rule_matches_serde!(
    rename_screaming_kebab_case_matches_serde,
    "SCREAMING-KEBAB-CASE"
);

#[test]
fn serialize_side_rename_is_the_stored_name() {
    #[derive(Serialize, Deserialize, Item)]
    #[serde(rename_all(serialize = "camelCase", deserialize = "camelCase"))]
    struct T {
        #[partition_key]
        #[serde(rename(serialize = "pk", deserialize = "pk"))]
        id: String,
        some_field: bool,
    }
    assert_eq!(T::KEY_SCHEMA.partition_key.name, "pk");
    assert_eq!(T::SOME_FIELD.name(), "someField");
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
struct Reading {
    #[partition_key]
    sensor: i64,
    #[sort_key]
    at: f64,
    value: f32,
}

#[test]
fn numeric_keys_are_n() {
    assert_eq!(Reading::KEY_SCHEMA.partition_key.scalar_type, ScalarType::N);
    let r = Reading {
        sensor: -3,
        at: 12.25,
        value: 1.0,
    };
    let map = r.to_item().unwrap();
    assert_eq!(map["sensor"], AttributeValue::N("-3".into()));
    assert_eq!(map["at"], AttributeValue::N("12.25".into()));
    assert_eq!(ReadingKey::from_key_map(&map).unwrap(), r.key());
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
struct Blob {
    #[partition_key]
    #[serde(with = "serde_bytes")]
    digest: Vec<u8>,
    #[sort_key]
    #[serde(with = "serde_bytes")]
    chunk: Vec<u8>,
}

#[test]
fn binary_keys_are_b() {
    assert_eq!(Blob::KEY_SCHEMA.partition_key.scalar_type, ScalarType::B);
    let b = Blob {
        digest: vec![0, 1, 255],
        chunk: vec![9],
    };
    let map = b.to_item().unwrap();
    assert_eq!(map["digest"], AttributeValue::B(vec![0, 1, 255]));
    assert_eq!(Blob::from_item(map.clone()).unwrap(), b);
    assert_eq!(BlobKey::from_key_map(&map).unwrap(), b.key());
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "tasks",
    global_index(name = "byAssignee", partition_key = "assignee", sort_key = "due_at"),
    global_index(name = "by-status", partition_key = "status"),
    local_index(name = "byDueAt", sort_key = "due_at")
)]
#[serde(rename_all = "camelCase")]
struct Task {
    #[partition_key]
    project_id: String,
    #[sort_key]
    task_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assignee: Option<String>,
    status: String,
    due_at: i64,
    #[version]
    version: u64,
    #[ttl]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<i64>,
}

#[test]
fn indexes_version_and_ttl_are_declared() {
    use notes_repo::{IndexKind, IndexProjection};
    assert_eq!(Task::INDEXES.len(), 3);
    let by_assignee = &Task::INDEXES[0];
    assert_eq!(by_assignee.name, "byAssignee");
    assert_eq!(by_assignee.kind, IndexKind::Global);
    assert_eq!(by_assignee.key_schema.partition_key.name, "assignee");
    assert_eq!(
        by_assignee.key_schema.partition_key.scalar_type,
        ScalarType::S
    );
    let sk = by_assignee.key_schema.sort_key.as_ref().unwrap();
    assert_eq!((sk.name.as_ref(), sk.scalar_type), ("dueAt", ScalarType::N));
    assert_eq!(by_assignee.projection, IndexProjection::All);
    assert_eq!(Task::INDEXES[1].key_schema.sort_key, None);
    let local = &Task::INDEXES[2];
    assert_eq!(local.kind, IndexKind::Local);
    assert_eq!(local.key_schema.partition_key.name, "projectId");
    assert_eq!(Task::BY_ASSIGNEE.name(), "byAssignee");
    assert_eq!(Task::BY_STATUS.name(), "by-status");
    assert_eq!(Task::BY_DUE_AT.schema(), local);
    assert_eq!(Task::VERSION_ATTRIBUTE, Some("version"));
    assert_eq!(Task::TTL_ATTRIBUTE, Some("expiresAt"));
    assert_eq!(Note::VERSION_ATTRIBUTE, None);
    assert!(Note::INDEXES.is_empty());
}

#[test]
fn version_is_read_and_set_through_the_item() {
    let mut task = Task {
        project_id: "p".into(),
        task_id: "t".into(),
        assignee: None,
        status: "open".into(),
        due_at: 1,
        version: 3,
        expires_at: None,
    };
    assert_eq!(task.version(), Some(3));
    assert!(task.set_version(4));
    assert_eq!(task.version, 4);
    let map = task.to_item().unwrap();
    assert!(
        !map.contains_key("assignee"),
        "a sparse index key is left out, not NULL"
    );
    assert!(!map.contains_key("expiresAt"));
}

/// A type whose serde impls are hand-written: `#[item(serde)]` makes the SDK use them.
#[derive(Debug, Clone, PartialEq, Item)]
#[item(serde)]
struct Celsius {
    #[partition_key]
    id: String,
    degrees: f64,
}

impl Serialize for Celsius {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("reading", &format!("{}C", self.degrees))?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for Celsius {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            id: String,
            reading: String,
        }
        let raw = Raw::deserialize(deserializer)?;
        let degrees = raw
            .reading
            .trim_end_matches('C')
            .parse()
            .map_err(serde::de::Error::custom)?;
        Ok(Celsius {
            id: raw.id,
            degrees,
        })
    }
}

#[test]
fn hand_written_serde_impls_are_used_with_item_serde() {
    let c = Celsius {
        id: "kitchen".into(),
        degrees: 21.5,
    };
    let map = c.to_item().unwrap();
    assert_eq!(map["reading"], AttributeValue::S("21.5C".into()));
    assert!(!map.contains_key("degrees"));
    assert_eq!(Celsius::from_item(map).unwrap(), c);
}

/// The same derive, with the model crate named directly: how `Note` is derived inside
/// notes-model itself, and how a crate that depends on notes-model alone would derive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, notes_model::Item)]
#[item(crate = "::notes_model", table = "direct")]
struct Direct {
    #[partition_key]
    id: String,
    #[sort_key]
    at: u64,
}

#[test]
fn crate_option_names_the_model_crate_path() {
    let d = Direct {
        id: "a".into(),
        at: 3,
    };
    assert_eq!(<Direct as notes_model::Table>::TABLE_NAME, "direct");
    assert_eq!(d.key(), DirectKey::new("a", 3u64));
    assert_eq!(Direct::from_item(d.to_item().unwrap()).unwrap(), d);
    assert_eq!(Direct::AT.name(), "at");
}

fn default_rank() -> u32 {
    7
}

/// Reads `Option<bool>` strictly: with `deserialize_with`, serde treats a missing field as an
/// error even for an `Option`.
fn strict_flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Option::<bool>::deserialize(d)
}

/// One field for each way serde reads (or refuses) a missing attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[serde(rename_all = "camelCase")]
struct Presence {
    #[partition_key]
    user_id: String,
    #[sort_key]
    device_id: String,
    display_name: String,
    #[version]
    version: u64,
    status: Option<String>,
    #[serde(default)]
    seen_count: u64,
    #[serde(default = "default_rank")]
    rank: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    away_since: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    devices: Vec<String>,
    #[serde(skip_deserializing)]
    computed: u8,
    #[serde(deserialize_with = "strict_flag")]
    pinned: Option<bool>,
}

/// Every field may be absent: the struct's `Default` fills it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Item)]
#[serde(default, rename_all = "camelCase")]
struct Settings {
    #[partition_key]
    user_id: String,
    theme: String,
    font_size: u32,
}

#[test]
fn required_attributes_are_the_non_key_attributes_serde_cannot_read_absent() {
    assert_eq!(Note::REQUIRED_ATTRIBUTES, ["content", "createdAt"]);
    assert_eq!(
        Presence::REQUIRED_ATTRIBUTES,
        ["displayName", "version", "pinned"]
    );
    assert!(Settings::REQUIRED_ATTRIBUTES.is_empty());
    assert!(Session::REQUIRED_ATTRIBUTES.contains(&"user"));
}

/// What serde really does: an item without a required attribute does not read, an item
/// without any other attribute does.
#[test]
fn required_attributes_match_what_serde_reads() {
    let presence = Presence {
        user_id: "u1".into(),
        device_id: "d1".into(),
        display_name: "Ada".into(),
        version: 3,
        status: Some("online".into()),
        seen_count: 2,
        rank: 1,
        away_since: Some(5),
        devices: vec!["phone".into()],
        computed: 9,
        pinned: Some(true),
    };
    let full = presence.to_item().unwrap();
    assert_eq!(full.len(), 11, "every attribute is written: {full:?}");
    for name in full
        .keys()
        .filter(|n| !["userId", "deviceId"].contains(&n.as_str()))
    {
        let mut without = full.clone();
        without.remove(name);
        let read = Presence::from_item(without);
        let required = Presence::REQUIRED_ATTRIBUTES.contains(&name.as_str());
        assert_eq!(read.is_err(), required, "`{name}`: {read:?}");
    }
    let settings = Settings::from_item(ItemMap::from([(
        "userId".to_owned(),
        AttributeValue::S("u1".into()),
    )]))
    .unwrap();
    assert_eq!(settings.font_size, 0);
}

#[test]
fn attributes_that_may_be_absent_can_be_removed() {
    use notes_repo::expr::UpdateAction;

    for action in [
        Presence::STATUS.remove(),
        Presence::SEEN_COUNT.remove(),
        Presence::RANK.remove(),
        Presence::AWAY_SINCE.remove(),
        Presence::DEVICES.remove(),
        Presence::COMPUTED.remove(),
        Settings::THEME.remove(),
        Note::ATTACHMENT.remove(),
    ] {
        assert!(matches!(action, UpdateAction::Remove(_)), "{action:?}");
    }
}

#[derive(Serialize, Deserialize, Item)]
struct Profile {
    #[partition_key]
    user_id: String,
    nickname: Option<String>,
    avatar: Option<Vec<u8>>,
    age: Option<u32>,
}

#[test]
fn an_optional_attribute_takes_its_inner_value_a_literal_or_an_option() {
    use notes_repo::expr::{Condition, Operand, Path, SetValue, UpdateAction};

    let set = |path: &'static str, value: AttributeValue| {
        UpdateAction::Set(
            Path::attribute(path),
            SetValue::Value(Operand::Value(value)),
        )
    };
    let png = set("attachment", AttributeValue::S("a.png".into()));
    let name = "a.png".to_owned();
    assert_eq!(Note::ATTACHMENT.set("a.png"), png);
    assert_eq!(Note::ATTACHMENT.set(&name), png);
    assert_eq!(Note::ATTACHMENT.set(name.clone()), png);
    assert_eq!(Note::ATTACHMENT.set(Some(name)), png);
    assert_eq!(
        Note::ATTACHMENT.set(None),
        UpdateAction::Remove(Path::attribute("attachment"))
    );
    assert_eq!(
        Note::ATTACHMENT.eq("a.png"),
        Condition::Compare(
            Operand::Path(Path::attribute("attachment")),
            notes_repo::expr::Comparator::Eq,
            Operand::Value(AttributeValue::S("a.png".into())),
        )
    );
    assert_eq!(
        Profile::NICKNAME.set_if_not_exists("ann"),
        Profile::NICKNAME.set_if_not_exists(Some("ann".to_owned()))
    );
    let bytes = Profile::AVATAR.set(Some(vec![1, 2]));
    assert_eq!(Profile::AVATAR.set(b"\x01\x02"), bytes);
    assert_eq!(Profile::AVATAR.set(&[1u8, 2][..]), bytes);
    assert_eq!(Profile::AVATAR.set(vec![1, 2]), bytes);
    assert_eq!(
        Profile::AGE.set(30),
        set("age", AttributeValue::N("30".into()))
    );
    assert_eq!(Profile::AGE.add(1), Profile::AGE.add(Some(1)));
}
