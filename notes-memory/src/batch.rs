//! `BatchGetItem`, `BatchWriteItem`, `TransactGetItems` and `TransactWriteItems`.
//!
//! Batches are validated as a whole before anything is read or written (limits, tables, keys,
//! duplicates). A `BatchGetItem` returns at most 16 MB of items, as DynamoDB does: the keys it
//! did not get to come back as `UnprocessedKeys`. With throughput enforced, keys and writes
//! whose table has no capacity left come back unprocessed too (`meter.rs`).
//! Transactions check every condition and compute every new image first, and only then write
//! them all, under the one write lock the caller holds: all or nothing.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::capacity::{read_units, transactional};
use super::durable;
use super::items::{
    prepare_check, prepare_delete, prepare_put, prepare_update, projected, validate_keyed,
    validate_put,
};
use super::key::ItemKey;
use super::meter::Meter;
use super::prepared::Prepared;
use super::tokens::{Fingerprint, check_token};
use crate::state::Tables;
use notes_core::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, KeysAndAttributes,
    TransactGetItems, TransactGetItemsOutput, TransactWrite, TransactWriteItems,
    TransactWriteItemsOutput, WriteRequest,
};
use notes_core::validate;
use notes_core::{CancellationReason, Error, Result};

const MAX_BATCH_GET: usize = 100;
const MAX_BATCH_WRITE: usize = 25;
const MAX_TRANSACT: usize = 100;
/// The most item data one `BatchGetItem` response carries; the rest is `UnprocessedKeys`.
const MAX_BATCH_GET_RESPONSE: usize = 16 * 1024 * 1024;

fn too_few(field: &str) -> Error {
    Error::validation(format!(
        "1 validation error detected: Value at '{field}' failed to satisfy constraint: Member \
         must have length greater than or equal to 1"
    ))
}

fn duplicates(table: &str) -> Error {
    Error::validation(format!(
        "Provided list of item keys contains duplicates (table {table})"
    ))
}

fn same_item_twice(index: usize) -> Error {
    Error::validation(format!(
        "Transaction request cannot include multiple operations on one item (action {index} \
         repeats the key of an earlier action)"
    ))
}

