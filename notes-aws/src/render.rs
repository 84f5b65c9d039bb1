//! Renders the expression AST to DynamoDB expression syntax, with placeholders only.
//!
//! Every attribute name becomes `#n0`, `#n1`, ... (one placeholder per distinct name in a
//! request) and every value `:v0`, `:v1`, ...; nothing the caller wrote is ever spliced into an
//! expression string, so reserved words and values full of `#`, `:` or quotes need no care.

use std::collections::HashMap;
use std::fmt::Write as _;

use aws_sdk_dynamodb::types::AttributeValue as SdkValue;
use notes_model::AttributeValue;
use notes_model::expr::{
    Comparator, Condition, KeyCondition, Operand, Path, PathElement, SetValue, SortKeyCondition,
    Update, UpdateAction,
};

use notes_core::{Error, Result};

/// `ExpressionAttributeNames`: `#nK` -> attribute name.
pub(crate) type Names = HashMap<String, String>;

/// `ExpressionAttributeValues`: `:vK` -> value.
pub(crate) type Values = HashMap<String, SdkValue>;

/// The placeholder maps of one request (or one action of a transaction), shared by all the
/// expressions it carries.
#[derive(Debug, Default)]
pub(crate) struct Placeholders {
    /// `#nK` -> attribute name.
    names: Names,
    /// Attribute name -> `#nK`, so a name used twice gets one placeholder.
    by_name: HashMap<String, String>,
    /// `:vK` -> value.
    values: Values,
}

impl Placeholders {
    /// Fresh, empty maps.
    pub(crate) fn new() -> Self {
        Placeholders::default()
    }

    /// `ExpressionAttributeNames` and `ExpressionAttributeValues`, each `None` when no
    /// expression used one (DynamoDB rejects an empty map).
    pub(crate) fn finish(self) -> (Option<Names>, Option<Values>) {
        let names = (!self.names.is_empty()).then_some(self.names);
        let values = (!self.values.is_empty()).then_some(self.values);
        (names, values)
    }

    fn name(&mut self, name: &str) -> String {
        if let Some(placeholder) = self.by_name.get(name) {
            return placeholder.clone();
        }
        let placeholder = format!("#n{}", self.names.len());
        self.names.insert(placeholder.clone(), name.to_owned());
        self.by_name.insert(name.to_owned(), placeholder.clone());
        placeholder
    }

    fn value(&mut self, value: &AttributeValue) -> String {
        let placeholder = format!(":v{}", self.values.len());
        self.values
            .insert(placeholder.clone(), SdkValue::from(value.clone()));
        placeholder
    }

    /// A document path: `#n0.#n1[2]`.
    pub(crate) fn path(&mut self, path: &Path) -> Result<String> {
        let mut out = String::new();
        for (i, element) in path.elements.iter().enumerate() {
            match element {
                PathElement::Name(name) => {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(&self.name(name));
                }
                PathElement::Index(index) if i > 0 => {
                    // Writing to a String cannot fail.
                    let _ = write!(out, "[{index}]");
                }
                PathElement::Index(_) => {
                    return Err(Error::validation(format!(
                        "invalid document path `{path}`: a path starts with an attribute name"
                    )));
                }
            }
        }
        if out.is_empty() {
            return Err(Error::validation(
                "invalid document path: the path is empty",
            ));
        }
        Ok(out)
    }

    fn operand(&mut self, operand: &Operand) -> Result<String> {
        match operand {
            Operand::Path(path) => self.path(path),
            Operand::Value(value) => Ok(self.value(value)),
            Operand::Size(path) => Ok(format!("size({})", self.path(path)?)),
            Operand::Invalid { path, message } => Err(Error::validation(format!(
                "invalid value for attribute `{path}`: {message}"
            ))),
        }
    }

