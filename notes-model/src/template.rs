//! Key templates: stored key values computed from an item's fields (`USER#{user_id}`), so that
//! several item types (entities) share one table.
//!
//! `#[derive(Item)]` with `#[item(entity = "..", partition_key(template = ".."), ..)]`
//! generates the rendering and parsing code; this module holds what it calls: the
//! [`KeyComponent`] rendering rules, the [`Entity`] description, typed prefixes
//! ([`KeyPrefix`]) and the checks run when an item is read.
//!
//! # Rendering rules
//!
//! A string key sorts by the UTF-8 bytes of its value, so every component is rendered as text
//! that sorts in the order of its values:
//!
//! | type | rendered as | example |
//! | --- | --- | --- |
//! | `String` | itself | `2026-11-25` |
//! | `u8`, `u16`, `u32`, `u64`, `u128` | zero-padded to the type's largest value (3, 5, 10, 20, 39 digits) | `42u32` -> `0000000042` |
//! | `i8`, `i16`, `i32`, `i64` | zero or more: zero-padded to the type's digits (3, 5, 10, 19); negative: `-` then the distance from the type's minimum, zero-padded to the same digits | `42i32` -> `0000000042`, `-1i32` -> `-2147483647` |
//! | `uuid::Uuid` (feature `uuid`) | hyphenated lower case (fixed width: v7 ids sort by time) | `0192f1c2-...` |
//!
//! `-` (0x2D) sorts below every digit, so every negative number sorts before zero, and the
//! more negative, the smaller its distance from the minimum. Floats, `bool`, `usize`/`isize`
//! (their width depends on the platform) and `Option`s are refused at compile time: format
//! them into a `String` field of your own if you need them in a key.
//!
//! # Separators
//!
//! A `String` component must not contain the characters next to it in its template: the last
//! character of the text before it and the first of the text after it (its [`Separators`],
//! `#` and `#` for `{org}` in `ORG#{org}#MEMBER#{user}`). Otherwise two keys could render
//! alike (`acme#MEMBER` / `bob` and `acme` / `MEMBER#bob` would both be
//! `ORG#acme#MEMBER#MEMBER#bob`) and the stored key could not be read back. Such a value is
//! refused before anything is sent, with [`Error::KeyComponent`] naming the attribute, the
//! field, the character and the template: by `to_item` (every write), and by the typed
//! `Repo` for a key it is given (`get`, `update`, `delete`, a query's partition). With that
//! rule, rendering is injective and parsing gives back the components: a component ends at
//! the first occurrence of the separator after it, and a stored key that does not read back
//! exactly is refused. Fixed-width components (numbers, uuids) are delimited by their width
//! and need no rule. An empty `String` component is allowed (`ORG##MEMBER#bob`); a key whose
//! whole rendering is empty is refused as DynamoDB refuses an empty key value.
//!
//! Choose separators that sort below the characters of your values (`#`, 0x23, sorts below
//! digits and letters) so that `a` sorts before `a-b` in the key as in the field, and so that
//! a `begins_with` prefix built from leading components (`ORG#acme#`) matches exactly the keys
//! with those components.
//!
//! # Overloaded indexes
//!
//! An index key can be computed the same way
//! (`global_index(name = "gsi1", partition_key(name = "gsi1pk", template = "TAG#{tag}"), ..)`),
//! and several entities of a table can write the same index attributes. There, an `Option`
//! component is allowed: when it is `None`, neither index attribute is written and the item is
//! not in the index (a sparse index). An update that sets a component recomputes the index
//! attributes from the update's values and the key's components ([`update_of`]).

use std::fmt;
use std::marker::PhantomData;

use crate::error::Error;
use crate::expr::{Comparator, Condition, Operand, Path};
use crate::key::{KeySchema, describe_key};
use crate::value::{AttributeValue, ItemMap};