impl Tables {
    pub(crate) fn batch_get_item(
        &self,
        request: BatchGetItem,
        meter: Meter,
    ) -> Result<BatchGetItemOutput> {
        if request.request_items.is_empty() {
            return Err(too_few("requestItems"));
        }
        // DynamoDB holds one table's keys to the member constraint, and only a request over
        // the limit in total across tables to "Too many items requested".
        if let Some((name, _)) = request
            .request_items
            .iter()
            .find(|(_, wanted)| wanted.keys.len() > MAX_BATCH_GET)
        {
            return Err(Error::validation(format!(
                "1 validation error detected: Value at 'RequestItems.{name}.member.Keys' failed \
                 to satisfy constraint: Member must have length less than or equal to \
                 {MAX_BATCH_GET}"
            )));
        }
        let total: usize = request.request_items.values().map(|k| k.keys.len()).sum();
        if total > MAX_BATCH_GET {
            return Err(Error::validation(format!(
                "Too many items requested for the BatchGetItem call ({total} keys; the limit is \
                 {MAX_BATCH_GET})"
            )));
        }
        let mut plans = Vec::with_capacity(request.request_items.len());
        for (name, wanted) in &request.request_items {
            let table = self.table(name)?;
            if wanted.keys.is_empty() {
                return Err(too_few(&format!("requestItems.{name}.member.keys")));
            }
            if let Some(paths) = &wanted.projection {
                validate::projection(paths)?;
            }
            let mut seen = HashSet::with_capacity(wanted.keys.len());
            let mut keys = Vec::with_capacity(wanted.keys.len());
            for key in &wanted.keys {
                let key = ItemKey::of_key(key, &table.schema)?;
                if !seen.insert(key.clone()) {
                    return Err(duplicates(name));
                }
                keys.push(key);
            }
            plans.push((name, table, wanted, keys));
        }
        let mut output = BatchGetItemOutput::default();
        let mut units = 0.0;
        // The response cap counts whole items (before projection), in request order; once an
        // item does not fit, it and every key after it are left for the caller to send again.
        let mut size = 0;
        let mut full = false;
        // Keys are metered one by one: those whose table's bucket is empty are left too.
        let mut read = 0;
        let mut throttled = None;
        for (name, table, wanted, keys) in plans {
            let found = output.responses.entry(name.clone()).or_default();
            let mut left = Vec::new();
            for (key, asked) in keys.iter().zip(&wanted.keys) {
                let stored = table.stored(key);
                let item = stored.map(|stored| &stored.item);
                let item_size = stored.map_or(0, |stored| stored.size);
                full = full || size + item_size > MAX_BATCH_GET_RESPONSE;
                let item_units = read_units(item_size, wanted.consistent_read);
                let taken = !full && {
                    let taken = meter.take_read(table, None, item_units);
                    if let Err(err) = taken {
                        throttled = Some(err);
                        false
                    } else {
                        true
                    }
                };
                if !taken {
                    left.push(asked.clone());
                    continue;
                }
                size += item_size;
                read += 1;
                units += item_units;
                if let Some(item) = item {
                    found.push(projected(item, wanted.projection.as_deref()));
                }
            }
            if !left.is_empty() {
                let mut rest = KeysAndAttributes::new(left).consistent_read(wanted.consistent_read);
                rest.projection = wanted.projection.clone();
                output.unprocessed_keys.insert(name.clone(), rest);
            }
        }
        if read == 0
            && let Some(err) = throttled
        {
            return Err(err);
        }
        output.consumed_capacity = Some(units);
        Ok(output)
    }

    pub(crate) fn batch_write_item(
        &mut self,
        request: BatchWriteItem,
        meter: Meter,
    ) -> Result<BatchWriteItemOutput> {
        if request.request_items.is_empty() {
            return Err(too_few("requestItems"));
        }
        let total: usize = request.request_items.values().map(Vec::len).sum();
        if total > MAX_BATCH_WRITE {
            return Err(Error::validation(format!(
                "1 validation error detected: Value at 'requestItems' failed to satisfy \
                 constraint: Map value must satisfy constraint: [Member must have length less \
                 than or equal to {MAX_BATCH_WRITE}, Member must have length greater than or \
                 equal to 1] ({total} write requests)"
            )));
        }
        let mut prepared: Vec<(&String, &WriteRequest, Prepared)> = Vec::with_capacity(total);
        for (name, writes) in &request.request_items {
            let table = self.table(name)?;
            if writes.is_empty() {
                return Err(too_few(&format!("requestItems.{name}.member")));
            }
            let mut seen = HashSet::with_capacity(writes.len());
            for write in writes {
                let p = match write {
                    WriteRequest::Put(item) => {
                        let indexes = table.indexes.iter().map(|i| &i.schema);
                        let (size, _) = validate_put(item, None, &table.schema, indexes)?;
                        prepare_put(table, item.clone(), size, None, false)?
                    }
                    WriteRequest::Delete(key) => {
                        validate_keyed(key, None, &table.schema)?;
                        prepare_delete(table, key, None, false)?
                    }
                };
                if !seen.insert(p.key.clone()) {
                    return Err(duplicates(name));
                }
                prepared.push((name, write, p));
            }
        }
        let mut units = 0.0;
        // Writes are metered one by one: those whose table's buckets are empty are left
        // unprocessed; a batch of which none could be written is throttled.
        let mut unprocessed: HashMap<String, Vec<WriteRequest>> = HashMap::new();
        let mut throttled = None;
        let mut written = 0;
        for (name, write, p) in prepared {
            let table = self.table_mut(name)?;
            let table_units = p.write_units();
            if let Err(err) = meter.take_write(table, &p, table_units) {
                unprocessed
                    .entry(name.clone())
                    .or_default()
                    .push(write.clone());
                throttled = Some(err);
                continue;
            }
            units += table_units + p.index_write_units(table).map(|(_, u)| u).sum::<f64>();
            p.commit(table);
            written += 1;
        }
        if written == 0
            && let Some(err) = throttled
        {
            return Err(err);
        }
        Ok(BatchWriteItemOutput::new(unprocessed).consumed_capacity(units))
    }

