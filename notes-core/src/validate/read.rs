//! The parameters of reads in pages (`Query`, `Scan`): `Limit` and `Select`.

use notes_model::{IndexKind, IndexProjection, IndexSchema};

use crate::error::{Error, Result};
use crate::request::Select;

/// The largest `Limit` DynamoDB takes: the API's `Limit` is a 32-bit signed integer.
pub const MAX_LIMIT: u32 = i32::MAX as u32;

/// Checks a `Limit`: 1 to 2,147,483,647 items (or none).
///
/// ```
/// use notes_core::validate;
/// assert!(validate::limit(Some(10)).is_ok());
/// assert!(validate::limit(Some(0)).is_err());
/// ```
pub fn limit(limit: Option<u32>) -> Result<()> {
    match limit {
        Some(0) => Err(Error::validation(
            "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: \
             Member must have value greater than or equal to 1",
        )),
        Some(n) if n > MAX_LIMIT => Err(Error::validation(format!(
            "1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: \
             Member must have value less than or equal to {MAX_LIMIT}"
        ))),
        _ => Ok(()),
    }
}

/// Checks `Select` against what the request projects and whether it reads an index, with
/// DynamoDB's messages, in its order: a projection goes only with
/// [`Select::SpecificAttributes`], which needs one, and
/// [`Select::AllProjectedAttributes`] needs an index.
///
/// `projected_by` names the member that projects (`"ProjectionExpression"`, or
/// `"AttributesToGet"` on the legacy API), `None` without a projection. `operation` is
/// `"Query"` or `"Scan"`: `Query` puts these messages in DynamoDB's `1 validation error
/// detected:` envelope, `Scan` answers them bare (as DynamoDB did when checked against it in
/// us-east-1; regions running its newer validation layer put Scan's in the envelope too).
///
/// ```
/// use notes_core::request::Select;
/// use notes_core::{Error, validate};
/// assert!(validate::select(Some(Select::Count), None, false, "Query").is_ok());
/// let Err(Error::Validation { message, .. }) =
///     validate::select(Some(Select::Count), Some("ProjectionExpression"), false, "Scan")
/// else {
///     panic!("COUNT with a projection is refused")
/// };
/// assert_eq!(message, "Cannot specify the ProjectionExpression when choosing to get only the Count");
/// ```
pub fn select(
    select: Option<Select>,
    projected_by: Option<&str>,
    index: bool,
    operation: &str,
) -> Result<()> {
    let message = match (select, projected_by) {
        (None | Some(Select::SpecificAttributes), Some(_)) | (None, None) => return Ok(()),
        (Some(Select::SpecificAttributes), None) => {
            "Must specify the AttributesToGet or ProjectionExpression when choosing to get \
             SPECIFIC_ATTRIBUTES"
                .to_owned()
        }
        (Some(select), Some(member)) => {
            let chosen = match select {
                Select::Count => "only the Count",
                other => other.as_str(),
            };
            format!("Cannot specify the {member} when choosing to get {chosen}")
        }
        (Some(Select::AllProjectedAttributes), None) if !index => {
            // DynamoDB says "Querying" on a Scan too.
            "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName".to_owned()
        }
        (Some(_), None) => return Ok(()),
    };
    Err(Error::validation(if operation == "Query" {
        format!("1 validation error detected: {message}")
    } else {
        message
    }))
}

