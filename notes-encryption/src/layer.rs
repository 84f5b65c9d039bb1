//! [`Encrypted`]: the layer that encrypts items on their way to any backend and decrypts
//! them on their way back.

use std::collections::HashMap;

use notes_core::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, DeleteItem, GetItem,
    GetItemOutput, PageOutput, PutItem, Query, ReturnValues, Scan, Select, TransactGetItems,
    TransactGetItemsOutput, TransactWrite, TransactWriteItems, TransactWriteItemsOutput,
    UpdateItem, WriteOutput, WriteRequest,
};
use notes_core::{Backend, Error, Layer, Result};
use notes_model::expr::Path;
use notes_model::{ItemMap, SharedItem};

use crate::config::Encryption;
use crate::rules;
use crate::table::{HEADER, TableEncryption};

/// A backend whose items are encrypted and signed client-side, with AWS's Database
/// Encryption SDK, on the tables its [`Encryption`] names (the others pass through).
///
/// Writes (`PutItem`, batch and transaction puts) encrypt each item before it is sent; reads
/// (`GetItem`, `Query`, `Scan`, batch and transaction gets, and the images writes return)
/// verify and decrypt each item, or fail with [`Error::Decryption`]. What encryption rules
/// out is refused before anything is sent ([`Error::EncryptionRefused`]): a condition,
/// filter or key condition comparing an encrypted value, an update writing a signed
/// attribute or reading an encrypted one. An update can only change an existing item (it
/// gets `attribute_exists` on the partition key). A projection is read whole, verified, then
/// projected. Every item of an encrypted table is encrypted, `#[unique]` guard items too.
///
/// ```
/// use notes_encryption::{AesKey, Encrypted, Encryption, Keyring};
/// use notes_encryption::{CryptoAction, EncryptionSchema};
/// use notes_repo::request::{GetItem, PutItem};
/// use notes_repo::{AttributeValue, Backend, Item, MemoryBackend, Note, NoteKey, PrimaryKey, Repo};
///
/// const NOTE: EncryptionSchema = EncryptionSchema::new(&[
///     ("userId", CryptoAction::SignOnly),
///     ("noteId", CryptoAction::SignOnly),
///     ("content", CryptoAction::EncryptAndSign),
///     ("attachment", CryptoAction::EncryptAndSign),
///     ("createdAt", CryptoAction::SignOnly),
/// ]);
///
/// # #[tokio::main(flavor = "multi_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let keyring = Keyring::raw_aes("notes", "key-1", AesKey::new([7; 32]))?;
/// let encryption = Encryption::builder(keyring).table("notes", &Note::KEY_SCHEMA, NOTE).build()?;
/// let memory = MemoryBackend::new();
/// let repo: Repo<Note, _> = Repo::new(Encrypted::new(memory.clone(), encryption));
/// repo.create_table_on_demand().await?;
///
/// let note = Note { user_id: "u1".into(), note_id: "n1".into(), content: "secret".into(), attachment: None, created_at: 7 };
/// repo.put(&note).await?;
/// assert_eq!(repo.get(&note.key()).await?, Some(note.clone())); // decrypted
///
/// // The store holds ciphertext, plaintext keys and the signature.
/// let raw = memory.get_item(GetItem::new("notes", note.key().to_key_map())).await?.item.unwrap();
/// assert!(matches!(raw["content"], AttributeValue::B(_)));
/// assert_eq!(raw["userId"], AttributeValue::S("u1".into()));
/// assert!(raw.contains_key("aws_dbe_head") && raw.contains_key("aws_dbe_foot"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Encrypted<B> {
    inner: B,
    encryption: Encryption,
}

impl<B: Backend> Encrypted<B> {
    /// `inner`, with the tables of `encryption` encrypted.
    ///
    /// See [`Encrypted`] for an example.
    pub fn new(inner: B, encryption: Encryption) -> Self {
        Encrypted { inner, encryption }
    }

    /// The encryption configuration.
    ///
    /// ```
    /// # use notes_encryption::{AesKey, Encrypted, Encryption, Keyring, CryptoAction, EncryptionSchema};
    /// # use notes_repo::{Item, MemoryBackend, Note};
    /// # let keyring = Keyring::raw_aes("notes", "key-1", AesKey::new([7; 32]))?;
    /// # let schema = EncryptionSchema::new(&[("userId", CryptoAction::SignOnly), ("noteId", CryptoAction::SignOnly)]);
    /// let encryption = Encryption::builder(keyring).table("notes", &Note::KEY_SCHEMA, schema).build()?;
    /// let backend = Encrypted::new(MemoryBackend::new(), encryption);
    /// assert_eq!(backend.encryption().tables().collect::<Vec<_>>(), ["notes"]);
    /// # Ok::<(), notes_encryption::ConfigError>(())
    /// ```
    pub fn encryption(&self) -> &Encryption {
        &self.encryption
    }