    pub(crate) fn transact_get_items(
        &self,
        request: TransactGetItems,
        meter: Meter,
    ) -> Result<TransactGetItemsOutput> {
        check_transaction_size(request.items.len())?;
        let mut seen: HashSet<(&str, ItemKey)> = HashSet::with_capacity(request.items.len());
        let mut reads = Vec::with_capacity(request.items.len());
        for (index, get) in request.items.iter().enumerate() {
            let table = self.table(&get.table_name)?;
            let key = ItemKey::of_key(&get.key, &table.schema)?;
            if let Some(paths) = &get.projection {
                validate::projection(paths)?;
            }
            if !seen.insert((get.table_name.as_str(), key.clone())) {
                return Err(same_item_twice(index));
            }
            reads.push((table, key, get.projection.as_deref()));
        }
        // Every table's bucket must hold capacity, or the whole transaction is throttled.
        for (table, _, _) in &reads {
            meter.admit_read(table)?;
        }
        let mut output = TransactGetItemsOutput::default();
        let mut units = 0.0;
        for (table, key, projection) in reads {
            let stored = table.stored(&key);
            let item = stored.map(|stored| &stored.item);
            let item_units = transactional(read_units(stored.map_or(0, |s| s.size), true));
            meter.charge_read(table, item_units);
            units += item_units;
            output
                .items
                .push(item.map(|item| projected(item, projection)));
        }
        output.consumed_capacity = Some(units);
        Ok(output)
    }

    /// `TransactWriteItems`, idempotent for the request's token (`tokens.rs`).
    pub(crate) fn transact_write_once(
        &mut self,
        request: TransactWriteItems,
        meter: Meter,
    ) -> Result<TransactWriteItemsOutput> {
        let Some(token) = request.client_request_token.clone() else {
            return self.transact_write_items(request, meter);
        };
        check_token(&token)?;
        let fingerprint = Fingerprint::of(&request.items);
        // The operation's time on the backend's clock: a durable store keeps it with the
        // token, so the 10 minutes go on across a restart.
        let now = self.write_clock.now();
        // Held until the token is recorded: two transactions with one token (on tables of
        // their own, so not serialised by the tables' locks) are applied at most once.
        let common = Arc::clone(&self.common);
        let mut tokens = common.tokens.lock();
        if tokens.applied(&token, &fingerprint, now)? {
            return Ok(TransactWriteItemsOutput::new());
        }
        let output = self.transact_write_items(request, meter)?;
        // In the transaction's journal record (a durable backend's): applied and remembered
        // together, across a restart too.
        durable::journal_extra(|e| e.token(&token, now, &fingerprint));
        tokens.remember(token, now, fingerprint);
        Ok(output)
    }