/// The entity type of an item stored with other entity types in one table, declared with
/// `#[item(entity = "note")]`.
///
/// ```
/// use notes_model::Entity;
///
/// let note = Entity::new("note", "_et");
/// assert_eq!((note.name, note.attribute), ("note", "_et"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Entity {
    /// The entity's name, stored in every item of this type.
    pub name: &'static str,
    /// The attribute that holds it (`_et` unless `entity_attribute = ".."` says otherwise).
    pub attribute: &'static str,
    /// The literal text the sort-key template starts with (`NOTE#` for
    /// `NOTE#{created_at}#{note_id}`), empty when it starts with a field or there is none:
    /// a query of this entity alone narrows its key condition to it.
    pub sort_prefix: &'static str,
}

impl Entity {
    /// The entity attribute's default name: `_et`, as DynamoDB Toolbox writes it.
    ///
    /// ```
    /// assert_eq!(notes_model::Entity::DEFAULT_ATTRIBUTE, "_et");
    /// ```
    pub const DEFAULT_ATTRIBUTE: &'static str = "_et";

    /// An entity named `name`, stored in `attribute`.
    ///
    /// ```
    /// let user = notes_model::Entity::new("user", "_et");
    /// assert_eq!(user.sort_prefix, "");
    /// ```
    pub const fn new(name: &'static str, attribute: &'static str) -> Self {
        Entity {
            name,
            attribute,
            sort_prefix: "",
        }
    }

    /// The condition "this item is of this entity": the filter of its queries and scans, and
    /// the check of its updates.
    ///
    /// ```
    /// use notes_model::expr::{Comparator, Condition, Operand};
    ///
    /// let note = notes_model::Entity::new("note", "_et");
    /// let Condition::Compare(Operand::Path(path), Comparator::Eq, _) = note.condition() else {
    ///     unreachable!()
    /// };
    /// assert_eq!(path.to_string(), "_et");
    /// ```
    pub fn condition(&self) -> Condition {
        Condition::Compare(
            Operand::Path(Path::attribute(self.attribute)),
            Comparator::Eq,
            Operand::Value(AttributeValue::S(self.name.to_owned())),
        )
    }

    /// This entity with the literal text its sort-key template starts with.
    ///
    /// ```
    /// let note = notes_model::Entity::new("note", "_et").with_sort_prefix("NOTE#");
    /// assert_eq!(note.sort_prefix, "NOTE#");
    /// ```
    pub const fn with_sort_prefix(mut self, prefix: &'static str) -> Self {
        self.sort_prefix = prefix;
        self
    }
}

/// A field type that can be a component of a key template: it renders as text that sorts in
/// the order of its values (see the [module documentation](self) for each type's rendering).
///
/// ```
/// use notes_model::KeyComponent;
///
/// let mut out = String::new();
/// 42u16.render(&mut out);
/// (-3i8).render(&mut out);
/// assert_eq!(out, "00042-125");
/// assert_eq!(u16::parse("00042"), Some(42));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a key template component: it has no rendering that sorts in order",
    label = "not renderable in a key template",
    note = "key template components are String, u8..u128 and i8..i64 (zero-padded to a fixed width), or uuid::Uuid; \
            format other values (floats, dates, enums) into a String field, or store them outside the key"
)]
pub trait KeyComponent: Clone + fmt::Debug + PartialEq + Send + Sync + 'static {
    /// Appends the value's text.
    fn render(&self, out: &mut String);

    /// The length of this component's text at the start of `text`, for fixed-width types;
    /// `None` for text delimited by the template's next literal.
    fn width(text: &str) -> Option<usize>;

    /// Reads a value back from exactly its text.
    fn parse(text: &str) -> Option<Self>;

    /// The first character of the value that is one of the `separators` around it in its
    /// template, which it must not contain (a `String` only: fixed-width renderings are
    /// delimited by their width).
    ///
    /// ```
    /// use notes_model::KeyComponent;
    /// use notes_model::template::Separators;
    ///
    /// let around = Separators::around("ORG#", "#MEMBER#");
    /// assert_eq!("acme#MEMBER".to_owned().separator_in(around), Some('#'));
    /// assert_eq!("acme".to_owned().separator_in(around), None);
    /// assert_eq!(7u8.separator_in(around), None);
    /// ```
    fn separator_in(&self, separators: Separators) -> Option<char> {
        let _ = separators;
        None
    }
}