    /// The wrapped backend, which reads and writes the stored (encrypted) items.
    ///
    /// ```
    /// # use notes_encryption::{AesKey, Encrypted, Encryption, Keyring, CryptoAction, EncryptionSchema};
    /// # use notes_repo::{Item, MemoryBackend, Note};
    /// # let keyring = Keyring::raw_aes("notes", "key-1", AesKey::new([7; 32]))?;
    /// # let schema = EncryptionSchema::new(&[("userId", CryptoAction::SignOnly), ("noteId", CryptoAction::SignOnly)]);
    /// # let encryption = Encryption::builder(keyring).table("notes", &Note::KEY_SCHEMA, schema).build()?;
    /// let backend = Encrypted::new(MemoryBackend::new(), encryption);
    /// let _memory: MemoryBackend = backend.into_inner();
    /// # Ok::<(), notes_encryption::ConfigError>(())
    /// ```
    pub fn into_inner(self) -> B {
        self.inner
    }

    fn table(&self, name: &str) -> Option<&TableEncryption> {
        self.encryption.table(name)
    }
}

impl<B: Backend> Layer for Encrypted<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.inner
    }

    async fn get_item(&self, mut request: GetItem) -> Result<GetItemOutput> {
        let Some(table) = self.table(&request.table_name) else {
            return self.inner.get_item(request).await;
        };
        let projection = request.projection.take();
        let mut output = self.inner.get_item(request).await?;
        if let Some(item) = output.item.take() {
            output.item = Some(read(table, item, projection.as_deref()).await?);
        }
        Ok(output)
    }

    async fn put_item(&self, mut request: PutItem) -> Result<WriteOutput> {
        let Some(table) = self.table(&request.table_name) else {
            return self.inner.put_item(request).await;
        };
        rules::write(table, request.condition.as_ref())?;
        request.item = table.encrypt(request.item).await?;
        let return_values = request.return_values;
        let answer = self.inner.put_item(request).await;
        written(table, answer, return_values).await
    }

    async fn update_item(&self, mut request: UpdateItem) -> Result<WriteOutput> {
        let Some(table) = self.table(&request.table_name) else {
            return self.inner.update_item(request).await;
        };
        rules::update_write(table, &request.update, &mut request.condition)?;
        let return_values = request.return_values;
        let answer = self.inner.update_item(request).await;
        written(table, answer, return_values).await
    }

    async fn delete_item(&self, request: DeleteItem) -> Result<WriteOutput> {
        let Some(table) = self.table(&request.table_name) else {
            return self.inner.delete_item(request).await;
        };
        rules::write(table, request.condition.as_ref())?;
        let return_values = request.return_values;
        let answer = self.inner.delete_item(request).await;
        written(table, answer, return_values).await
    }

    async fn query(&self, mut request: Query) -> Result<PageOutput> {
        let Some(table) = self.table(&request.table_name) else {
            return self.inner.query(request).await;
        };
        rules::key_condition(table, &request.key_condition)?;
        if let Some(filter) = &request.filter {
            rules::condition(table, filter)?;
        }
        let projection = widen(&mut request.projection, &mut request.select);
        let page = self.inner.query(request).await?;
        read_page(table, page, projection).await
    }

    async fn scan(&self, mut request: Scan) -> Result<PageOutput> {
        let Some(table) = self.table(&request.table_name) else {
            return self.inner.scan(request).await;
        };
        if let Some(filter) = &request.filter {
            rules::condition(table, filter)?;
        }
        let projection = widen(&mut request.projection, &mut request.select);
        let page = self.inner.scan(request).await?;
        read_page(table, page, projection).await
    }

    async fn batch_get_item(&self, mut request: BatchGetItem) -> Result<BatchGetItemOutput> {
        let mut projections: HashMap<String, Option<Vec<Path>>> = HashMap::new();
        for (name, keys) in &mut request.request_items {
            if self.table(name).is_some() {
                projections.insert(name.clone(), keys.projection.take());
            }
        }
        let mut output = self.inner.batch_get_item(request).await?;
        for (name, items) in &mut output.responses {
            if let Some(table) = self.table(name) {
                let projection = projections.get(name).and_then(Option::as_deref);
                *items = read_all(table, std::mem::take(items), projection).await?;
            }
        }
        // Unprocessed keys go back as they were asked for, to be sent again through this layer.
        for (name, keys) in &mut output.unprocessed_keys {
            if let Some(projection) = projections.get(name) {
                keys.projection.clone_from(projection);
            }
        }
        Ok(output)
    }

    async fn batch_write_item(&self, mut request: BatchWriteItem) -> Result<BatchWriteItemOutput> {
        // Each encrypted put, with its plaintext: an unprocessed put goes back as it was given.
        let mut plaintexts: HashMap<String, Vec<(ItemMap, ItemMap)>> = HashMap::new();
        for (name, writes) in &mut request.request_items {
            let Some(table) = self.table(name) else {
                continue;
            };
            for write in writes.iter_mut() {
                if let WriteRequest::Put(item) = write {
                    let plaintext = std::mem::take(item);
                    *item = table.encrypt(plaintext.clone()).await?;
                    plaintexts
                        .entry(name.clone())
                        .or_default()
                        .push((item.clone(), plaintext));
                }
            }
        }
        let mut output = self.inner.batch_write_item(request).await?;
        for (name, writes) in &mut output.unprocessed_items {
            let Some(sent) = plaintexts.get(name) else {
                continue;
            };
            for write in writes.iter_mut() {
                if let WriteRequest::Put(item) = write
                    && let Some((_, plaintext)) = sent.iter().find(|(sent, _)| sent == item)
                {
                    *item = plaintext.clone();
                }
            }
        }
        Ok(output)
    }

    async fn transact_get_items(
        &self,
        mut request: TransactGetItems,
    ) -> Result<TransactGetItemsOutput> {
        let projections: Vec<Option<Vec<Path>>> = request
            .items
            .iter_mut()
            .map(|get| {
                if self.table(&get.table_name).is_some() {
                    get.projection.take()
                } else {
                    None
                }
            })
            .collect();
        let tables: Vec<String> = request
            .items
            .iter()
            .map(|get| get.table_name.clone())
            .collect();
        let mut output = self.inner.transact_get_items(request).await?;
        for ((slot, name), projection) in output.items.iter_mut().zip(&tables).zip(&projections) {
            if let (Some(table), Some(item)) = (self.table(name), slot.take()) {
                *slot = Some(read(table, item, projection.as_deref()).await?);
            }
        }
        Ok(output)
    }

    async fn transact_write_items(
        &self,
        mut request: TransactWriteItems,
    ) -> Result<TransactWriteItemsOutput> {
        for write in &mut request.items {
            let Some(table) = self.table(write.table_name()) else {
                continue;
            };
            match write {
                TransactWrite::Put {
                    item, condition, ..
                } => {
                    rules::write(table, condition.as_ref())?;
                    *item = table.encrypt(std::mem::take(item)).await?;
                }
                TransactWrite::Update {
                    update, condition, ..
                } => rules::update_write(table, update, condition)?,
                TransactWrite::Delete { condition, .. } => {
                    rules::write(table, condition.as_ref())?;
                }
                TransactWrite::ConditionCheck { condition, .. } => {
                    rules::condition(table, condition)?;
                }
            }
        }
        self.inner.transact_write_items(request).await
    }
}

