//! What `Query` and `Scan` share: `Select` and its rules, the index a request names, and the
//! page's answer.

use notes_core::Backend;
use notes_core::request::{GetItem, PageOutput, TableDescription};
use notes_model::expr::Path;
use notes_model::{IndexKind, IndexProjection, IndexSchema, KeyAttribute};
use serde_json::json;

use super::super::capacity::{self, Axis, Units};
use super::super::legacy;
use super::super::params::{self, Constraints, ReturnCapacity};
use super::super::{Response, describe, failed};
use crate::errors::ErrorAnswer;
use crate::protocol::{ItemAnswer, Service};

/// `Select`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Select {
    AllAttributes,
    AllProjectedAttributes,
    SpecificAttributes,
    Count,
}

/// What `Query` and `Scan` share: the index read, `Select`, `ReturnConsumedCapacity`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Read<'a> {
    index_name: Option<&'a str>,
    select: Option<Select>,
    capacity: ReturnCapacity,
}

/// The table read and, when the request names one, its index.
#[derive(Debug)]
pub(super) struct Resolved {
    table: TableDescription,
    index: Option<IndexSchema>,
}

impl Resolved {
    /// The key read: the table's, or the index's (every attribute of a multi-attribute one),
    /// as its partition attributes and its sort attributes, each in order.
    pub(super) fn key_attributes(&self) -> (Vec<&KeyAttribute>, Vec<&KeyAttribute>) {
        match &self.index {
            None => {
                let schema = &self.table.key_schema;
                (
                    vec![&schema.partition_key],
                    schema.sort_key.iter().collect(),
                )
            }
            Some(index) => (
                index.partition_key_attributes().collect(),
                index.sort_key_attributes().collect(),
            ),
        }
    }

    /// Whether `name` is an attribute of the key read.
    pub(super) fn is_key_attribute(&self, name: &str) -> bool {
        let (partition, sort) = self.key_attributes();
        partition.iter().chain(&sort).any(|a| a.name == name)
    }
}

impl<'a> Read<'a> {
    /// Checks the shared members' constraints.
    pub(super) fn constrain(
        constraints: &mut Constraints,
        index_name: Option<&'a str>,
        select: Option<&str>,
        attributes_to_get: Option<&Vec<String>>,
        capacity: Option<&str>,
    ) -> Self {
        constraints.index_name("indexName", index_name);
        let select = constraints.choice(
            "select",
            select,
            &[
                ("SPECIFIC_ATTRIBUTES", Select::SpecificAttributes),
                ("COUNT", Select::Count),
                ("ALL_ATTRIBUTES", Select::AllAttributes),
                ("ALL_PROJECTED_ATTRIBUTES", Select::AllProjectedAttributes),
            ],
        );
        legacy::constrain_attributes_to_get(constraints, "attributesToGet", attributes_to_get);
        Read {
            index_name,
            select,
            capacity: params::return_capacity(constraints, capacity),
        }
    }

    /// DynamoDB's rules on `Select` and what the request projects.
    pub(super) fn check_select(
        &self,
        operation: &str,
        projection: bool,
        attributes_to_get: Option<&[String]>,
    ) -> Result<(), ErrorAnswer> {
        let Some(select) = self.select else {
            return Ok(());
        };
        if select == Select::SpecificAttributes && !projection && attributes_to_get.is_none() {
            let message = "Must specify the AttributesToGet or ProjectionExpression when \
                           choosing to get SPECIFIC_ATTRIBUTES";
            return Err(ErrorAnswer::validation(match operation {
                "Query" => params::enveloped(message),
                _ => message.to_owned(),
            }));
        }
        let chosen = match select {
            Select::AllAttributes => "ALL_ATTRIBUTES",
            Select::AllProjectedAttributes => "ALL_PROJECTED_ATTRIBUTES",
            Select::Count => "only the Count",
            Select::SpecificAttributes => "",
        };
        if select != Select::SpecificAttributes {
            let member = match (projection, attributes_to_get) {
                (true, _) => Some("ProjectionExpression"),
                (false, Some(_)) => Some("AttributesToGet"),
                (false, None) => None,
            };
            if let Some(member) = member {
                return Err(ErrorAnswer::validation(format!(
                    "Cannot specify the {member} when choosing to get {chosen}"
                )));
            }
        }
        if select == Select::AllProjectedAttributes && self.index_name.is_none() {
            return Err(ErrorAnswer::validation(
                "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
            ));
        }
        Ok(())
    }

