//! A `Backend` and a `Layer` written the way a crate outside this workspace must write them:
//! requests are read through their public fields, responses are built with their constructors
//! and setters, and the enums a backend must match in full (`WriteRequest`, ...) are matched
//! without a wildcard arm. `.ci/run` checks that it
//! compiles and runs its test; a field added to a request type must not break it.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use notes_repo::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, CreateTable,
    DeleteItem, DeleteTable, DescribeTable, GetItem, GetItemOutput, PageOutput, PutItem, Query,
    ReturnValues, Scan, TableDescription, TableStatus, TransactGetItems, TransactGetItemsOutput,
    TransactWriteItems, TransactWriteItemsOutput, UpdateContinuousBackups, UpdateItem,
    UpdateTimeToLive, WriteOutput, WriteRequest,
};
use notes_repo::{
    Backend, ConsumedCapacity, Error, ItemMap, KeySchema, Layer, Operation, Result, SharedItem,
};

/// A deliberately small key-value engine: whole-item puts, gets and deletes of one table, no
/// conditions. Enough for `Repo::put`, `get` and `delete` to run on it.
#[derive(Clone, Default)]
pub struct TinyBackend {
    tables: Arc<Mutex<HashMap<String, (KeySchema, HashMap<String, ItemMap>)>>>,
}

fn key_string(schema: &KeySchema, item: &ItemMap) -> Result<String> {
    let key = schema.extract_key(item)?;
    let mut parts: Vec<String> = key
        .iter()
        .map(|(name, value)| format!("{name}={value:?}"))
        .collect();
    parts.sort();
    Ok(parts.join("&"))
}

fn unsupported<T>(operation: &str) -> Result<T> {
    Err(Error::validation(format!(
        "TinyBackend does not support {operation}"
    )))
}

impl TinyBackend {
    fn with_table<R>(
        &self,
        table: &str,
        f: impl FnOnce(&KeySchema, &mut HashMap<String, ItemMap>) -> Result<R>,
    ) -> Result<R> {
        let mut tables = self.tables.lock().expect("no panics while locked");
        match tables.get_mut(table) {
            Some((schema, items)) => f(schema, items),
            None => Err(Error::TableNotFound {
                table: table.to_owned(),
                source: None,
            }),
        }
    }
}

impl Backend for TinyBackend {
    async fn get_item(&self, request: GetItem) -> Result<GetItemOutput> {
        let item = self.with_table(&request.table_name, |schema, items| {
            Ok(items.get(&key_string(schema, &request.key)?).cloned())
        })?;
        Ok(GetItemOutput::new(item.map(SharedItem::from)).consumed_capacity(0.5))
    }

    async fn put_item(&self, request: PutItem) -> Result<WriteOutput> {
        if request.condition.is_some() {
            return unsupported("conditions");
        }
        let old = self.with_table(&request.table_name, |schema, items| {
            Ok(items.insert(key_string(schema, &request.item)?, request.item.clone()))
        })?;
        let attributes = match request.return_values {
            ReturnValues::AllOld => old,
            _ => None,
        };
        Ok(WriteOutput::new(attributes).consumed_capacity(1.0))
    }

    async fn update_item(&self, _: UpdateItem) -> Result<WriteOutput> {
        unsupported("UpdateItem")
    }

    async fn delete_item(&self, request: DeleteItem) -> Result<WriteOutput> {
        let old = self.with_table(&request.table_name, |schema, items| {
            Ok(items.remove(&key_string(schema, &request.key)?))
        })?;
        let attributes = match request.return_values {
            ReturnValues::AllOld => old,
            _ => None,
        };
        Ok(WriteOutput::new(attributes))
    }

    async fn query(&self, _: Query) -> Result<PageOutput> {
        unsupported("Query")
    }

    async fn scan(&self, request: Scan) -> Result<PageOutput> {
        let items = self.with_table(&request.table_name, |_, items| {
            Ok(items.values().cloned().map(SharedItem::from).collect())
        })?;
        Ok(PageOutput::new(items))
    }

    async fn batch_get_item(&self, _: BatchGetItem) -> Result<BatchGetItemOutput> {
        unsupported("BatchGetItem")
    }

