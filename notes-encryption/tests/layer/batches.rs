//! What a batch leaves unprocessed goes back as it was given: plaintext puts, the asked
//! projection, so that sending it again through the layer is the same request.

use std::collections::HashMap;

use notes_encryption::Encrypted;
use notes_repo::expr::Path;
use notes_repo::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, CreateTable,
    KeysAndAttributes, WriteRequest,
};
use notes_repo::{Backend, Item, Layer, MemoryBackend, Note, PrimaryKey, Result};

use super::{encryption, note};

/// A backend that processes nothing of a batch, as a throttled table would.
#[derive(Clone)]
struct Unprocessing(MemoryBackend);

impl Layer for Unprocessing {
    type Inner = MemoryBackend;

    fn inner(&self) -> &MemoryBackend {
        &self.0
    }

    async fn batch_write_item(&self, request: BatchWriteItem) -> Result<BatchWriteItemOutput> {
        Ok(BatchWriteItemOutput::new(request.request_items))
    }

    async fn batch_get_item(&self, request: BatchGetItem) -> Result<BatchGetItemOutput> {
        assert!(
            request.request_items["notes"].projection.is_none(),
            "the layer reads whole items"
        );
        Ok(BatchGetItemOutput::new(HashMap::new()).unprocessed_keys(request.request_items))
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn unprocessed_puts_come_back_as_plaintext() {
    let memory = MemoryBackend::new();
    memory
        .create_table(CreateTable::new("notes", Note::KEY_SCHEMA))
        .await
        .unwrap();
    let backend = Encrypted::new(Unprocessing(memory), encryption(7));
    let item = note("u1", "n1", "secret").to_item().unwrap();
    let writes = vec![WriteRequest::Put(item.clone())];
    let request = BatchWriteItem::new([("notes".to_owned(), writes.clone())].into());
    let output = Backend::batch_write_item(&backend, request).await.unwrap();
    assert_eq!(output.unprocessed_items["notes"], writes);
}

#[tokio::test(flavor = "multi_thread")]
async fn unprocessed_keys_keep_their_projection() {
    let memory = MemoryBackend::new();
    memory
        .create_table(CreateTable::new("notes", Note::KEY_SCHEMA))
        .await
        .unwrap();
    let backend = Encrypted::new(Unprocessing(memory), encryption(7));
    let keys = KeysAndAttributes::new(vec![note("u1", "n1", "").key().to_key_map()])
        .projection(vec![Path::attribute("content")]);
    let request = BatchGetItem::new([("notes".to_owned(), keys.clone())].into());
    let output = Backend::batch_get_item(&backend, request).await.unwrap();
    assert_eq!(output.unprocessed_keys["notes"], keys);
}
