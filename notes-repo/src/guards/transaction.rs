//! The guards of the items a [`WriteTransaction`](crate::WriteTransaction) writes: each action
//! on an item type with `#[unique]` attributes keeps them in the same transaction. When the
//! transaction is sent, the items of its puts (but not its creates), updates of unique
//! attributes and deletes are read (strongly consistent), each action gets the condition
//! that the unique attributes it sets still hold what was read, and the guard writes follow
//! the caller's actions, in the order of the actions they belong to.

use notes_core::request::TransactWrite;
use notes_core::{Backend, Error, Result, Traced};
use notes_model::expr::{Condition, Update};
use notes_model::unique::UniqueAttributes;
use notes_model::{ItemMap, KeySchema};

use super::key::{Guard, check_not_reserved, owned_by_another};
use super::plan::{Plan, Read, Write, and, sets_of_delete, sets_of_item, sets_of_update};
use super::send::{self, Cancelled, Layout, Role};

/// What a transaction must do for the guards of one action's item, once it is sent.
pub(crate) struct Guarded {
    /// The action's position among the caller's actions.
    pub(crate) index: usize,
    table: String,
    schema: KeySchema,
    /// The item's key.
    key: ItemMap,
    /// `Item::unique_attributes_of` of the item type.
    unique_of: fn(&ItemMap) -> UniqueAttributes,
    what: What,
}

/// The kind of write, with what it sets.
enum What {
    /// A put of `item`; a `create` reads nothing (there is no item).
    Put { item: ItemMap, create: bool },
    /// An update.
    Update(Update),
    /// A delete.
    Delete,
}

impl Guarded {
    /// The guards of a put of `item` (a create when `create`).
    pub(crate) fn put(
        table: &str,
        schema: KeySchema,
        unique_of: fn(&ItemMap) -> UniqueAttributes,
        item: ItemMap,
        create: bool,
        type_name: &str,
    ) -> Result<Guarded> {
        check_not_reserved(&item, &schema, type_name)?;
        let key = schema.extract_key(&item)?;
        Ok(Guarded::new(
            table,
            schema,
            key,
            unique_of,
            What::Put { item, create },
        ))
    }

    /// The guards of an update of the item with `key`; `None` when the update sets no unique
    /// attribute of an item type (a collection's are known once the item is read).
    pub(crate) fn update(
        table: &str,
        schema: KeySchema,
        unique_of: fn(&ItemMap) -> UniqueAttributes,
        key: ItemMap,
        update: Update,
        type_name: &str,
        collection: bool,
    ) -> Result<Option<Guarded>> {
        check_not_reserved(&key, &schema, type_name)?;
        if !collection && sets_of_update(unique_of(&ItemMap::new()), &update)?.is_empty() {
            return Ok(None);
        }
        Ok(Some(Guarded::new(
            table,
            schema,
            key,
            unique_of,
            What::Update(update),
        )))
    }

    /// The guards of a delete of the item with `key`.
    pub(crate) fn delete(
        table: &str,
        schema: KeySchema,
        unique_of: fn(&ItemMap) -> UniqueAttributes,
        key: ItemMap,
        type_name: &str,
    ) -> Result<Guarded> {
        check_not_reserved(&key, &schema, type_name)?;
        Ok(Guarded::new(table, schema, key, unique_of, What::Delete))
    }

    fn new(
        table: &str,
        schema: KeySchema,
        key: ItemMap,
        unique_of: fn(&ItemMap) -> UniqueAttributes,
        what: What,
    ) -> Guarded {
        Guarded {
            index: 0,
            table: table.to_owned(),
            schema,
            key,
            unique_of,
            what,
        }
    }

    /// The plan of this action's guards, given the item read (if it is read), releasing no
    /// guard whose key is in `not_mine`.
    fn plan(&self, before: Option<&ItemMap>, not_mine: &[ItemMap]) -> Result<Plan> {
        let empty = ItemMap::new();
        let (unique, sets, read) = match &self.what {
            What::Put { item, create } => {
                let unique = (self.unique_of)(item);
                let read = if *create {
                    Read::Nothing
                } else {
                    Read::Item(before)
                };
                (unique, sets_of_item(unique, item), read)
            }
            What::Update(update) => {
                let unique = (self.unique_of)(before.unwrap_or(&empty));
                (unique, sets_of_update(unique, update)?, Read::Item(before))
            }
            What::Delete => {
                let unique = (self.unique_of)(before.unwrap_or(&empty));
                (unique, sets_of_delete(unique), Read::Item(before))
            }
        };
        let write = Write {
            schema: &self.schema,
            unique,
            sets,
            not_mine,
        };
        Plan::new(&write, read)
    }