    /// A `ConditionExpression` or `FilterExpression`.
    pub(crate) fn condition(&mut self, condition: &Condition) -> Result<String> {
        Ok(match condition {
            Condition::Compare(a, comparator, b) => format!(
                "{} {} {}",
                self.operand(a)?,
                comparator.symbol(),
                self.operand(b)?
            ),
            Condition::Between(a, low, high) => format!(
                "{} BETWEEN {} AND {}",
                self.operand(a)?,
                self.operand(low)?,
                self.operand(high)?
            ),
            Condition::In(a, list) => {
                if list.is_empty() {
                    return Err(Error::validation(
                        "Invalid ConditionExpression: the IN operator needs at least one value",
                    ));
                }
                let a = self.operand(a)?;
                let list = list
                    .iter()
                    .map(|operand| self.operand(operand))
                    .collect::<Result<Vec<_>>>()?;
                format!("{a} IN ({})", list.join(", "))
            }
            Condition::BeginsWith(path, prefix) => format!(
                "begins_with({}, {})",
                self.path(path)?,
                self.operand(prefix)?
            ),
            Condition::Contains(path, operand) => {
                format!("contains({}, {})", self.path(path)?, self.operand(operand)?)
            }
            Condition::Exists(path) => format!("attribute_exists({})", self.path(path)?),
            Condition::NotExists(path) => format!("attribute_not_exists({})", self.path(path)?),
            Condition::Type(path, descriptor) => {
                let path = self.path(path)?;
                let descriptor = self.value(&AttributeValue::S((*descriptor).to_owned()));
                format!("attribute_type({path}, {descriptor})")
            }
            Condition::And(a, b) => format!("{} AND {}", self.nested(a)?, self.nested(b)?),
            Condition::Or(a, b) => format!("{} OR {}", self.nested(a)?, self.nested(b)?),
            Condition::Not(a) => format!("NOT {}", self.nested(a)?),
        })
    }

    /// A sub-condition of `AND`/`OR`/`NOT`, parenthesized when it is itself compound, so the
    /// tree's shape never depends on DynamoDB's operator precedence.
    fn nested(&mut self, condition: &Condition) -> Result<String> {
        let rendered = self.condition(condition)?;
        Ok(match condition {
            Condition::And(..) | Condition::Or(..) | Condition::Not(..) => format!("({rendered})"),
            _ => rendered,
        })
    }

    /// A `KeyConditionExpression`.
    pub(crate) fn key_condition(&mut self, key_condition: &KeyCondition) -> Result<String> {
        let (pk_name, pk_value) = &key_condition.partition_key;
        let mut out = format!("{} = {}", self.name(pk_name), self.value(pk_value));
        if let Some((sk_name, sk_condition)) = &key_condition.sort_key {
            let sk = self.name(sk_name);
            let rendered = match sk_condition {
                SortKeyCondition::Compare(Comparator::Ne, _) => {
                    return Err(Error::validation(
                        "Invalid KeyConditionExpression: the <> operator is not supported on a key",
                    ));
                }
                SortKeyCondition::Compare(comparator, value) => {
                    format!("{sk} {} {}", comparator.symbol(), self.value(value))
                }
                SortKeyCondition::Between(low, high) => {
                    format!("{sk} BETWEEN {} AND {}", self.value(low), self.value(high))
                }
                SortKeyCondition::BeginsWith(prefix) => {
                    format!("begins_with({sk}, {})", self.value(prefix))
                }
            };
            out.push_str(" AND ");
            out.push_str(&rendered);
        }
        Ok(out)
    }

    /// An `UpdateExpression`, or `None` for an update without actions.
    pub(crate) fn update(&mut self, update: &Update) -> Result<Option<String>> {
        let mut set = Vec::new();
        let mut remove = Vec::new();
        let mut add = Vec::new();
        let mut delete = Vec::new();
        for action in &update.actions {
            match action {
                UpdateAction::Set(path, value) => {
                    let path = self.path(path)?;
                    let value = self.set_value(value)?;
                    set.push(format!("{path} = {value}"));
                }
                UpdateAction::Remove(path) => remove.push(self.path(path)?),
                UpdateAction::Add(path, operand) => {
                    add.push(format!("{} {}", self.path(path)?, self.operand(operand)?));
                }
                UpdateAction::Delete(path, operand) => {
                    delete.push(format!("{} {}", self.path(path)?, self.operand(operand)?));
                }
            }
        }
        let clauses: Vec<String> = [
            ("SET", set),
            ("REMOVE", remove),
            ("ADD", add),
            ("DELETE", delete),
        ]
        .into_iter()
        .filter(|(_, actions)| !actions.is_empty())
        .map(|(keyword, actions)| format!("{keyword} {}", actions.join(", ")))
        .collect();
        Ok((!clauses.is_empty()).then(|| clauses.join(" ")))
    }

