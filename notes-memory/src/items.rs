//! Single-item operations, split into "prepare" (validate, check the condition, compute the
//! new image) and "commit" (store it), so transactions can prepare everything first.

use notes_model::expr::{Condition, Path, Update};
use notes_model::{IndexSchema, ItemMap, KeySchema, SharedItem};

use super::capacity::{read_units, write_units};
use super::key::ItemKey;
use super::meter::Meter;
use super::pending::EncodedPut;
use super::prepared::{Old, Prepared};
use super::table::{Stored, Table, canonicalize_item};
use super::update;
use crate::definition::Definition;
use crate::state::{Tables, not_found};
use notes_core::eval::{evaluate, project};
use notes_core::request::{
    DeleteItem, GetItem, GetItemOutput, PutItem, ReturnValues, ReturnValuesOnConditionCheckFailure,
    UpdateItem, WriteOutput,
};
use notes_core::validate;
use notes_core::{Error, Result};

/// The key of `key_map` and the item stored under it, once `condition` held for that item.
fn checked<'t>(
    table: &'t Table,
    key_map: &ItemMap,
    condition: Option<&Condition>,
) -> Result<(ItemKey, Option<&'t Stored>)> {
    checked_key(table, table.key_of(key_map)?, condition)
}

/// [`checked`] for a key already in ordering form.
fn checked_key<'t>(
    table: &'t Table,
    key: ItemKey,
    condition: Option<&Condition>,
) -> Result<(ItemKey, Option<&'t Stored>)> {
    let old = table.stored(&key);
    admitted(condition, old)?;
    Ok((key, old))
}

/// Whether `condition` holds for the stored item `old` (`None`: no item), as
/// `ConditionFailed` when it does not.
fn admitted(condition: Option<&Condition>, old: Option<&Stored>) -> Result<()> {
    match condition {
        Some(condition) if !evaluate(condition, old.map(|stored| &*stored.item)) => {
            // The stored item goes with the error; the operation keeps it only if asked to.
            Err(Error::ConditionFailed {
                item: old.map(|stored| ItemMap::clone(&stored.item)),
                retried: false,
                source: None,
            })
        }
        _ => Ok(()),
    }
}

/// Validates a put's parameters (before any item is read) against the table's key schema and
/// its indexes' (index key values included); answers the item's size and ordering key.
pub(crate) fn validate_put<'i>(
    item: &ItemMap,
    condition: Option<&Condition>,
    schema: &KeySchema,
    indexes: impl IntoIterator<Item = &'i IndexSchema>,
) -> Result<(usize, ItemKey)> {
    let (size, (partition, sort)) = validate::item_key_values(item, schema)?;
    for index in indexes {
        validate::index_key_values(index, item, false)?;
    }
    condition.map_or(Ok(()), validate::condition)?;
    Ok((size, ItemKey::of_values(partition, sort)?))
}

/// Validates a key and an optional condition.
pub(crate) fn validate_keyed(
    key: &ItemMap,
    condition: Option<&Condition>,
    schema: &KeySchema,
) -> Result<()> {
    validate::key(key, schema)?;
    condition.map_or(Ok(()), validate::condition)
}

/// A put of an item of `size` bytes (as [`validate_put`] measured it), checked against the
/// stored item; `answered`: the request returns the old image.
pub(crate) fn prepare_put(
    table: &Table,
    mut item: ItemMap,
    size: usize,
    condition: Option<&Condition>,
    answered: bool,
) -> Result<Prepared> {
    let (key, old) = checked(table, &item, condition)?;
    canonicalize_item(&mut item);
    let keep = Old::for_write(table, answered);
    Ok(Prepared::write(key, old, keep, Some(item), size))
}

/// An update, checked and applied to a copy of the stored item (or to the key alone);
/// `answered`: the request returns (part of) the old image.
pub(crate) fn prepare_update(
    table: &Table,
    key_map: &ItemMap,
    update: &Update,
    condition: Option<&Condition>,
    answered: bool,
) -> Result<Prepared> {
    let (key, old) = checked(table, key_map, condition)?;
    // DynamoDB refuses a write to a key attribute only once the condition held.
    validate::update_keeps_keys(update, &table.schema)?;
    let mut new = update::apply(old.map(|stored| &*stored.item), key_map, update)?;
    let size = validate::item(&new, &table.schema).map_err(|err| match err {
        Error::ItemTooLarge { message, source } => Error::ItemTooLarge {
            message: message.replacen("Item size has", "Item size to update has", 1),
            source,
        },
        other => other,
    })?;
    for index in &table.indexes {
        index.check_item(&new, true)?;
    }
    canonicalize_item(&mut new);
    let keep = Old::for_write(table, answered);
    Ok(Prepared::write(key, old, keep, Some(new), size))
}