/// The characters a `String` component of a template must not contain: the last character of
/// the literal text before it and the first of the text after it (`None` at either end of
/// the template). See the [module documentation](self#separators).
///
/// ```
/// use notes_model::template::Separators;
///
/// let around = Separators::around("NOTE#", "");
/// assert_eq!((around.before, around.after), (Some('#'), None));
/// assert!(around.contains('#') && !around.contains('-'));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Separators {
    /// The last character of the text before the component.
    pub before: Option<char>,
    /// The first character of the text after it: where the component ends.
    pub after: Option<char>,
}

impl Separators {
    /// The separators of a component between the literal texts `before` and `after` (each
    /// empty when the component starts or ends the template).
    #[inline]
    pub fn around(before: &str, after: &str) -> Self {
        Separators {
            before: before.chars().next_back(),
            after: after.chars().next(),
        }
    }

    /// Whether `ch` is one of them.
    #[inline]
    pub fn contains(self, ch: char) -> bool {
        self.before == Some(ch) || self.after == Some(ch)
    }

    /// The first character of `text` that is one of them.
    ///
    /// ```
    /// let around = notes_model::template::Separators::around("ORG#", "#");
    /// assert_eq!(around.first_in("a-b#c"), Some('#'));
    /// ```
    #[inline]
    pub fn first_in(self, text: &str) -> Option<char> {
        if self == Separators::default() {
            return None;
        }
        text.chars().find(|ch| self.contains(*ch))
    }
}

/// A `String` key component refused for holding one of its [`Separators`]: the fields of
/// [`Error::KeyComponent`], kept by a prefix or a query until it would be sent, and refused
/// then.
///
/// ```
/// use notes_model::{Error, template::Refused};
///
/// let refused = Refused::new::<String>("pk", "ORG#{org}", "org", '#');
/// assert_eq!(Refused::of(&refused.error()), Some(refused));
/// assert!(matches!(refused.error(), Error::KeyComponent { separator: '#', .. }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    type_name: &'static str,
    attribute: &'static str,
    template: &'static str,
    field: &'static str,
    separator: char,
}

impl Refused {
    /// Field `field` of item type `T` holds `separator`, a separator next to it in
    /// `template`, the template of key attribute `attribute`.
    pub fn new<T: ?Sized>(
        attribute: &'static str,
        template: &'static str,
        field: &'static str,
        separator: char,
    ) -> Self {
        Refused {
            type_name: std::any::type_name::<T>(),
            attribute,
            template,
            field,
            separator,
        }
    }

    /// The refusal of an [`Error::KeyComponent`] (`None` for any other error).
    pub fn of(error: &Error) -> Option<Self> {
        match *error {
            Error::KeyComponent {
                type_name,
                attribute,
                template,
                field,
                separator,
            } => Some(Refused {
                type_name,
                attribute,
                template,
                field,
                separator,
            }),
            _ => None,
        }
    }

    /// The error: [`Error::KeyComponent`].
    pub fn error(self) -> Error {
        Error::KeyComponent {
            type_name: self.type_name,
            attribute: self.attribute,
            template: self.template,
            field: self.field,
            separator: self.separator,
        }
    }
}