    fn reads(&self) -> bool {
        !matches!(self.what, What::Put { create: true, .. })
    }
}

/// Adds the guards of `guarded` to `actions` (the caller's): reads the items, adds each
/// action's condition on what was read, appends the guard writes. Answers where they are.
async fn add_guards<B: Backend>(
    backend: &Traced<B>,
    actions: &mut Vec<TransactWrite>,
    guarded: &[Guarded],
) -> Result<Layout> {
    let mut layout = Layout {
        items: actions.len(),
        guards: Vec::new(),
    };
    let mut guard_actions = Vec::new();
    for entry in guarded {
        let before = match entry.reads() {
            true => send::read(backend, &entry.table, entry.key.clone()).await?,
            false => None,
        };
        let plan = entry.plan(before.as_ref(), &[])?;
        // A guard another item holds (both hold the value: one was written before its guards
        // were) is not released: read first, since a transaction cannot be sent again with
        // the caller's token and other actions, as a single write is after a refused release.
        let mut not_mine = Vec::new();
        for guard in &plan.releases {
            let stored = send::read(backend, &entry.table, guard.key.clone()).await?;
            if stored.is_some_and(|stored| owned_by_another(&stored, &entry.key)) {
                not_mine.push(guard.key.clone());
            }
        }
        let plan = match not_mine.is_empty() {
            true => plan,
            false => entry.plan(before.as_ref(), &not_mine)?,
        };
        if let Some(action) = actions.get_mut(entry.index) {
            add_condition(action, plan.as_read.clone());
        }
        guard_actions.extend(plan.actions(&entry.table, &entry.schema, &entry.key));
        let roles = plan
            .releases
            .iter()
            .map(|g| (Role::Release, g))
            .chain(plan.claims.iter().map(|g| (Role::Claim, g)));
        for (role, guard) in roles {
            let same = |(table, _, other): &(String, Role, Guard)| {
                *table == entry.table && other.key == guard.key
            };
            if let Some((_, _, other)) = layout.guards.iter().find(|g| same(g)) {
                return Err(Error::validation(format!(
                    "two actions of the transaction write the guard of one value of the \
                     #[unique] attribute `{}` (a transaction writes an item at most once): \
                     send them in two transactions",
                    other.attribute
                )));
            }
            layout
                .guards
                .push((entry.table.clone(), role, guard.clone()));
        }
    }
    actions.extend(guard_actions);
    Ok(layout)
}

/// `condition` added to the action's own (an `AND`).
fn add_condition(action: &mut TransactWrite, more: Option<Condition>) {
    match action {
        TransactWrite::Put { condition, .. }
        | TransactWrite::Update { condition, .. }
        | TransactWrite::Delete { condition, .. } => *condition = and(condition.take(), more),
        TransactWrite::ConditionCheck { .. } => {}
    }
}

/// Sends the caller's `actions` with the guards of `guarded`, in one transaction. A claim
/// refused is [`Error::UniqueConflict`]; any other cancellation is the transaction's, whose
/// reasons name the caller's actions by their positions, then the guard writes.
pub(crate) async fn send<B: Backend>(
    backend: &Traced<B>,
    mut actions: Vec<TransactWrite>,
    guarded: &[Guarded],
    token: String,
) -> Result<()> {
    let layout = add_guards(backend, &mut actions, guarded).await?;
    crate::transaction_rules::check_action_count(actions.len())?;
    match send::transact(backend, actions, &layout, Some(token)).await? {
        Ok(()) => Ok(()),
        Err((Cancelled::Claim(table, guard), err)) => {
            let schema = guarded
                .iter()
                .find(|entry| entry.table == table)
                .map(|entry| &entry.schema);
            match schema {
                Some(schema) => Err(send::conflict(backend, &table, schema, &guard)
                    .await?
                    .unwrap_or(Error::UniqueConflict {
                        table,
                        attribute: guard.attribute.to_owned(),
                        owner: None,
                    })),
                None => Err(err),
            }
        }
        Err((_, err)) => Err(err),
    }
}