/// A page of `Query` or `Scan` with each item verified, decrypted and projected.
async fn read_page(
    table: &TableEncryption,
    mut page: PageOutput,
    projection: Option<Vec<Path>>,
) -> Result<PageOutput> {
    page.items = read_all(
        table,
        std::mem::take(&mut page.items),
        projection.as_deref(),
    )
    .await?;
    Ok(page)
}

/// A projection is read whole, so that the signature can be verified: the request's
/// projection is taken off (and a `SPECIFIC_ATTRIBUTES` select with it) and returned, to
/// project each decrypted item.
fn widen(projection: &mut Option<Vec<Path>>, select: &mut Option<Select>) -> Option<Vec<Path>> {
    let asked = projection.take();
    if asked.is_some() && *select == Some(Select::SpecificAttributes) {
        *select = None;
    }
    asked
}

/// A stored item verified and decrypted, then projected to what the request asked.
async fn read(
    table: &TableEncryption,
    item: SharedItem,
    projection: Option<&[Path]>,
) -> Result<SharedItem> {
    let plaintext = table.decrypt(item).await?;
    Ok(match projection {
        Some(paths) => SharedItem::new(notes_core::eval::project(&plaintext, paths)),
        None => plaintext,
    })
}

async fn read_all(
    table: &TableEncryption,
    items: Vec<SharedItem>,
    projection: Option<&[Path]>,
) -> Result<Vec<SharedItem>> {
    let mut read_items = Vec::with_capacity(items.len());
    for item in items {
        read_items.push(read(table, item, projection).await?);
    }
    Ok(read_items)
}

/// A write's answer, its images decrypted: the whole item (`ALL_OLD`, `ALL_NEW`) is verified
/// and decrypted; the updated attributes alone (`UPDATED_*`) can only be unsigned ones, and
/// pass as they are. A failed condition's stored item is decrypted too.
async fn written(
    table: &TableEncryption,
    answer: Result<WriteOutput>,
    return_values: ReturnValues,
) -> Result<WriteOutput> {
    let mut output = match answer {
        Ok(output) => output,
        Err(Error::ConditionFailed {
            item: Some(item),
            retried,
            source,
        }) => {
            let item = table.decrypt(SharedItem::new(item)).await?;
            return Err(Error::ConditionFailed {
                item: Some(item.into_owned()),
                retried,
                source,
            });
        }
        Err(err) => return Err(err),
    };
    let whole = matches!(return_values, ReturnValues::AllOld | ReturnValues::AllNew);
    if let Some(image) = output.attributes.take() {
        output.attributes = Some(if whole || image.contains_key(HEADER) {
            table.decrypt(SharedItem::new(image)).await?.into_owned()
        } else {
            image
        });
    }
    Ok(output)
}