impl KeyComponent for String {
    fn render(&self, out: &mut String) {
        out.push_str(self);
    }
    fn width(_: &str) -> Option<usize> {
        None
    }
    fn parse(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
    fn separator_in(&self, separators: Separators) -> Option<char> {
        separators.first_in(self)
    }
}

/// Writes `value` zero-padded to `digits` digits.
fn pad(out: &mut String, value: u128, digits: usize) {
    use fmt::Write as _;
    let _ = write!(out, "{value:0digits$}");
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

macro_rules! unsigned_components {
    ($($t:ty => $digits:literal),*) => {$(
        impl KeyComponent for $t {
            #[inline]
            fn render(&self, out: &mut String) {
                pad(out, u128::from(*self), $digits);
            }
            fn width(_: &str) -> Option<usize> {
                Some($digits)
            }
            fn parse(text: &str) -> Option<Self> {
                if text.len() != $digits || !all_digits(text) {
                    return None;
                }
                text.parse().ok()
            }
        }
    )*};
}
unsigned_components!(u8 => 3, u16 => 5, u32 => 10, u64 => 20, u128 => 39);

macro_rules! signed_components {
    ($($t:ty => $digits:literal),*) => {$(
        impl KeyComponent for $t {
            #[inline]
            fn render(&self, out: &mut String) {
                if *self >= 0 {
                    pad(out, *self as u128, $digits);
                } else {
                    out.push('-');
                    // The distance from the minimum: 0 for MIN, MAX for -1.
                    pad(out, (i128::from(*self) - i128::from(<$t>::MIN)) as u128, $digits);
                }
            }
            fn width(text: &str) -> Option<usize> {
                Some(if text.starts_with('-') { $digits + 1 } else { $digits })
            }
            fn parse(text: &str) -> Option<Self> {
                match text.strip_prefix('-') {
                    Some(digits) => {
                        if digits.len() != $digits || !all_digits(digits) {
                            return None;
                        }
                        let distance: i128 = digits.parse().ok()?;
                        let value = i128::from(<$t>::MIN) + distance;
                        if value >= 0 {
                            return None; // zero and up are written without a sign
                        }
                        <$t>::try_from(value).ok()
                    }
                    None => {
                        if text.len() != $digits || !all_digits(text) {
                            return None;
                        }
                        text.parse().ok()
                    }
                }
            }
        }
    )*};
}
signed_components!(i8 => 3, i16 => 5, i32 => 10, i64 => 19);

#[cfg(feature = "uuid")]
#[cfg_attr(docsrs, doc(cfg(feature = "uuid")))]
impl KeyComponent for uuid::Uuid {
    fn render(&self, out: &mut String) {
        let mut buffer = uuid::Uuid::encode_buffer();
        out.push_str(self.hyphenated().encode_lower(&mut buffer));
    }
    fn width(_: &str) -> Option<usize> {
        Some(uuid::fmt::Hyphenated::LENGTH)
    }
    fn parse(text: &str) -> Option<Self> {
        let value = uuid::Uuid::try_parse(text).ok()?;
        // Only the rendering itself: upper case or another format would be another key.
        let mut buffer = uuid::Uuid::encode_buffer();
        (value.hyphenated().encode_lower(&mut buffer) == text).then_some(value)
    }
}

/// Reads the component of type `C` at the start of `text`, delimited by its fixed width or by
/// the first occurrence of its separator after it (none: the last component takes the rest).
/// Returns the value and the text after it, or `None` when the text is not a rendering (a
/// value holding one of its `separators` never is). Used by the generated parsers.
///
/// ```
/// use notes_model::template::{Separators, take};
///
/// let around = Separators::around("NOTE#", "#");
/// let (day, rest) = take::<String>("2026-11-25#n1", around).unwrap();
/// assert_eq!((day.as_str(), rest), ("2026-11-25", "#n1"));
/// let (n, rest) = take::<u16>("00042x", Separators::around("", "x")).unwrap();
/// assert_eq!((n, rest), (42, "x"));
/// // The last component of `NOTE#{note_id}` cannot hold the `#` before it.
/// assert_eq!(take::<String>("a#b", Separators::around("NOTE#", "")), None);
/// ```
pub fn take<C: KeyComponent>(text: &str, separators: Separators) -> Option<(C, &str)> {
    let len = match C::width(text) {
        Some(width) => width,
        None => match separators.after {
            Some(separator) => text.find(separator)?,
            None => text.len(),
        },
    };
    let (head, tail) = text.split_at_checked(len)?;
    let value = C::parse(head)?;
    if value.separator_in(separators).is_some() {
        return None;
    }
    Some((value, tail))
}

/// The generated code's access to a component's rendering, chosen at compile time like
/// [`crate::convert::Slot`]: `(&&Component::<T>::new()).render_component(..)` is
/// [`KeyComponent`]'s when `T` implements it, and otherwise a stand-in that is never run (the
/// derive's assertion on the field's type is then the one error the compiler reports).
#[doc(hidden)]
pub struct Component<T>(PhantomData<fn() -> T>);

impl<T> Component<T> {
    /// The accessor of type `T`.
    #[inline]
    pub const fn new() -> Self {
        Component(PhantomData)
    }
}

impl<T> Default for Component<T> {
    fn default() -> Self {
        Component::new()
    }
}

/// [`KeyComponent`]'s operations, for the generated code.
#[doc(hidden)]
pub trait ComponentOps<T> {
    /// [`KeyComponent::render`].
    fn render_component(&self, value: &T, out: &mut String);
    /// [`take`].
    fn take_component<'t>(&self, text: &'t str, separators: Separators) -> Option<(T, &'t str)>;
    /// [`KeyComponent::separator_in`].
    fn separator_component(&self, value: &T, separators: Separators) -> Option<char>;
}

impl<T: KeyComponent> ComponentOps<T> for &Component<T> {
    #[inline]
    fn render_component(&self, value: &T, out: &mut String) {
        value.render(out);
    }
    #[inline]
    fn take_component<'t>(&self, text: &'t str, separators: Separators) -> Option<(T, &'t str)> {
        take(text, separators)
    }
    #[inline]
    fn separator_component(&self, value: &T, separators: Separators) -> Option<char> {
        value.separator_in(separators)
    }
}

/// The stand-in for a type that is not a [`KeyComponent`]: only ever compiled next to the
/// compile error that says so.
#[doc(hidden)]
pub trait ComponentFallback<T> {
    /// Never called.
    fn render_component(&self, value: &T, out: &mut String);
    /// Never called.
    fn take_component<'t>(&self, text: &'t str, separators: Separators) -> Option<(T, &'t str)>;
    /// Never called.
    fn separator_component(&self, value: &T, separators: Separators) -> Option<char>;
}

impl<T> ComponentFallback<T> for Component<T> {
    fn render_component(&self, _: &T, _: &mut String) {
        unreachable!("not a key component")
    }
    fn take_component<'t>(&self, _: &'t str, _: Separators) -> Option<(T, &'t str)> {
        unreachable!("not a key component")
    }
    fn separator_component(&self, _: &T, _: Separators) -> Option<char> {
        unreachable!("not a key component")
    }
}