    pub(crate) fn transact_write_items(
        &mut self,
        request: TransactWriteItems,
        meter: Meter,
    ) -> Result<TransactWriteItemsOutput> {
        check_transaction_size(request.items.len())?;
        // Shape first: a malformed action rejects the whole request, as a ValidationException.
        let mut seen: HashSet<(&str, ItemKey)> = HashSet::with_capacity(request.items.len());
        for (index, action) in request.items.iter().enumerate() {
            let name = action.table_name();
            let table = self.table(name)?;
            let key = match action {
                TransactWrite::Put {
                    item, condition, ..
                } => {
                    let indexes = table.indexes.iter().map(|i| &i.schema);
                    validate_put(item, condition.as_ref(), &table.schema, indexes)?.1
                }
                TransactWrite::Update {
                    key,
                    update,
                    condition,
                    ..
                } => {
                    validate_keyed(key, condition.as_ref(), &table.schema)?;
                    validate::update(update, &table.schema)?;
                    table.key_of(key)?
                }
                TransactWrite::Delete { key, condition, .. } => {
                    validate_keyed(key, condition.as_ref(), &table.schema)?;
                    table.key_of(key)?
                }
                TransactWrite::ConditionCheck { key, condition, .. } => {
                    validate_keyed(key, Some(condition), &table.schema)?;
                    table.key_of(key)?
                }
            };
            if !seen.insert((name, key)) {
                return Err(same_item_twice(index));
            }
        }
        validate::transaction_size(&request.items)?;
        // Every bucket the transaction draws on must hold capacity, or it is throttled whole.
        for action in &request.items {
            let table = self.table(action.table_name())?;
            match action {
                TransactWrite::ConditionCheck { .. } => meter.admit_read(table)?,
                _ => meter.admit_write(table)?,
            }
        }
        // Then every condition and every new image, before anything is written.
        let mut prepared = Vec::with_capacity(request.items.len());
        let mut reasons = Vec::with_capacity(request.items.len());
        let mut failed = false;
        for (index, action) in request.items.iter().enumerate() {
            let outcome = self.prepare_action(action);
            let (code, message) = match &outcome {
                Ok(_) => ("None", None),
                Err(Error::ConditionFailed { .. }) => (
                    "ConditionalCheckFailed",
                    Some("The conditional request failed".to_owned()),
                ),
                Err(Error::Validation { message, .. }) => {
                    ("ValidationError", Some(message.clone()))
                }
                Err(other) => ("ValidationError", Some(other.to_string())),
            };
            failed |= outcome.is_err();
            reasons.push(CancellationReason {
                index,
                code: code.to_owned(),
                message,
            });
            if let Ok(p) = outcome {
                prepared.push(p);
            }
        }
        if failed {
            return Err(Error::TransactionCanceled {
                reasons,
                source: None,
            });
        }
        let mut units = 0.0;
        for (name, p) in prepared {
            let table = self.table_mut(&name)?;
            // The transactional factor applies to the table's units, not to the indexes'.
            if p.writes {
                units += transactional(p.write_units());
                units += p.index_write_units(table).map(|(_, u)| u).sum::<f64>();
                meter.charge_write(table, &p, 2.0);
            } else {
                let check = transactional(read_units(p.old_size, true));
                meter.charge_read(table, check);
                units += check;
            }
            p.commit(table);
        }
        Ok(TransactWriteItemsOutput::new().consumed_capacity(units))
    }

    fn prepare_action(&self, action: &TransactWrite) -> Result<(String, Prepared)> {
        let table = self.table(action.table_name())?;
        let prepared = match action {
            TransactWrite::Put {
                item, condition, ..
            } => {
                // Validated with the request's shape, above.
                let size = validate::item_size(item);
                prepare_put(table, item.clone(), size, condition.as_ref(), false)?
            }
            TransactWrite::Update {
                key,
                update,
                condition,
                ..
            } => prepare_update(table, key, update, condition.as_ref(), false)?,
            TransactWrite::Delete { key, condition, .. } => {
                prepare_delete(table, key, condition.as_ref(), false)?
            }
            TransactWrite::ConditionCheck { key, condition, .. } => {
                prepare_check(table, key, condition)?
            }
        };
        Ok((action.table_name().to_owned(), prepared))
    }
}

fn check_transaction_size(count: usize) -> Result<()> {
    if count == 0 {
        return Err(too_few("transactItems"));
    }
    if count > MAX_TRANSACT {
        return Err(Error::validation(format!(
            "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: \
             Member must have length less than or equal to {MAX_TRANSACT} ({count} actions)"
        )));
    }
    Ok(())
}
