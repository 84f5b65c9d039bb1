//! One page of a `Query` or `Scan`: `Limit`, the 1 MB cap, the filter, the projection, the
//! count and the `LastEvaluatedKey`, from the table or from one of its indexes.

use notes_model::ItemMap;
use notes_model::expr::{Condition, Path};

use super::super::capacity::read_units;
use super::super::index::Index;
use super::super::items::projected;
use super::super::table::{Stored, Table};
use notes_core::eval::{evaluate, project};
use notes_core::request::PageOutput;
use notes_core::validate;

/// The most item data one page reads.
const MAX_PAGE_BYTES: usize = 1024 * 1024;

/// Collects one page, from the table or from one of its indexes.
pub(super) struct Pager<'a> {
    table: &'a Table,
    index: Option<&'a Index>,
    filter: Option<&'a Condition>,
    projection: Option<&'a [Path]>,
    limit: Option<usize>,
    /// `Select: COUNT`: matching items are counted, not returned.
    count_only: bool,
    page: PageOutput,
    bytes: usize,
}

impl<'a> Pager<'a> {
    pub(super) fn new(
        table: &'a Table,
        index: Option<&'a Index>,
        filter: Option<&'a Condition>,
        projection: Option<&'a [Path]>,
        limit: Option<u32>,
    ) -> Self {
        Pager {
            table,
            index,
            filter,
            projection,
            limit: limit.map(|l| l as usize),
            count_only: false,
            page: PageOutput::default(),
            bytes: 0,
        }
    }

    /// Counts the matching items instead of returning them (`Select: COUNT`): read, limited
    /// and charged as the items would be.
    pub(super) fn count_only(mut self) -> Self {
        self.count_only = true;
        self
    }

    /// Counts a matching item; `true` when it is also returned.
    fn matched(&mut self) -> bool {
        self.page.count += 1;
        !self.count_only
    }

    /// Reads one item; `false` once the page is full.
    ///
    /// From an index, the page holds what the index projects. A global index has nothing
    /// else, so the filter and the projection expression see only that; a local index fetches
    /// other attributes from the table when a filter or projection expression asks for them.
    pub(super) fn offer(&mut self, stored: &'a Stored) -> bool {
        let item = &stored.item;
        self.page.scanned_count += 1;
        match self.index {
            // The table, or an index that projects every attribute: its image of an item is
            // the item, returned shared.
            None => self.offer_whole(stored),
            Some(index) if index.projects_all() => self.offer_whole(stored),
            Some(index) => {
                let image = index.image(item, &self.table.schema);
                self.bytes += validate::item_size(&image);
                let seen = if index.is_global() { &image } else { item };
                if self.filter.is_none_or(|f| evaluate(f, Some(seen))) && self.matched() {
                    let returned = match self.projection {
                        Some(paths) => project(seen, paths),
                        None => image,
                    };
                    self.page.items.push(returned.into());
                }
            }
        }
        // The item that reaches the limit (or 1 MB of data read) ends the page, like DynamoDB.
        if self.limit == Some(self.page.scanned_count) || self.bytes >= MAX_PAGE_BYTES {
            self.page.last_evaluated_key = Some(self.last_key(item));
            return false;
        }
        true
    }

    /// Reads an item whose image is the whole item: the page shares it.
    fn offer_whole(&mut self, stored: &'a Stored) {
        self.bytes += stored.size;
        if self.filter.is_none_or(|f| evaluate(f, Some(&stored.item))) && self.matched() {
            self.page
                .items
                .push(projected(&stored.item, self.projection));
        }
    }

    /// Reads items in order until the page is full; `false` once it is.
    pub(super) fn offer_all(&mut self, items: impl IntoIterator<Item = &'a Stored>) -> bool {
        items.into_iter().all(|item| self.offer(item))
    }

    /// The `LastEvaluatedKey` of `item`: the table's key, plus every index key attribute from an
    /// index.
    fn last_key(&self, item: &ItemMap) -> ItemMap {
        let mut key = self.table.key_map(item);
        if let Some(index) = self.index {
            for attribute in index.schema.key_attributes() {
                let name = attribute.name.as_ref();
                if let Some(value) = item.get(name) {
                    key.insert(name.to_owned(), value.clone());
                }
            }
        }
        key
    }

    pub(super) fn finish(mut self, consistent_read: bool) -> PageOutput {
        self.page.consumed_capacity = Some(read_units(self.bytes, consistent_read));
        self.page
    }
}

#[cfg(test)]
mod tests {
    use notes_model::expr::KeyCondition;
    use notes_model::{KeyAttribute, KeySchema, ScalarType};

    use super::*;
    use crate::memory_backend::MemoryBackend;
    use crate::test_values::s;
    use notes_core::Backend;
    use notes_core::request::{BillingMode, CreateTable, PutItem, Query};

    /// Query pages end at exactly 1 MB of items read, measured with MemoryBackend's own item
    /// sizes. The workspace's typed suite checks the same on both backends, without the exact
    /// count (`tests/tests/suite/query.rs`).
    #[tokio::test]
    async fn query_pages_stop_at_one_megabyte() {
        let backend = MemoryBackend::new();
        let schema = KeySchema {
            partition_key: KeyAttribute::new("userId", ScalarType::S),
            sort_key: Some(KeyAttribute::new("noteId", ScalarType::S)),
        };
        let provisioned = BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 5,
        };
        backend
            .create_table(CreateTable::new("notes", schema).billing_mode(provisioned))
            .await
            .unwrap();
        let body = "x".repeat(2000);
        let note = |id: &str| {
            ItemMap::from([
                ("userId".to_owned(), s("u")),
                ("noteId".to_owned(), s(id)),
                ("content".to_owned(), s(&body)),
            ])
        };
        for i in 0..1000 {
            let row = note(&format!("n{i:04}"));
            backend.put_item(PutItem::new("notes", row)).await.unwrap();
        }
        let size = validate::item_size(&note("n0000"));
        let per_page = MAX_PAGE_BYTES.div_ceil(size);
        let mut start = None;
        let mut pages = Vec::new();
        loop {
            let mut request = Query::new("notes", KeyCondition::partition("userId", s("u")))
                .consistent_read(true);
            request.exclusive_start_key = start;
            let page = backend.query(request).await.unwrap();
            pages.push((page.items.len(), page.consumed_capacity));
            start = page.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
        assert_eq!(pages[0].0, per_page);
        assert_eq!(pages[0].1, Some(((per_page * size).div_ceil(4096)) as f64));
        assert_eq!(pages.iter().map(|p| p.0).sum::<usize>(), 1000);
        assert_eq!(pages.len(), 1000_usize.div_ceil(per_page));
    }
}