/// A `begins_with` prefix of a templated key whose value type is `K`, made by the generated
/// prefix builders (`NoteSort::prefix().created_at_starts_with("2026-11")`), so that a caller
/// never spells the template's literal text.
///
/// ```
/// use notes_model::KeyPrefix;
///
/// let prefix: KeyPrefix<String> = KeyPrefix::new("NOTE#".to_owned());
/// assert_eq!(prefix.as_str(), "NOTE#");
/// ```
pub struct KeyPrefix<K> {
    text: String,
    refused: Option<Refused>,
    marker: PhantomData<fn() -> K>,
}

impl<K> KeyPrefix<K> {
    /// A prefix of rendered key text. The generated builders call it; a hand-made prefix is
    /// not checked against any template.
    pub fn new(text: String) -> Self {
        KeyPrefix::with_refusal(text, None)
    }

    /// A prefix built from a component the template refuses (it holds a separator), or from
    /// none (`None`): a query with a refused prefix answers [`Error::KeyComponent`] before
    /// anything is sent, since its text could match the keys of other components.
    pub fn with_refusal(text: String, refused: Option<Refused>) -> Self {
        KeyPrefix {
            text,
            refused,
            marker: PhantomData,
        }
    }

    /// [`Error::KeyComponent`] when the prefix was built from a refused component.
    ///
    /// ```
    /// use notes_model::{KeyPrefix, template::Refused};
    ///
    /// assert!(KeyPrefix::<String>::new("ORG#acme#".into()).check().is_ok());
    /// let refused = Refused::new::<String>("sk", "ORG#{org}#{user}", "org", '#');
    /// let prefix = KeyPrefix::<String>::with_refusal("ORG#a#b#".into(), Some(refused));
    /// assert!(prefix.check().is_err());
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        self.refused.map_or(Ok(()), |refused| Err(refused.error()))
    }

    /// The rendered prefix.
    ///
    /// ```
    /// let prefix = notes_model::KeyPrefix::<String>::new("USER#".into());
    /// assert_eq!(prefix.into_string(), "USER#");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The rendered prefix, owned.
    ///
    /// See [`KeyPrefix::as_str`].
    pub fn into_string(self) -> String {
        self.text
    }
}