    async fn batch_write_item(&self, request: BatchWriteItem) -> Result<BatchWriteItemOutput> {
        for (table, writes) in request.request_items {
            for write in writes {
                match write {
                    WriteRequest::Put(item) => {
                        self.put_item(PutItem::new(table.clone(), item)).await?;
                    }
                    WriteRequest::Delete(key) => {
                        self.delete_item(DeleteItem::new(table.clone(), key))
                            .await?;
                    }
                }
            }
        }
        Ok(BatchWriteItemOutput::new(HashMap::new()))
    }

    async fn transact_get_items(&self, _: TransactGetItems) -> Result<TransactGetItemsOutput> {
        unsupported("TransactGetItems")
    }

    async fn transact_write_items(
        &self,
        _: TransactWriteItems,
    ) -> Result<TransactWriteItemsOutput> {
        unsupported("TransactWriteItems")
    }

    async fn create_table(&self, request: CreateTable) -> Result<TableDescription> {
        let mut tables = self.tables.lock().expect("no panics while locked");
        if tables.contains_key(&request.table_name) {
            return Err(Error::TableAlreadyExists {
                table: request.table_name,
                source: None,
            });
        }
        tables.insert(
            request.table_name.clone(),
            (request.key_schema.clone(), HashMap::new()),
        );
        Ok(
            TableDescription::new(request.table_name, request.key_schema, TableStatus::Active)
                .billing_mode(request.billing_mode),
        )
    }

    async fn describe_table(&self, request: DescribeTable) -> Result<TableDescription> {
        let schema = self.with_table(&request.table_name, |schema, _| Ok(schema.clone()))?;
        Ok(TableDescription::new(
            request.table_name,
            schema,
            TableStatus::Active,
        ))
    }

    async fn delete_table(&self, request: DeleteTable) -> Result<TableDescription> {
        let description = self
            .describe_table(DescribeTable::new(request.table_name.clone()))
            .await?;
        self.tables
            .lock()
            .expect("no panics while locked")
            .remove(&request.table_name);
        Ok(description)
    }

    async fn update_continuous_backups(&self, _: UpdateContinuousBackups) -> Result<()> {
        unsupported("UpdateContinuousBackups")
    }

    async fn update_time_to_live(&self, _: UpdateTimeToLive) -> Result<()> {
        unsupported("UpdateTimeToLive")
    }
}

/// A layer that counts write operations: it writes only `around`.
#[derive(Clone)]
pub struct CountWrites<B> {
    inner: B,
    writes: Arc<Mutex<u32>>,
}

impl<B> CountWrites<B> {
    /// Counts the writes sent to `inner`.
    pub fn new(inner: B) -> Self {
        CountWrites {
            inner,
            writes: Arc::default(),
        }
    }

    /// The writes counted so far.
    pub fn writes(&self) -> u32 {
        *self.writes.lock().expect("no panics while locked")
    }
}

impl<B: Backend> Layer for CountWrites<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.inner
    }

    fn around<O, F>(
        &self,
        operation: Operation,
        _table: &str,
        call: F,
    ) -> impl Future<Output = Result<O>> + Send
    where
        O: ConsumedCapacity + Send,
        F: Future<Output = Result<O>> + Send,
    {
        if matches!(
            operation,
            Operation::PutItem | Operation::DeleteItem | Operation::UpdateItem
        ) {
            *self.writes.lock().expect("no panics while locked") += 1;
        }
        call
    }
}

#[cfg(test)]
mod tests {
    use notes_repo::prelude::*;
    use notes_repo::{Note, NoteKey};

    use super::{CountWrites, TinyBackend};

    #[tokio::test]
    async fn a_repo_runs_on_a_backend_and_a_layer_written_outside_the_workspace() -> Result<()> {
        let backend = CountWrites::new(TinyBackend::default());
        let repo: Repo<Note, _> = Repo::new(backend.clone());
        repo.create_table_on_demand().await?;
        let note = Note {
            user_id: "u1".into(),
            note_id: "n1".into(),
            content: "hello".into(),
            attachment: None,
            created_at: 0,
        };
        repo.put(&note).await?;
        assert_eq!(
            repo.get(&NoteKey::new("u1", "n1")).await?,
            Some(note.clone())
        );
        assert_eq!(repo.delete(&note.key()).await?, Some(note));
        assert_eq!(repo.get(&NoteKey::new("u1", "n1")).await?, None);
        assert_eq!(backend.writes(), 2);
        Ok(())
    }
}
