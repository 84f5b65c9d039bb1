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
    Comparator, Condition, KeyCondition, KeyTerm, Operand, Path, PathElement, SetOperand, SetValue,
    SortKeyCondition, Update, UpdateAction,
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

    /// A value's placeholder. Its nesting is checked first, as for an item
    /// (`convert::to_sdk_item`).
    fn value(&mut self, value: &AttributeValue) -> Result<String> {
        notes_core::validate::value_nesting(value)?;
        let placeholder = format!(":v{}", self.values.len());
        self.values
            .insert(placeholder.clone(), SdkValue::from(value.clone()));
        Ok(placeholder)
    }

    /// A document path: `#n0.#n1[2]`. A path that does not start with an attribute name has
    /// no expression syntax: refused here, as `MemoryBackend` refuses it.
    pub(crate) fn path(&mut self, path: &Path) -> Result<String> {
        notes_core::validate::path_start(path)?;
        let mut out = String::new();
        for (i, element) in path.elements.iter().enumerate() {
            match element {
                PathElement::Name(name) => {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(&self.name(name));
                }
                PathElement::Index(index) => {
                    // Writing to a String cannot fail.
                    let _ = write!(out, "[{index}]");
                }
            }
        }
        Ok(out)
    }

    fn operand(&mut self, operand: &Operand) -> Result<String> {
        match operand {
            Operand::Path(path) => self.path(path),
            Operand::Value(value) => self.value(value),
            Operand::Size(path) => Ok(format!("size({})", self.path(path)?)),
            Operand::Invalid { path, message } => {
                Err(notes_core::validate::unconverted(path, message))
            }
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
                let descriptor = self.value(&AttributeValue::S((*descriptor).to_owned()))?;
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

    /// A `KeyConditionExpression`: every term joined by `AND` (the partition key's, a
    /// multi-attribute key's further partition and leading sort attributes', then the sort
    /// key's condition), each attribute named once in the order given.
    pub(crate) fn key_condition(&mut self, key_condition: &KeyCondition) -> Result<String> {
        let mut terms = Vec::new();
        for (name, term) in key_condition.terms() {
            let name = self.name(name);
            terms.push(match term {
                KeyTerm::Equals(value) => format!("{name} = {}", self.value(value)?),
                KeyTerm::Sort(SortKeyCondition::Compare(Comparator::Ne, _)) => {
                    return Err(Error::validation(
                        "Invalid KeyConditionExpression: the <> operator is not supported on a key",
                    ));
                }
                KeyTerm::Sort(SortKeyCondition::Compare(comparator, value)) => {
                    format!("{name} {} {}", comparator.symbol(), self.value(value)?)
                }
                KeyTerm::Sort(SortKeyCondition::Between(low, high)) => format!(
                    "{name} BETWEEN {} AND {}",
                    self.value(low)?,
                    self.value(high)?
                ),
                KeyTerm::Sort(SortKeyCondition::BeginsWith(prefix)) => {
                    format!("begins_with({name}, {})", self.value(prefix)?)
                }
            });
        }
        Ok(terms.join(" AND "))
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
            SetValue::IfNotExists(path, default) => self.if_not_exists(path, default)?,
            SetValue::Plus(a, b) => format!("{} + {}", self.set_operand(a)?, self.set_operand(b)?),
            SetValue::Minus(a, b) => {
                format!("{} - {}", self.set_operand(a)?, self.set_operand(b)?)
            }
            SetValue::ListAppend(a, b) => self.list_append(a, b)?,
        })
    }

    /// An operand of a `SET` value, functions nested as written.
    fn set_operand(&mut self, operand: &SetOperand) -> Result<String> {
        match operand {
            SetOperand::Operand(operand) => self.operand(operand),
            SetOperand::IfNotExists(path, default) => self.if_not_exists(path, default),
            SetOperand::ListAppend(a, b) => self.list_append(a, b),
        }
    }

    fn if_not_exists(&mut self, path: &Path, default: &SetOperand) -> Result<String> {
        Ok(format!(
            "if_not_exists({}, {})",
            self.path(path)?,
            self.set_operand(default)?
        ))
    }

    fn list_append(&mut self, a: &SetOperand, b: &SetOperand) -> Result<String> {
        Ok(format!(
            "list_append({}, {})",
            self.set_operand(a)?,
            self.set_operand(b)?
        ))
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
mod tests {
    use std::collections::HashMap;

    use aws_sdk_dynamodb::types::AttributeValue as SdkValue;
    use notes_model::AttributeValue;
    use notes_model::expr::{
        Comparator, Condition, KeyCondition, Operand, Path, SetOperand, SetValue, SortKeyCondition,
        Update, UpdateAction,
    };

    use super::Placeholders;
    use crate::Error;

    fn s(value: &str) -> AttributeValue {
        AttributeValue::S(value.to_owned())
    }

    fn n(value: &str) -> AttributeValue {
        AttributeValue::N(value.to_owned())
    }

    fn eq(name: &'static str, value: AttributeValue) -> Condition {
        Condition::Compare(
            Operand::Path(Path::attribute(name)),
            Comparator::Eq,
            Operand::Value(value),
        )
    }

    fn names(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn values(pairs: &[(&str, SdkValue)]) -> HashMap<String, SdkValue> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    fn sdk_s(value: &str) -> SdkValue {
        SdkValue::S(value.to_owned())
    }

    #[test]
    fn reserved_words_become_name_placeholders() {
        let mut p = Placeholders::new();
        let cond =
            eq("name", s("x")) & eq("status", s("y")) & Condition::Exists(Path::attribute("data"));
        let rendered = p.condition(&cond).unwrap();
        assert_eq!(
            rendered,
            "(#n0 = :v0 AND #n1 = :v1) AND attribute_exists(#n2)"
        );
        let (names_map, values_map) = p.finish();
        assert_eq!(
            names_map.unwrap(),
            names(&[("#n0", "name"), ("#n1", "status"), ("#n2", "data")])
        );
        assert_eq!(
            values_map.unwrap(),
            values(&[(":v0", sdk_s("x")), (":v1", sdk_s("y"))])
        );
    }

    #[test]
    fn hostile_values_never_reach_the_expression() {
        let nasty = "#n0) OR :v0 = \"it's\" #status: (";
        let mut p = Placeholders::new();
        let rendered = p.condition(&eq("content", s(nasty))).unwrap();
        assert_eq!(rendered, "#n0 = :v0");
        let (names_map, values_map) = p.finish();
        assert_eq!(names_map.unwrap(), names(&[("#n0", "content")]));
        assert_eq!(values_map.unwrap(), values(&[(":v0", sdk_s(nasty))]));
    }

    #[test]
    fn hostile_attribute_names_are_placeholders_too() {
        let mut p = Placeholders::new();
        let path = Path::attribute("a.b#c:d").key("e f)").index(2);
        assert_eq!(p.path(&path).unwrap(), "#n0.#n1[2]");
        let (names_map, _) = p.finish();
        assert_eq!(
            names_map.unwrap(),
            names(&[("#n0", "a.b#c:d"), ("#n1", "e f)")])
        );
    }

    #[test]
    fn names_are_shared_across_key_condition_filter_and_projection() {
        let mut p = Placeholders::new();
        let kc = KeyCondition::partition("userId", s("u1"))
            .with_sort_key("noteId", SortKeyCondition::BeginsWith(s("2026")));
        assert_eq!(
            p.key_condition(&kc).unwrap(),
            "#n0 = :v0 AND begins_with(#n1, :v1)"
        );
        let filter = eq("status", s("open")) | eq("userId", s("u1"));
        assert_eq!(p.condition(&filter).unwrap(), "#n2 = :v2 OR #n0 = :v3");
        let projection = [
            Path::attribute("noteId"),
            Path::attribute("status"),
            Path::attribute("content"),
        ];
        assert_eq!(p.projection(&projection).unwrap(), "#n1, #n2, #n3");
        let (names_map, values_map) = p.finish();
        assert_eq!(
            names_map.unwrap(),
            names(&[
                ("#n0", "userId"),
                ("#n1", "noteId"),
                ("#n2", "status"),
                ("#n3", "content")
            ])
        );
        assert_eq!(values_map.unwrap().len(), 4);
    }

    #[test]
    fn sort_key_conditions_render_each_form() {
        let pk = || KeyCondition::partition("pk", s("p"));
        let mut p = Placeholders::new();
        let kc = pk().with_sort_key("sk", SortKeyCondition::Compare(Comparator::Ge, n("5")));
        assert_eq!(p.key_condition(&kc).unwrap(), "#n0 = :v0 AND #n1 >= :v1");
        let mut p = Placeholders::new();
        let kc = pk().with_sort_key("sk", SortKeyCondition::Between(n("1"), n("9")));
        assert_eq!(
            p.key_condition(&kc).unwrap(),
            "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2"
        );
        let mut p = Placeholders::new();
        assert_eq!(p.key_condition(&pk()).unwrap(), "#n0 = :v0");
    }

    #[test]
    fn a_multi_attribute_key_condition_renders_every_term() {
        let mut p = Placeholders::new();
        let kc = KeyCondition::partition("tenant", s("t"))
            .and_partition_key("region", s("eu"))
            .and_leading_sort_key("year", n("2026"))
            .with_sort_key("month", SortKeyCondition::Between(n("1"), n("6")));
        assert_eq!(
            p.key_condition(&kc).unwrap(),
            "#n0 = :v0 AND #n1 = :v1 AND #n2 = :v2 AND #n3 BETWEEN :v3 AND :v4"
        );
        let (names_map, values_map) = p.finish();
        assert_eq!(
            names_map.unwrap(),
            names(&[
                ("#n0", "tenant"),
                ("#n1", "region"),
                ("#n2", "year"),
                ("#n3", "month")
            ])
        );
        assert_eq!(values_map.unwrap().len(), 5);
    }

    #[test]
    fn not_equal_on_a_sort_key_is_rejected_before_sending() {
        let mut p = Placeholders::new();
        let kc = KeyCondition::partition("pk", s("p"))
            .with_sort_key("sk", SortKeyCondition::Compare(Comparator::Ne, n("5")));
        assert!(matches!(
            p.key_condition(&kc),
            Err(Error::Validation { .. })
        ));
    }

    #[test]
    fn every_condition_form_renders() {
        let mut p = Placeholders::new();
        let path = || Operand::Path(Path::attribute("a"));
        let cases = [
            (
                Condition::Between(path(), Operand::Value(n("1")), Operand::Value(n("2"))),
                "#n0 BETWEEN :v0 AND :v1",
            ),
            (
                Condition::In(path(), vec![Operand::Value(n("3")), Operand::Value(n("4"))]),
                "#n0 IN (:v2, :v3)",
            ),
            (
                Condition::BeginsWith(Path::attribute("a"), Operand::Value(s("x"))),
                "begins_with(#n0, :v4)",
            ),
            (
                Condition::Contains(Path::attribute("tags"), Operand::Value(s("t"))),
                "contains(#n1, :v5)",
            ),
            (
                Condition::NotExists(Path::attribute("a")),
                "attribute_not_exists(#n0)",
            ),
            (
                Condition::Type(Path::attribute("a"), "SS"),
                "attribute_type(#n0, :v6)",
            ),
            (
                Condition::Compare(
                    Operand::Size(Path::attribute("tags")),
                    Comparator::Lt,
                    Operand::Path(Path::attribute("max")),
                ),
                "size(#n1) < #n2",
            ),
            (
                !(eq("a", n("1")) | eq("b", n("2"))),
                "NOT (#n0 = :v7 OR #n3 = :v8)",
            ),
            (!eq("a", n("1")), "NOT #n0 = :v9"),
        ];
        for (condition, expected) in cases {
            assert_eq!(p.condition(&condition).unwrap(), expected);
        }
        let (_, values_map) = p.finish();
        assert_eq!(values_map.unwrap()[":v6"], sdk_s("SS"));
    }

    #[test]
    fn or_inside_and_keeps_its_grouping() {
        let mut p = Placeholders::new();
        let cond = (eq("a", n("1")) | eq("b", n("2"))) & eq("c", n("3"));
        assert_eq!(
            p.condition(&cond).unwrap(),
            "(#n0 = :v0 OR #n1 = :v1) AND #n2 = :v2"
        );
    }

    #[test]
    fn invalid_operands_are_validation_errors() {
        let mut p = Placeholders::new();
        let cond = Condition::Compare(
            Operand::Path(Path::attribute("a")),
            Comparator::Eq,
            Operand::Invalid {
                path: Path::attribute("a"),
                message: "map key must be a string".to_owned(),
            },
        );
        let err = p.condition(&cond).unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err}");
        assert!(
            err.to_string().contains("map key must be a string"),
            "{err}"
        );
    }

    #[test]
    fn empty_in_list_and_bad_paths_are_validation_errors() {
        let mut p = Placeholders::new();
        let empty_in = Condition::In(Operand::Path(Path::attribute("a")), Vec::new());
        assert!(matches!(
            p.condition(&empty_in),
            Err(Error::Validation { .. })
        ));
        let index_first = Path {
            elements: vec![notes_model::expr::PathElement::Index(0)],
        };
        assert!(matches!(
            p.path(&index_first),
            Err(Error::Validation { .. })
        ));
        assert!(matches!(
            p.path(&Path {
                elements: Vec::new()
            }),
            Err(Error::Validation { .. })
        ));
        assert!(matches!(p.projection(&[]), Err(Error::Validation { .. })));
    }

    #[test]
    fn update_groups_actions_into_clauses() {
        let mut p = Placeholders::new();
        let update = Update::new()
            .and(UpdateAction::Set(
                Path::attribute("content"),
                SetValue::Value(Operand::Value(s("hi"))),
            ))
            .and(UpdateAction::Remove(Path::attribute("attachment")))
            .and(UpdateAction::Add(
                Path::attribute("count"),
                Operand::Value(n("1")),
            ))
            .and(UpdateAction::Set(
                Path::attribute("created"),
                SetValue::IfNotExists(Path::attribute("created"), Operand::Value(n("7")).into()),
            ))
            .and(UpdateAction::Delete(
                Path::attribute("tags"),
                Operand::Value(AttributeValue::Ss(vec!["x".to_owned()])),
            ))
            .and(UpdateAction::Set(
                Path::attribute("list"),
                SetValue::ListAppend(
                    Operand::Path(Path::attribute("list")).into(),
                    Operand::Value(AttributeValue::L(vec![n("1")])).into(),
                ),
            ))
            .and(UpdateAction::Set(
                Path::attribute("count"),
                SetValue::Minus(
                    Operand::Path(Path::attribute("count")).into(),
                    Operand::Value(n("2")).into(),
                ),
            ))
            .and(UpdateAction::Set(
                Path::attribute("count"),
                SetValue::Plus(
                    Operand::Path(Path::attribute("count")).into(),
                    Operand::Value(n("3")).into(),
                ),
            ));
        assert_eq!(
            p.update(&update).unwrap().unwrap(),
            "SET #n0 = :v0, #n3 = if_not_exists(#n3, :v2), #n5 = list_append(#n5, :v4), \
             #n2 = #n2 - :v5, #n2 = #n2 + :v6 REMOVE #n1 ADD #n2 :v1 DELETE #n4 :v3"
        );
    }

    #[test]
    fn nested_set_functions_render_as_written() {
        let mut p = Placeholders::new();
        let c = || Path::attribute("c");
        let l = || Path::attribute("l");
        let list = |values: Vec<AttributeValue>| Operand::Value(AttributeValue::L(values));
        let update = Update::new()
            .and(UpdateAction::Set(
                c(),
                SetValue::Plus(
                    SetOperand::if_not_exists(c(), Operand::Value(n("0"))),
                    Operand::Value(n("1")).into(),
                ),
            ))
            .and(UpdateAction::Set(
                l(),
                SetValue::ListAppend(
                    SetOperand::if_not_exists(l(), list(vec![])),
                    list(vec![s("x")]).into(),
                ),
            ))
            .and(UpdateAction::Set(
                Path::attribute("d"),
                SetValue::IfNotExists(
                    Path::attribute("d"),
                    SetOperand::list_append(
                        SetOperand::list_append(Operand::Path(l()), list(vec![])),
                        SetOperand::if_not_exists(c(), Operand::Path(l())),
                    ),
                ),
            ))
            .and(UpdateAction::Set(
                Path::attribute("e"),
                SetValue::Minus(
                    SetOperand::if_not_exists(c(), Operand::Value(n("5"))),
                    SetOperand::if_not_exists(Path::attribute("e"), Operand::Value(n("0"))),
                ),
            ));
        assert_eq!(
            p.update(&update).unwrap().unwrap(),
            "SET #n0 = if_not_exists(#n0, :v0) + :v1, \
             #n1 = list_append(if_not_exists(#n1, :v2), :v3), \
             #n2 = if_not_exists(#n2, list_append(list_append(#n1, :v4), if_not_exists(#n0, #n1))), \
             #n3 = if_not_exists(#n0, :v5) - if_not_exists(#n3, :v6)"
        );
        let (names_map, values_map) = p.finish();
        assert_eq!(
            names_map.unwrap(),
            names(&[("#n0", "c"), ("#n1", "l"), ("#n2", "d"), ("#n3", "e")])
        );
        assert_eq!(values_map.unwrap().len(), 7);
    }

    #[test]
    fn an_update_without_actions_renders_nothing() {
        let mut p = Placeholders::new();
        assert_eq!(p.update(&Update::new()).unwrap(), None);
        assert_eq!(p.finish(), (None, None));
    }

    #[test]
    fn update_and_condition_share_placeholders() {
        let mut p = Placeholders::new();
        let update = Update::from(UpdateAction::Set(
            Path::attribute("status"),
            SetValue::Value(Operand::Value(s("done"))),
        ));
        assert_eq!(p.update(&update).unwrap().unwrap(), "SET #n0 = :v0");
        assert_eq!(p.condition(&eq("status", s("open"))).unwrap(), "#n0 = :v1");
        let (names_map, values_map) = p.finish();
        assert_eq!(names_map.unwrap(), names(&[("#n0", "status")]));
        assert_eq!(
            values_map.unwrap(),
            values(&[(":v0", sdk_s("done")), (":v1", sdk_s("open"))])
        );
    }
}