/// A delete, checked against the stored item; `answered`: the request returns the old image.
pub(crate) fn prepare_delete(
    table: &Table,
    key_map: &ItemMap,
    condition: Option<&Condition>,
    answered: bool,
) -> Result<Prepared> {
    let (key, old) = checked(table, key_map, condition)?;
    let keep = Old::for_write(table, answered);
    Ok(Prepared::write(key, old, keep, None, 0))
}

/// A condition check: nothing is written.
pub(crate) fn prepare_check(
    table: &Table,
    key_map: &ItemMap,
    condition: &Condition,
) -> Result<Prepared> {
    let mut prepared = prepare_delete(table, key_map, Some(condition), false)?;
    prepared.new = prepared.old.clone();
    prepared.new_size = prepared.old_size;
    prepared.writes = false;
    Ok(prepared)
}

/// A write refused by its condition still costs the stored item's write units; the error
/// carries that item only when the request asked for it (`ReturnValuesOnConditionCheckFailure`).
fn refused(
    err: Error,
    table: &Table,
    meter: Meter,
    asked: ReturnValuesOnConditionCheckFailure,
) -> Error {
    match err {
        Error::ConditionFailed {
            item,
            retried,
            source,
        } => {
            if let Err(throttled) = meter.take_failed_write(table, item.as_ref()) {
                return throttled;
            }
            Error::ConditionFailed {
                item: match asked {
                    ReturnValuesOnConditionCheckFailure::AllOld => item,
                    _ => None,
                },
                retried,
                source,
            }
        }
        other => other,
    }
}

/// `PutItem` and `DeleteItem` return the old item or nothing. DynamoDB's refusal of the
/// others: "ReturnValues can only be ALL_OLD or NONE", in PutItem's answer framed as a
/// request validation error ("1 validation error detected: ...").
fn only_none_or_all_old(return_values: ReturnValues, framed: bool) -> Result<()> {
    const ONLY: &str = "ReturnValues can only be ALL_OLD or NONE";
    match return_values {
        ReturnValues::None | ReturnValues::AllOld => Ok(()),
        _ if framed => Err(Error::validation(format!(
            "1 validation error detected: {ONLY}"
        ))),
        _ => Err(Error::validation(ONLY)),
    }
}

/// Whether `ReturnValues` answers (part of) the image a write replaces.
fn answers_old(return_values: ReturnValues) -> bool {
    matches!(
        return_values,
        ReturnValues::AllOld | ReturnValues::UpdatedOld
    )
}

fn some_if_any(item: ItemMap) -> Option<ItemMap> {
    (!item.is_empty()).then_some(item)
}

impl Tables {
    pub(crate) fn get_item(&self, request: GetItem, meter: Meter) -> Result<GetItemOutput> {
        get_item(self.table(&request.table_name)?, &request, meter)
    }

    pub(crate) fn delete_item(&mut self, request: DeleteItem, meter: Meter) -> Result<WriteOutput> {
        only_none_or_all_old(request.return_values, false)?;
        let table = self.table_mut(&request.table_name)?;
        validate_keyed(&request.key, request.condition.as_ref(), &table.schema)?;
        let asked = request.return_values_on_condition_check_failure;
        let answered = answers_old(request.return_values);
        let prepared = prepare_delete(table, &request.key, request.condition.as_ref(), answered)
            .map_err(|err| refused(err, table, meter, asked))?;
        finish(table, prepared, request.return_values, &[], meter).map(|(output, _)| output)
    }

    pub(crate) fn update_item(&mut self, request: UpdateItem, meter: Meter) -> Result<WriteOutput> {
        let table = self.table_mut(&request.table_name)?;
        validate_keyed(&request.key, request.condition.as_ref(), &table.schema)?;
        // No actions is no `UpdateExpression` at all, which DynamoDB accepts: the item is
        // created with its key alone, or left as it is.
        validate::update_actions(&request.update)?;
        let asked = request.return_values_on_condition_check_failure;
        let prepared = prepare_update(
            table,
            &request.key,
            &request.update,
            request.condition.as_ref(),
            answers_old(request.return_values),
        )
        .map_err(|err| refused(err, table, meter, asked))?;
        let paths: Vec<Path> = request
            .update
            .actions
            .iter()
            .map(|a| a.path().clone())
            .collect();
        finish(table, prepared, request.return_values, &paths, meter).map(|(output, _)| output)
    }
}

/// A put checked and made ready before its table is locked (`write_item`, `locks.rs`): the
/// item validated, measured, keyed, in canonical form and (durable) encoded for the journal.
/// What is left for the lock is the condition, checked against the stored item, and the
/// swap.
#[derive(Debug)]
pub(crate) struct StagedPut {
    key: ItemKey,
    item: ItemMap,
    size: usize,
    condition: Option<Condition>,
    return_values: ReturnValues,
    asked: ReturnValuesOnConditionCheckFailure,
    /// The journal entry, on a durable backend.
    encoded: Option<EncodedPut>,
}