    /// The table and the index the request names: the index must exist, a global one is
    /// read eventually consistently, and all its attributes only if it projects them all.
    pub(super) async fn resolve(
        &self,
        service: &Service,
        table: &str,
        consistent_read: bool,
        operation: &'static str,
    ) -> Result<Resolved, ErrorAnswer> {
        let description = describe(service, table, operation).await?;
        let Some(name) = self.index_name else {
            return Ok(Resolved {
                table: description,
                index: None,
            });
        };
        let index = description
            .indexes
            .iter()
            .find(|index| index.name == name)
            .cloned()
            .ok_or_else(|| {
                ErrorAnswer::validation(format!(
                    "The table does not have the specified index: {name}"
                ))
            })?;
        if index.kind == IndexKind::Global {
            if consistent_read {
                return Err(ErrorAnswer::validation(
                    "Consistent reads are not supported on global secondary indexes",
                ));
            }
            if self.select == Some(Select::AllAttributes)
                && index.projection != IndexProjection::All
            {
                return Err(ErrorAnswer::validation(format!(
                    "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is \
                     not supported for global secondary index {name} because its projection \
                     type is not ALL"
                )));
            }
        }
        Ok(Resolved {
            table: description,
            index: Some(index),
        })
    }

    /// The projection: the expression's, or `AttributesToGet`'s.
    pub(super) fn projection(
        &self,
        parsed: Option<Vec<Path>>,
        attributes_to_get: Option<&[String]>,
    ) -> Result<Option<Vec<Path>>, ErrorAnswer> {
        match (parsed, attributes_to_get) {
            (None, Some(names)) => Ok(Some(legacy::attributes_to_get(names)?)),
            (parsed, _) => Ok(parsed),
        }
    }

    /// The page's answer. `ALL_ATTRIBUTES` from a local index that projects less reads each
    /// item from the table, as DynamoDB does (and charges for it).
    pub(super) async fn respond(
        &self,
        service: &Service,
        resolved: &Resolved,
        mut page: PageOutput,
        consistent_read: bool,
        operation: &'static str,
    ) -> ItemAnswer {
        let table = resolved.table.table_name.as_str();
        let mut units = match &resolved.index {
            None => Units::table(page.consumed_capacity),
            Some(index) => Units::index(&index.name, index.kind, page.consumed_capacity),
        };
        if let Some(index) = &resolved.index
            && index.kind == IndexKind::Local
            && index.projection != IndexProjection::All
            && self.select == Some(Select::AllAttributes)
        {
            for item in &mut page.items {
                let key = resolved
                    .table
                    .key_schema
                    .extract_key(item)
                    .unwrap_or_default();
                let get = GetItem::new(table, key).consistent_read(consistent_read);
                let output = service
                    .engine()
                    .get_item(get)
                    .await
                    .map_err(failed(operation))?;
                units.table += output.consumed_capacity.unwrap_or(0.0);
                if let Some(full) = output.item {
                    *item = full;
                }
            }
        }
        let consumed = capacity::consumed(self.capacity, table, units, Axis::Plain);
        let count = page.items.len();
        let items = (self.select != Some(Select::Count)).then_some(page.items.as_slice());
        Response::new()
            .with_items("Items", items)
            .with("Count", Some(json!(count)))
            .with("ScannedCount", Some(json!(page.scanned_count)))
            .with_item("LastEvaluatedKey", page.last_evaluated_key.as_ref())
            .with("ConsumedCapacity", consumed)
            .answer()
    }
}