/// Checks `Select` against the index read: a global index that does not project every
/// attribute has no [`Select::AllAttributes`] (a local one reads the rest from the table).
///
/// ```
/// use notes_core::request::Select;
/// use notes_core::validate;
/// use notes_model::{AdditionalKeys, IndexKind, IndexProjection, IndexSchema, KeyAttribute, KeySchema, ScalarType};
/// let index = IndexSchema {
///     name: "byStatus".into(),
///     kind: IndexKind::Global,
///     key_schema: KeySchema { partition_key: KeyAttribute::new("status", ScalarType::S), sort_key: None },
///     projection: IndexProjection::KeysOnly,
///     additional_keys: AdditionalKeys::NONE,
/// };
/// assert!(validate::select_on_index(Some(Select::Count), &index).is_ok());
/// assert!(validate::select_on_index(Some(Select::AllAttributes), &index).is_err());
/// ```
pub fn select_on_index(select: Option<Select>, index: &IndexSchema) -> Result<()> {
    if select == Some(Select::AllAttributes)
        && index.kind == IndexKind::Global
        && index.projection != IndexProjection::All
    {
        return Err(Error::validation(format!(
            "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not \
             supported for global secondary index {} because its projection type is not ALL",
            index.name
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use notes_model::{AdditionalKeys, KeyAttribute, KeySchema, ScalarType};

    use super::*;
    use crate::validate::test_values::message;

    const PROJECTION: Option<&str> = Some("ProjectionExpression");

    fn refused(result: Result<()>) -> String {
        message(result)
    }

    #[test]
    fn select_goes_with_a_projection_only_when_specific() {
        for (chosen_select, chosen) in [
            (Select::AllAttributes, "ALL_ATTRIBUTES"),
            (Select::AllProjectedAttributes, "ALL_PROJECTED_ATTRIBUTES"),
            (Select::Count, "only the Count"),
        ] {
            assert_eq!(
                refused(select(Some(chosen_select), PROJECTION, true, "Scan")),
                format!("Cannot specify the ProjectionExpression when choosing to get {chosen}")
            );
            assert_eq!(
                refused(select(
                    Some(chosen_select),
                    Some("AttributesToGet"),
                    true,
                    "Query"
                )),
                format!(
                    "1 validation error detected: Cannot specify the AttributesToGet when \
                     choosing to get {chosen}"
                )
            );
        }
        assert_eq!(
            refused(select(
                Some(Select::SpecificAttributes),
                None,
                false,
                "Query"
            )),
            "1 validation error detected: Must specify the AttributesToGet or \
             ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"
        );
        assert!(select(Some(Select::SpecificAttributes), PROJECTION, false, "Scan").is_ok());
        assert!(select(None, PROJECTION, false, "Scan").is_ok());
        assert!(select(None, None, false, "Query").is_ok());
        assert!(select(Some(Select::Count), None, false, "Query").is_ok());
        assert!(select(Some(Select::AllAttributes), None, true, "Query").is_ok());
    }

    #[test]
    fn all_projected_attributes_needs_an_index_and_the_projection_rule_comes_first() {
        assert_eq!(
            refused(select(
                Some(Select::AllProjectedAttributes),
                None,
                false,
                "Scan"
            )),
            "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"
        );
        assert_eq!(
            refused(select(
                Some(Select::AllProjectedAttributes),
                PROJECTION,
                false,
                "Scan"
            )),
            "Cannot specify the ProjectionExpression when choosing to get \
             ALL_PROJECTED_ATTRIBUTES"
        );
        assert!(select(Some(Select::AllProjectedAttributes), None, true, "Query").is_ok());
    }

    #[test]
    fn all_attributes_needs_a_global_index_that_projects_everything() {
        let index = |kind, projection| IndexSchema {
            name: "byStatus".into(),
            kind,
            key_schema: KeySchema {
                partition_key: KeyAttribute::new("status", ScalarType::S),
                sort_key: None,
            },
            projection,
            additional_keys: AdditionalKeys::NONE,
        };
        let all = Some(Select::AllAttributes);
        for projection in [
            IndexProjection::KeysOnly,
            IndexProjection::Include(vec!["content".into()]),
        ] {
            assert_eq!(
                refused(select_on_index(
                    all,
                    &index(IndexKind::Global, projection.clone())
                )),
                "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not \
                 supported for global secondary index byStatus because its projection type is \
                 not ALL"
            );
            assert!(select_on_index(all, &index(IndexKind::Local, projection.clone())).is_ok());
            for other in [
                None,
                Some(Select::Count),
                Some(Select::AllProjectedAttributes),
            ] {
                assert!(
                    select_on_index(other, &index(IndexKind::Global, projection.clone())).is_ok()
                );
            }
        }
        assert!(select_on_index(all, &index(IndexKind::Global, IndexProjection::All)).is_ok());
    }
}