impl<K> Clone for KeyPrefix<K> {
    fn clone(&self) -> Self {
        KeyPrefix::with_refusal(self.text.clone(), self.refused)
    }
}

impl<K> fmt::Debug for KeyPrefix<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("KeyPrefix").field(&self.text).finish()
    }
}

impl<K> PartialEq for KeyPrefix<K> {
    fn eq(&self, other: &Self) -> bool {
        (&self.text, self.refused) == (&other.text, other.refused)
    }
}

/// Checks that `item` is of `entity` before it is read as `T`: a missing or other entity
/// attribute is [`Error::Entity`]. Called by the generated `from_item`.
pub fn check_entity<T: ?Sized>(
    item: &ItemMap,
    schema: &KeySchema,
    entity: &Entity,
) -> Result<(), Error> {
    match item.get(entity.attribute) {
        Some(AttributeValue::S(found)) if found == entity.name => Ok(()),
        other => Err(entity_error::<T>(item, schema, entity, other)),
    }
}

#[cold]
fn entity_error<T: ?Sized>(
    item: &ItemMap,
    schema: &KeySchema,
    entity: &Entity,
    found: Option<&AttributeValue>,
) -> Error {
    Error::Entity {
        type_name: std::any::type_name::<T>(),
        attribute: entity.attribute,
        expected: entity.name,
        found: found.map(|value| match value {
            AttributeValue::S(s) => s.clone(),
            other => format!("<{}>", crate::value::type_descriptor(other)),
        }),
        key: describe_key(item, schema),
    }
}

/// Checks that the stored key attribute `attribute` of `item` is `expected` (what the item's
/// fields render with `template`): otherwise [`Error::KeyTemplate`]. Called by the generated
/// `from_item`.
pub fn check_stored<T: ?Sized>(
    item: &ItemMap,
    schema: &KeySchema,
    attribute: &'static str,
    template: &'static str,
    expected: &str,
) -> Result<(), Error> {
    match item.get(attribute) {
        Some(AttributeValue::S(found)) if found == expected => Ok(()),
        found => Err(Error::KeyTemplate {
            type_name: std::any::type_name::<T>(),
            attribute,
            template,
            expected: expected.to_owned(),
            found: found.map(|value| match value {
                AttributeValue::S(s) => s.clone(),
                other => format!("<{}>", crate::value::type_descriptor(other)),
            }),
            key: describe_key(item, schema),
        }),
    }
}

