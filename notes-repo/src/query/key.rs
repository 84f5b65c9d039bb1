//! The key condition a query sends, checked before it is sent, and the start keys its
//! cursors hold.

use notes_model::expr::{Condition, KeyCondition, SortKeyCondition};
use notes_model::template::Refused;
use notes_model::{
    AttributeValue, Item, ItemMap, KeyAttribute, KeySchema, PartitionValues, SortKeyConditions,
};

use super::QueryBuilder;
use crate::cursor;
use notes_core::{Backend, Error, Result, request, validate};

impl<T: Item, B: Backend, PK: PartitionValues, SK: 'static> QueryBuilder<'_, T, B, PK, SK> {
    /// What DynamoDB would refuse, refused before anything is sent: empty or oversized key
    /// values in the key condition (every partition value and sort-key operand), a key
    /// condition that does not fit the key (every attribute of a multi-attribute index key),
    /// an invalid filter, a `Limit` outside 1 to 2,147,483,647.
    pub(crate) fn check(&self) -> Result<()> {
        self.partition_key.check_partition()?;
        if let Some(refused) = self.refused {
            return Err(refused.error().into());
        }
        let condition = self.key_condition();
        match self.index {
            Some(index) => validate::index_key_condition(&condition, index).map(drop)?,
            None => validate::key_condition(&condition, &T::KEY_SCHEMA)?,
        }
        if let Some(filter) = &self.filter_expression() {
            validate::condition(filter)?;
        }
        validate::limit(self.limit)
    }

    /// The key schema the query runs on: the table's or the index's.
    pub(super) fn key_schema(&self) -> KeySchema {
        self.index
            .map_or(T::KEY_SCHEMA, |index| index.key_schema.clone())
    }

    /// The partition key's attributes: the index's (one, or several for a multi-attribute
    /// key), or the table's.
    pub(super) fn partition_attributes(&self) -> Vec<KeyAttribute> {
        match self.index {
            Some(index) => index.partition_key_attributes().cloned().collect(),
            None => vec![T::KEY_SCHEMA.partition_key],
        }
    }

    /// The equality on each partition attribute: the first one, then a multi-attribute
    /// index key's others, in the key's order.
    pub(super) fn partition_condition(&self) -> KeyCondition {
        let mut terms = self
            .partition_attributes()
            .into_iter()
            .zip(self.partition_key.partition_values());
        // A partition value type gives one value per attribute; a broken one is refused by
        // the key condition's check, as a value of the wrong type.
        let (first, value) = terms
            .next()
            .unwrap_or((T::KEY_SCHEMA.partition_key, AttributeValue::Null(true)));
        terms.fold(
            KeyCondition::partition(first.name, value),
            |condition, (attribute, value)| condition.and_partition_key(attribute.name, value),
        )
    }

    pub(super) fn key_condition(&self) -> KeyCondition {
        let condition = self.partition_condition();
        if !self.sort.is_empty() {
            return self.sort.apply(condition);
        }
        match (self.key_schema().sort_key, self.index, T::ENTITY) {
            // An entity's items in a shared partition: only those whose sort key starts as
            // its template does, so that `Limit` and read capacity count its items alone
            // (unless another entity's sort keys start with the same text).
            (Some(attribute), None, Some(entity)) if !entity.sort_prefix.is_empty() => condition
                .with_sort_key(
                    attribute.name,
                    SortKeyCondition::BeginsWith(AttributeValue::S(entity.sort_prefix.to_owned())),
                ),
            _ => condition,
        }
    }

    /// The `FilterExpression`: the caller's filter, and for an entity of a shared table
    /// (or a collection) the condition on its entity attribute.
    pub(super) fn filter_expression(&self) -> Option<Condition> {
        self.repo.entity_filter(self.filter.clone())
    }

    pub(super) fn fingerprint(&self) -> u64 {
        let description = format!(
            "{:?}|{:?}|{:?}|{}",
            self.key_condition(),
            self.index.map(|index| &index.name),
            self.descending,
            self.repo.table_name()
        );
        cursor::fnv1a(&[description.as_bytes()])
    }

    /// Where a page that ends with `item` continues: the table's key, plus every attribute
    /// of the index's key for an index query (what DynamoDB returns as `LastEvaluatedKey`).
    pub(super) fn start_key_of(&self, item: &ItemMap) -> Result<ItemMap> {
        let mut key = T::KEY_SCHEMA.extract_key(item)?;
        for attribute in self.index.iter().flat_map(|index| index.key_attributes()) {
            let value = attribute.check(item.get(attribute.name.as_ref()))?;
            key.insert(attribute.name.to_string(), value.clone());
        }
        Ok(key)
    }

    /// A decoded cursor's key must be a start key of this table or index (every key
    /// attribute, nothing else), in this query's partition (every partition attribute), with
    /// the values of the query's sort-key equalities.
    pub(super) fn check_start_key(&self, key: ItemMap) -> Result<ItemMap> {
        let foreign = || Error::InvalidCursor {
            reason: "the cursor belongs to another query".to_owned(),
        };
        let expected = self.start_key_of(&key).map_err(|_| foreign())?;
        let partition = self.partition_condition();
        let mut equalities = std::iter::once(&partition.partition_key)
            .chain(&partition.additional_partition_keys)
            .map(|(name, value)| (name.as_ref(), value))
            .chain(self.sort.equalities());
        if expected.len() != key.len()
            || equalities.any(|(name, value)| key.get(name) != Some(value))
        {
            return Err(foreign());
        }
        Ok(key)
    }

    /// One page of this query from `start`, evaluating at most `limit` items, returning
    /// what `select` says (items when `None`).
    pub(crate) async fn fetch(
        &self,
        start: Option<ItemMap>,
        limit: Option<u32>,
        select: Option<request::Select>,
    ) -> Result<request::PageOutput> {
        let key_condition = self.key_condition();
        let mut request = request::Query::new(self.repo.table_name(), key_condition)
            .scan_index_forward(!self.descending)
            .consistent_read(self.consistent_read);
        request.index_name = self.index.map(|index| index.name.to_string());
        request.filter = self.filter_expression();
        request.select = select;
        request.limit = limit;
        request.exclusive_start_key = start;
        self.repo.traced().query(request).await
    }

    /// The condition on the key's one sort attribute (a key without one takes none: its
    /// item types have no sort-key methods).
    pub(super) fn sort(mut self, condition: SortKeyCondition) -> Self {
        if let Some(attribute) = self.key_schema().sort_key {
            self.sort = SortKeyConditions::new().last(attribute.name, condition);
        }
        self
    }

    /// Keeps the refusal of a sort-key operand (a templated value whose component holds a
    /// separator, whose text could be another key's), for [`check`](Self::check).
    pub(super) fn refuse(mut self, check: std::result::Result<(), notes_model::Error>) -> Self {
        self.refused = check.err().as_ref().and_then(Refused::of);
        self
    }
}