    fn set_value(&mut self, value: &SetValue) -> Result<String> {
        Ok(match value {
            SetValue::Value(operand) => self.operand(operand)?,
            SetValue::IfNotExists(path, operand) => format!(
                "if_not_exists({}, {})",
                self.path(path)?,
                self.operand(operand)?
            ),
            SetValue::Plus(a, b) => format!("{} + {}", self.operand(a)?, self.operand(b)?),
            SetValue::Minus(a, b) => format!("{} - {}", self.operand(a)?, self.operand(b)?),
            SetValue::ListAppend(a, b) => {
                format!("list_append({}, {})", self.operand(a)?, self.operand(b)?)
            }
        })
    }

    /// A `ProjectionExpression`: `#n0, #n1.#n2`.
    pub(crate) fn projection(&mut self, paths: &[Path]) -> Result<String> {
        if paths.is_empty() {
            return Err(Error::validation(
                "Invalid ProjectionExpression: The expression can not be empty;",
            ));
        }
        let paths = paths
            .iter()
            .map(|path| self.path(path))
            .collect::<Result<Vec<_>>>()?;
        Ok(paths.join(", "))
    }

    /// The projection of `paths`, if any.
    pub(crate) fn optional_projection(&mut self, paths: Option<&[Path]>) -> Result<Option<String>> {
        paths.map(|paths| self.projection(paths)).transpose()
    }

    /// The condition, if any.
    pub(crate) fn optional_condition(
        &mut self,
        condition: Option<&Condition>,
    ) -> Result<Option<String>> {
        condition.map(|c| self.condition(c)).transpose()
    }
}

/// The expressions of one request in DynamoDB's syntax, exactly as [`DynamoDbBackend`] sends
/// them: expression strings holding only `#nK` / `:vK` placeholders, and the two maps.
///
/// [`DynamoDbBackend`]: crate::DynamoDbBackend
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RenderedExpressions {
    /// `KeyConditionExpression`.
    pub key_condition: Option<String>,
    /// `UpdateExpression` (`None` for an update without actions).
    pub update: Option<String>,
    /// `ConditionExpression` or `FilterExpression`.
    pub condition: Option<String>,
    /// `ProjectionExpression`.
    pub projection: Option<String>,
    /// `ExpressionAttributeNames`: `#nK` -> attribute name (`None` when no name was used).
    pub names: Option<HashMap<String, String>>,
    /// `ExpressionAttributeValues`: `:vK` -> value (`None` when no value was used).
    pub values: Option<HashMap<String, AttributeValue>>,
}

/// Renders the expressions of one request (each part optional) with one set of placeholders,
/// in the order `DynamoDbBackend` renders them; the validation errors are the ones it raises
/// before sending anything. For inspecting what is sent, and for fuzzing the renderer.
///
/// ```
/// let cond = notes_model::Note::CONTENT.eq("a) OR (1 = 1");
/// let out = notes_repo::render_expressions(None, None, Some(&cond), None)?;
/// assert_eq!(out.condition.as_deref(), Some("#n0 = :v0"));
/// # Ok::<(), notes_repo::Error>(())
/// ```
pub fn render_expressions(
    key_condition: Option<&KeyCondition>,
    update: Option<&Update>,
    condition: Option<&Condition>,
    projection: Option<&[Path]>,
) -> Result<RenderedExpressions> {
    let (mut rendered, values) = render(key_condition, update, condition, projection)?;
    rendered.values = values.map(|values| {
        values
            .into_iter()
            .map(|(k, v)| (k, AttributeValue::from(v)))
            .collect()
    });
    Ok(rendered)
}

/// What `DynamoDbBackend` sends for one request (or one transaction action): the expressions
/// [`render_expressions`] renders, with `ExpressionAttributeValues` as the SDK takes them
/// (the first's `values` is left `None`).
pub(crate) fn render(
    key_condition: Option<&KeyCondition>,
    update: Option<&Update>,
    condition: Option<&Condition>,
    projection: Option<&[Path]>,
) -> Result<(RenderedExpressions, Option<Values>)> {
    let mut placeholders = Placeholders::new();
    let key_condition = key_condition
        .map(|k| placeholders.key_condition(k))
        .transpose()?;
    let update = match update {
        Some(update) => placeholders.update(update)?,
        None => None,
    };
    let condition = placeholders.optional_condition(condition)?;
    let projection = placeholders.optional_projection(projection)?;
    let (names, values) = placeholders.finish();
    let rendered = RenderedExpressions {
        key_condition,
        update,
        condition,
        projection,
        names,
        values: None,
    };
    Ok((rendered, values))
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;