/// Checks that the computed index attribute `attribute` is absent from `item`, whose index
/// components include a `None` (a sparse index): otherwise [`Error::KeyTemplate`]. Called by
/// the generated `from_item`.
pub fn check_absent<T: ?Sized>(
    item: &ItemMap,
    schema: &KeySchema,
    attribute: &'static str,
    template: &'static str,
) -> Result<(), Error> {
    match item.get(attribute) {
        None => Ok(()),
        Some(found) => Err(Error::KeyTemplate {
            type_name: std::any::type_name::<T>(),
            attribute,
            template,
            expected: "(absent: a component is None, so the item is not in the index)".to_owned(),
            found: Some(match found {
                AttributeValue::S(s) => s.clone(),
                other => format!("<{}>", crate::value::type_descriptor(other)),
            }),
            key: describe_key(item, schema),
        }),
    }
}

/// What an update does to the top-level attribute `name`: `Some(Some(value))` when it sets
/// it to a value, `Some(None)` when it removes it, `None` otherwise. Called by the generated
/// [`Item::computed_updates`](crate::Item::computed_updates).
///
/// ```
/// use notes_model::{AttributeValue, Note, template::update_of};
///
/// let update = Note::CONTENT.set("x").into();
/// assert_eq!(update_of(&update, "content"), Some(Some(&AttributeValue::S("x".into()))));
/// assert_eq!(update_of(&update, "userId"), None);
/// ```
pub fn update_of<'u>(
    update: &'u crate::expr::Update,
    name: &str,
) -> Option<Option<&'u AttributeValue>> {
    use crate::expr::{SetValue, UpdateAction};
    update.actions.iter().rev().find_map(|action| {
        if action.path().top_level() != Some(name) || action.path().elements.len() != 1 {
            return None;
        }
        match action {
            UpdateAction::Set(_, SetValue::Value(Operand::Value(value))) => Some(Some(value)),
            UpdateAction::Remove(_) => Some(None),
            _ => None,
        }
    })
}

/// Whether `update` writes any of the top-level attributes `names`. Called by the generated
/// [`Item::computed_updates`](crate::Item::computed_updates).
pub fn touches(update: &crate::expr::Update, names: &[&str]) -> bool {
    update.actions.iter().any(|action| {
        action
            .path()
            .top_level()
            .is_some_and(|name| names.contains(&name))
    })
}