impl StagedPut {
    /// Checks `request` against its table's definition (`None`: no such table), with
    /// DynamoDB's errors in DynamoDB's order; encodes its journal entry when `durable`.
    pub(crate) fn new(
        request: PutItem,
        definition: Option<&Definition>,
        durable: bool,
    ) -> Result<Self> {
        only_none_or_all_old(request.return_values, true)?;
        let definition = definition.ok_or_else(|| not_found(&request.table_name))?;
        let (size, key) = validate_put(
            &request.item,
            request.condition.as_ref(),
            &definition.schema,
            &definition.indexes,
        )?;
        let mut item = request.item;
        canonicalize_item(&mut item);
        Ok(StagedPut {
            encoded: durable.then(|| EncodedPut::new(&item)),
            key,
            item,
            size,
            condition: request.condition,
            return_values: request.return_values,
            asked: request.return_values_on_condition_check_failure,
        })
    }

    /// Stores the put in `table` (write-locked, the table it was staged for) once its
    /// condition holds for the stored item: the answer, and the item it replaced, for the
    /// caller to free once the table is unlocked.
    pub(crate) fn commit(
        self,
        table: &mut Table,
        meter: Meter,
    ) -> Result<(WriteOutput, Option<SharedItem>)> {
        let StagedPut {
            key,
            item,
            size,
            condition,
            return_values,
            asked,
            encoded,
        } = self;
        if meter.is_free() && table.writes_alone() {
            // Nothing but the item's slot to read or change: one search for both.
            let new = Stored {
                item: item.into(),
                size,
            };
            let old = table
                .swap(key, new, |old| admitted(condition.as_ref(), old))
                .map_err(|err| refused(err, table, meter, asked))?;
            let old_size = old.as_ref().map_or(0, |old| old.size);
            let old = old.map(|old| old.item);
            let (answered, replaced) = match return_values {
                ReturnValues::AllOld => (old.map(SharedItem::into_owned), None),
                _ => (None, old),
            };
            let mut output = WriteOutput::new(answered);
            output.consumed_capacity = Some(write_units(old_size.max(size)));
            return Ok((output, replaced));
        }
        let (key, old) = checked_key(table, key, condition.as_ref())
            .map_err(|err| refused(err, table, meter, asked))?;
        let keep = Old::for_write(table, answers_old(return_values));
        let mut prepared = Prepared::write(key, old, keep, Some(item), size);
        prepared.encoded = encoded;
        finish(table, prepared, return_values, &[], meter)
    }
}

/// `GetItem` on `table`, the table it names.
pub(crate) fn get_item(table: &Table, request: &GetItem, meter: Meter) -> Result<GetItemOutput> {
    let key = ItemKey::of_key(&request.key, &table.schema)?;
    if let Some(paths) = &request.projection {
        validate::projection(paths)?;
    }
    meter.read(table, None, || {
        let stored = table.stored(&key);
        let size = stored.map_or(0, |stored| stored.size);
        Ok(GetItemOutput::new(
            stored.map(|stored| projected(&stored.item, request.projection.as_deref())),
        )
        .consumed_capacity(read_units(size, request.consistent_read)))
    })
}

/// Commits a prepared write and builds the `ReturnValues` image; answers it with the item
/// the write replaced.
fn finish(
    table: &mut Table,
    prepared: Prepared,
    return_values: ReturnValues,
    updated: &[Path],
    meter: Meter,
) -> Result<(WriteOutput, Option<SharedItem>)> {
    let table_units = prepared.write_units();
    meter.take_write(table, &prepared, table_units)?;
    let index_units: f64 = prepared.index_write_units(table).map(|(_, u)| u).sum();
    let consumed_capacity = Some(table_units + index_units);
    let attributes = match return_values {
        ReturnValues::None => None,
        ReturnValues::AllOld => prepared.old.clone(),
        ReturnValues::AllNew => prepared.new.clone(),
        ReturnValues::UpdatedOld => prepared
            .old
            .as_ref()
            .and_then(|i| some_if_any(project(i, updated))),
        ReturnValues::UpdatedNew => prepared
            .new
            .as_ref()
            .and_then(|i| some_if_any(project(i, updated))),
    };
    let replaced = prepared.commit(table);
    let mut output = WriteOutput::new(attributes);
    output.consumed_capacity = consumed_capacity;
    Ok((output, replaced))
}

/// The item, shared, or only the projected paths of it.
pub(crate) fn projected(item: &SharedItem, projection: Option<&[Path]>) -> SharedItem {
    match projection {
        Some(paths) => project(item, paths).into(),
        None => item.clone(),
    }
}