/// The error of an update that sets some of an index template's components but not
/// `missing`. Called by the generated [`Item::computed_updates`](crate::Item::computed_updates).
#[cold]
pub fn missing_component<T: ?Sized>(
    update: &crate::expr::Update,
    index: &'static str,
    attribute: &'static str,
    template: &'static str,
    components: &[&'static str],
    missing: &'static str,
) -> Error {
    let set = components
        .iter()
        .copied()
        .find(|name| touches(update, &[name]))
        .unwrap_or(missing);
    Error::IndexComponents {
        type_name: std::any::type_name::<T>(),
        index,
        attribute,
        template,
        set,
        missing,
    }
}

/// The error of a `String` component that contains `separator`, one of the [`Separators`]
/// around it in its template. Called by the generated `to_item` and key checks.
#[cold]
pub fn separator_error<T: ?Sized>(
    attribute: &'static str,
    template: &'static str,
    field: &'static str,
    separator: char,
) -> Error {
    Refused::new::<T>(attribute, template, field, separator).error()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered<C: KeyComponent>(value: C) -> String {
        let mut out = String::new();
        value.render(&mut out);
        out
    }

    /// A small deterministic generator (xorshift), so the property runs the same every time.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    /// Every value, rendered, sorts as a string in numeric order, has its type's width and
    /// reads back as itself.
    fn sorts_in_order<C: KeyComponent + Ord + Copy>(mut values: Vec<C>) {
        values.sort();
        values.dedup();
        let texts: Vec<String> = values.iter().map(|v| rendered(*v)).collect();
        for (pair, values) in texts.windows(2).zip(values.windows(2)) {
            assert!(
                pair[0] < pair[1],
                "{:?} renders {:?}, not below {:?} for {:?}",
                values[0],
                pair[0],
                pair[1],
                values[1]
            );
        }
        for (value, text) in values.iter().zip(&texts) {
            assert_eq!(C::width(text), Some(text.len()), "{text}");
            assert_eq!(C::parse(text), Some(*value), "{text}");
            let with_tail = format!("{text}#tail");
            let (read, rest) = take::<C>(&with_tail, Separators::around("", "#")).unwrap();
            assert_eq!((read, rest), (*value, "#tail"));
        }
    }

    macro_rules! property {
        ($name:ident, $t:ty) => {
            #[test]
            fn $name() {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
                let mut values: Vec<$t> = vec![<$t>::MIN, <$t>::MAX, 0 as $t, 1 as $t];
                values.extend([<$t>::MIN.wrapping_add(1), <$t>::MAX.wrapping_sub(1)]);
                #[allow(unused_comparisons)]
                if <$t>::MIN < 0 as $t {
                    values.extend([(0 as $t).wrapping_sub(1), (0 as $t).wrapping_sub(2)]);
                }
                for i in 0..10_000 {
                    let raw = (u128::from(rng.next()) << 64) | u128::from(rng.next());
                    // Small values too, where padding matters most.
                    let raw = if i % 2 == 0 { raw % 1000 } else { raw };
                    let value = raw as $t;
                    values.push(value);
                    values.push((0 as $t).wrapping_sub(value));
                }
                sorts_in_order(values);
            }
        };
    }
    property!(u8_sorts_in_order, u8);
    property!(u16_sorts_in_order, u16);
    property!(u32_sorts_in_order, u32);
    property!(u64_sorts_in_order, u64);
    property!(u128_sorts_in_order, u128);
    property!(i8_sorts_in_order, i8);
    property!(i16_sorts_in_order, i16);
    property!(i32_sorts_in_order, i32);
    property!(i64_sorts_in_order, i64);

    #[test]
    fn numbers_render_fixed_width_with_sign_handling() {
        assert_eq!(rendered(0u64), "00000000000000000000");
        assert_eq!(rendered(u64::MAX), "18446744073709551615");
        assert_eq!(rendered(0i64), "0000000000000000000");
        assert_eq!(rendered(i64::MAX), "9223372036854775807");
        assert_eq!(rendered(-1i64), "-9223372036854775807");
        assert_eq!(rendered(i64::MIN), "-0000000000000000000");
        assert_eq!(rendered(-128i8), "-000");
        assert_eq!(rendered(127i8), "127");
    }

    #[test]
    fn only_the_rendering_parses() {
        assert_eq!(u8::parse("42"), None); // not padded
        assert_eq!(u8::parse("+42"), None);
        assert_eq!(i8::parse("-128"), None); // distance 128 > MAX
        assert_eq!(i8::parse("-127"), Some(-1));
        assert_eq!(u32::parse("000000004x"), None);
        assert_eq!(
            take::<String>("no separator", Separators::around("", "#")),
            None
        );
        assert_eq!(
            take::<String>("all of it", Separators::around("#", "")),
            Some(("all of it".to_owned(), ""))
        );
    }

    #[test]
    fn a_string_must_not_hold_the_separators_around_it() {
        let around = Separators::around("ORG#", "#MEMBER#");
        assert_eq!("2026-11-25".to_owned().separator_in(around), None);
        assert_eq!("a#b".to_owned().separator_in(around), Some('#'));
        assert_eq!(7u8.separator_in(around), None);
        // Only the characters next to it: `M` of `#MEMBER#` is not a separator.
        assert_eq!("MEMBER".to_owned().separator_in(around), None);
        // Unicode separators are characters, not bytes.
        let arrows = Separators::around("→", "→");
        assert_eq!("a→b".to_owned().separator_in(arrows), Some('→'));
        assert_eq!("a\u{2191}b".to_owned().separator_in(arrows), None);
        // A template of one component has none: anything goes.
        assert_eq!(
            "a#b".to_owned().separator_in(Separators::around("", "")),
            None
        );
    }
}
