//! DynamoDB's request validation rules, shared by the typed `Repo` (checked before any request
//! is sent) and by `MemoryBackend` (which must reject what DynamoDB rejects).
//!
//! Every error is [`Error::Validation`] with DynamoDB's `ValidationException` wording first,
//! followed by where the problem is (attribute, path or key), so a `contains` check against
//! the service's message works and a human still learns what to fix.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt::{self, Write as _};

use notes_model::expr::{
    Comparator, Condition, KeyCondition, Operand, Path, PathElement, SetValue, SortKeyCondition,
    Update, UpdateAction,
};
use notes_model::{AttributeValue, ItemMap, KeyAttribute, KeySchema, ScalarType, type_descriptor};

use crate::error::{Error, Result};
use crate::number::{Number, NumberError};

/// The largest item DynamoDB stores: 400 KB.
pub(crate) const MAX_ITEM_SIZE: usize = 400 * 1024;
/// The largest partition key value, in bytes.
pub(crate) const MAX_PARTITION_KEY_SIZE: usize = 2048;
/// The largest sort key value, in bytes.
pub(crate) const MAX_SORT_KEY_SIZE: usize = 1024;
/// Document nesting levels; the top-level attribute's value is level 1.
pub(crate) const MAX_NESTING_LEVELS: usize = 32;
/// The most operands of `IN`.
const MAX_IN_OPERANDS: usize = 100;
/// The most operators and functions in one expression.
const MAX_OPERATORS: usize = 300;

const INVALID: &str = "One or more parameter values were invalid: ";

/// Checks a whole item for `PutItem` (and the result of an update): key attributes, values,
/// nesting and the 400 KB item size.
pub(crate) fn item(item: &ItemMap, schema: &KeySchema) -> Result<()> {
    for attribute in schema.attributes() {
        let name = attribute.name.as_ref();
        match item.get(name) {
            None => return Err(invalid(format!("Missing the key {name} in the item"))),
            Some(value) if ScalarType::of(value) != Some(attribute.scalar_type) => {
                return Err(invalid(format!(
                    "Type mismatch for key {name} expected: {} actual: {}",
                    attribute.scalar_type,
                    type_descriptor(value)
                )));
            }
            Some(value) => key_value(attribute, value, schema)?,
        }
    }
    for (name, value) in item {
        attribute_value(value, &Location::attribute(name), Context::Item)?;
    }
    let size = item_size(item);
    if size > MAX_ITEM_SIZE {
        return Err(Error::validation(format!(
            "Item size has exceeded the maximum allowed size ({size} bytes; the limit is \
             {MAX_ITEM_SIZE} bytes, counting attribute names and values)"
        )));
    }
    Ok(())
}

/// Checks a `Key` parameter: exactly the schema's key attributes, with valid values.
pub(crate) fn key(key: &ItemMap, schema: &KeySchema) -> Result<()> {
    let matches = key.len() == schema.attributes().count()
        && schema
            .attributes()
            .all(|a| key.get(a.name.as_ref()).and_then(ScalarType::of) == Some(a.scalar_type));
    if !matches {
        let expected: Vec<String> = schema
            .attributes()
            .map(|a| format!("{} ({})", a.name, a.scalar_type))
            .collect();
        let mut got: Vec<String> = key
            .iter()
            .map(|(name, value)| format!("{name} ({})", type_descriptor(value)))
            .collect();
        got.sort();
        return Err(Error::validation(format!(
            "The provided key element does not match the schema (expected {}; got {})",
            expected.join(", "),
            if got.is_empty() {
                "no attributes".to_owned()
            } else {
                got.join(", ")
            }
        )));
    }
    for attribute in schema.attributes() {
        if let Some(value) = key.get(attribute.name.as_ref()) {
            key_value(attribute, value, schema)?;
        }
    }
    Ok(())
}

/// Checks one key attribute value: not empty, within the key size limit, a valid number.
fn key_value(attribute: &KeyAttribute, value: &AttributeValue, schema: &KeySchema) -> Result<()> {
    let name = attribute.name.as_ref();
    let size = match value {
        AttributeValue::S(s) if s.is_empty() => {
            return Err(Error::validation(format!(
                "One or more parameter values are not valid. The AttributeValue for a key \
                 attribute cannot contain an empty string value. Key: {name}"
            )));
        }
        AttributeValue::B(b) if b.is_empty() => {
            return Err(Error::validation(format!(
                "One or more parameter values are not valid. The AttributeValue for a key \
                 attribute cannot contain an empty binary value. Key: {name}"
            )));
        }
        AttributeValue::N(text) => number(text, &Location::attribute(name))?.stored_size(),
        other => value_size(other),
    };
    let is_partition = schema.partition_key.name == name;
    if is_partition && size > MAX_PARTITION_KEY_SIZE {
        return Err(invalid(format!(
            "Size of hashkey has exceeded the maximum size limit of{MAX_PARTITION_KEY_SIZE} bytes \
             (key {name} is {size} bytes)"
        )));
    }
    if !is_partition && size > MAX_SORT_KEY_SIZE {
        return Err(invalid(format!(
            "Aggregated size of all range keys has exceeded the size limit of \
             {MAX_SORT_KEY_SIZE} bytes (key {name} is {size} bytes)"
        )));
    }
    Ok(())
}

/// Checks a condition (`ConditionExpression`, `FilterExpression`): operands that could not be
/// converted, literal values, paths, `IN` and `attribute_type` arguments, expression size.
pub(crate) fn condition(condition: &Condition) -> Result<()> {
    let operators = count_operators(condition);
    if operators > MAX_OPERATORS {
        return Err(Error::validation(format!(
            "Invalid ConditionExpression: The expression contains too many operators; \
             operator count: {operators} (the limit is {MAX_OPERATORS})"
        )));
    }
    check_condition(condition)
}

/// Counts operators without recursion, so a pathologically deep condition cannot overflow the
/// stack before it is rejected.
fn count_operators(condition: &Condition) -> usize {
    let mut stack = vec![condition];
    let mut count = 0;
    while let Some(c) = stack.pop() {
        count += 1;
        match c {
            Condition::And(a, b) | Condition::Or(a, b) => stack.extend([a.as_ref(), b.as_ref()]),
            Condition::Not(a) => stack.push(a),
            _ => {}
        }
        if count > MAX_OPERATORS {
            break;
        }
    }
    count
}

fn check_condition(condition: &Condition) -> Result<()> {
    match condition {
        Condition::Compare(a, _, b) => operands(&[a, b]),
        Condition::Between(a, low, high) => {
            operands(&[a, low, high])?;
            if let (Operand::Value(l), Operand::Value(h)) = (low, high)
                && compare_scalars(l, h) == Some(Ordering::Greater)
            {
                return Err(Error::validation(format!(
                    "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be \
                     greater than or equal to lower bound; lower bound operand: {}, upper bound \
                     operand: {} (comparing {})",
                    describe(l),
                    describe(h),
                    describe_operand(a)
                )));
            }
            Ok(())
        }
        Condition::In(a, list) => {
            if list.is_empty() || list.len() > MAX_IN_OPERANDS {
                return Err(Error::validation(format!(
                    "Invalid ConditionExpression: The IN operator is provided with a wrong number \
                     of operands; number of operands: {} (1 to {MAX_IN_OPERANDS} are allowed, \
                     comparing {})",
                    list.len(),
                    describe_operand(a)
                )));
            }
            operand(a)?;
            list.iter().try_for_each(operand)
        }
        Condition::BeginsWith(p, prefix) => {
            path(p)?;
            operand(prefix)?;
            match prefix {
                Operand::Value(AttributeValue::S(_) | AttributeValue::B(_)) | Operand::Path(_) => {
                    Ok(())
                }
                other => Err(Error::validation(format!(
                    "Invalid ConditionExpression: Incorrect operand type for operator or \
                     function; operator or function: begins_with, operand type: {} (path {p})",
                    operand_type(other)
                ))),
            }
        }
        Condition::Contains(p, o) => {
            path(p)?;
            operand(o)
        }
        Condition::Exists(p) | Condition::NotExists(p) => path(p),
        Condition::Type(p, t) => {
            path(p)?;
            const TYPES: [&str; 10] = ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"];
            if TYPES.contains(t) {
                Ok(())
            } else {
                Err(Error::validation(format!(
                    "Invalid ConditionExpression: Invalid attribute type name found; type: {t}, \
                     valid types: {{ B,N,S,BS,NS,SS,M,L,NULL,BOOL }} (path {p})"
                )))
            }
        }
        Condition::And(a, b) | Condition::Or(a, b) => {
            check_condition(a)?;
            check_condition(b)
        }
        Condition::Not(a) => check_condition(a),
    }
}

fn operands(list: &[&Operand]) -> Result<()> {
    list.iter().try_for_each(|o| operand(o))
}

/// Checks one operand: a valid path, or a valid literal value.
fn operand(operand: &Operand) -> Result<()> {
    match operand {
        Operand::Path(p) | Operand::Size(p) => path(p),
        Operand::Value(value) => attribute_value(value, &Location::Value, Context::Expression),
        Operand::Invalid { path, message } => Err(Error::validation(format!(
            "ExpressionAttributeValues contains invalid value: the value for `{path}` could not \
             be converted: {message}"
        ))),
    }
}

/// Checks a document path: starts with a non-empty attribute name, no empty map keys.
fn path(path: &Path) -> Result<()> {
    match path.elements.first() {
        Some(PathElement::Name(_)) => {}
        _ => {
            return Err(Error::validation(format!(
                "Invalid expression: a document path must start with an attribute name, \
                 found `{path}`"
            )));
        }
    }
    if path.elements.len() > MAX_NESTING_LEVELS {
        return Err(Error::validation(format!(
            "Invalid expression: The document path has too many nesting levels; nesting levels: \
             {} (the limit is {MAX_NESTING_LEVELS}; path `{path}`)",
            path.elements.len()
        )));
    }
    if path
        .elements
        .iter()
        .any(|e| matches!(e, PathElement::Name(n) if n.is_empty()))
    {
        return Err(Error::validation(format!(
            "ExpressionAttributeNames contains invalid value: Empty attribute name (path `{path}`)"
        )));
    }
    Ok(())
}

/// Checks an update: not empty, no key attributes written, no overlapping paths, operand types
/// that DynamoDB rejects before reading the item.
pub(crate) fn update(update: &Update, schema: &KeySchema) -> Result<()> {
    if update.actions.is_empty() {
        return Err(Error::validation(
            "Invalid UpdateExpression: The expression can not be empty; (the update has no actions)",
        ));
    }
    if update.actions.len() > MAX_OPERATORS {
        return Err(Error::validation(format!(
            "Invalid UpdateExpression: The expression contains too many operators; operator \
             count: {} (the limit is {MAX_OPERATORS})",
            update.actions.len()
        )));
    }
    for action in &update.actions {
        let target = action.path();
        path(target)?;
        if let Some(name) = target.top_level()
            && schema.is_key_attribute(name)
        {
            return Err(invalid(format!(
                "Cannot update attribute {name}. This attribute is part of the key"
            )));
        }
        match action {
            UpdateAction::Set(_, value) => set_value(value)?,
            UpdateAction::Remove(_) => {}
            UpdateAction::Add(p, o) => {
                update_operand(o)?;
                literal_of_type(o, "ADD", p, &["N", "SS", "NS", "BS"])?;
            }
            UpdateAction::Delete(p, o) => {
                update_operand(o)?;
                literal_of_type(o, "DELETE", p, &["SS", "NS", "BS"])?;
            }
        }
    }
    overlapping(
        update.actions.iter().map(UpdateAction::path),
        "UpdateExpression",
    )
}

fn set_value(value: &SetValue) -> Result<()> {
    match value {
        SetValue::Value(o) => update_operand(o),
        SetValue::IfNotExists(p, o) => {
            path(p)?;
            update_operand(o)
        }
        SetValue::Plus(a, b) | SetValue::Minus(a, b) => {
            let op = if matches!(value, SetValue::Plus(..)) {
                "+"
            } else {
                "-"
            };
            for o in [a, b] {
                update_operand(o)?;
                if let Operand::Value(v) = o
                    && !matches!(v, AttributeValue::N(_))
                {
                    return Err(incorrect_operand(op, v));
                }
            }
            Ok(())
        }
        SetValue::ListAppend(a, b) => {
            for o in [a, b] {
                update_operand(o)?;
                if let Operand::Value(v) = o
                    && !matches!(v, AttributeValue::L(_))
                {
                    return Err(incorrect_operand("list_append", v));
                }
            }
            Ok(())
        }
    }
}

fn update_operand(o: &Operand) -> Result<()> {
    if let Operand::Size(p) = o {
        return Err(Error::validation(format!(
            "Invalid UpdateExpression: The function is not allowed in an update expression; \
             function: size (size({p}))"
        )));
    }
    operand(o)
}

fn literal_of_type(o: &Operand, op: &str, target: &Path, types: &[&str]) -> Result<()> {
    match o {
        Operand::Value(v) if types.contains(&type_descriptor(v)) => Ok(()),
        Operand::Value(v) => Err(Error::validation(format!(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; \
             operator: {op}, operand type: {} (path {target})",
            type_name(v)
        ))),
        _ => Err(Error::validation(format!(
            "Invalid UpdateExpression: {op} requires a literal value operand (path {target})"
        ))),
    }
}

fn incorrect_operand(op: &str, v: &AttributeValue) -> Error {
    Error::validation(format!(
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or \
         function: {op}, operand type: {}",
        type_name(v)
    ))
}

/// Rejects two paths of which one is a prefix of (or equal to) the other.
fn overlapping<'a>(paths: impl Iterator<Item = &'a Path>, expression: &str) -> Result<()> {
    let paths: Vec<&Path> = paths.collect();
    for (i, one) in paths.iter().enumerate() {
        for two in &paths[i + 1..] {
            let n = one.elements.len().min(two.elements.len());
            if one.elements[..n] == two.elements[..n] {
                return Err(Error::validation(format!(
                    "Invalid {expression}: Two document paths overlap with each other; must \
                     remove or rewrite one of these paths; path one: {}, path two: {}",
                    PathList(one),
                    PathList(two)
                )));
            }
        }
    }
    Ok(())
}

/// A path as DynamoDB prints it in errors: `[meta, tags, [0]]`.
struct PathList<'a>(&'a Path);

impl fmt::Display for PathList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('[')?;
        for (i, element) in self.0.elements.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match element {
                PathElement::Name(name) => f.write_str(name)?,
                PathElement::Index(index) => write!(f, "[{index}]")?,
            }
        }
        f.write_char(']')
    }
}

/// Checks a projection: valid paths that do not overlap.
pub(crate) fn projection(paths: &[Path]) -> Result<()> {
    paths.iter().try_for_each(path)?;
    overlapping(paths.iter(), "ProjectionExpression")
}

/// Checks a `KeyConditionExpression` against the table's key schema: names, value types,
/// operators allowed on sort keys.
pub(crate) fn key_condition(condition: &KeyCondition, schema: &KeySchema) -> Result<()> {
    let (name, value) = &condition.partition_key;
    let pk = &schema.partition_key;
    if *name != pk.name {
        return Err(Error::validation(format!(
            "Query condition missed key schema element: {} (the condition is on `{name}`)",
            pk.name
        )));
    }
    key_condition_value(pk, value, schema)?;
    let Some((sk_name, sk_condition)) = &condition.sort_key else {
        return Ok(());
    };
    let sk = match &schema.sort_key {
        Some(sk) if sk.name == *sk_name => sk,
        Some(sk) => {
            return Err(Error::validation(format!(
                "Query key condition not supported (condition on `{sk_name}`, but the sort key \
                 is `{}`)",
                sk.name
            )));
        }
        None => {
            return Err(Error::validation(format!(
                "Query key condition not supported (condition on `{sk_name}`, but the table has \
                 no sort key)"
            )));
        }
    };
    match sk_condition {
        SortKeyCondition::Compare(Comparator::Ne, _) => Err(Error::validation(format!(
            "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: <> \
             (on sort key {sk_name})"
        ))),
        SortKeyCondition::Compare(_, v) => key_condition_value(sk, v, schema),
        SortKeyCondition::Between(low, high) => {
            key_condition_value(sk, low, schema)?;
            key_condition_value(sk, high, schema)?;
            if compare_scalars(low, high) == Some(Ordering::Greater) {
                return Err(Error::validation(format!(
                    "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to \
                     be greater than or equal to lower bound; lower bound operand: {}, upper \
                     bound operand: {} (on sort key {sk_name})",
                    describe(low),
                    describe(high)
                )));
            }
            Ok(())
        }
        SortKeyCondition::BeginsWith(prefix) => {
            if sk.scalar_type == ScalarType::N {
                return Err(Error::validation(format!(
                    "Invalid KeyConditionExpression: Incorrect operand type for operator or \
                     function; operator or function: begins_with, operand type: N (sort key \
                     {sk_name} is a number)"
                )));
            }
            key_condition_value(sk, prefix, schema)
        }
    }
}

fn key_condition_value(
    attribute: &KeyAttribute,
    value: &AttributeValue,
    schema: &KeySchema,
) -> Result<()> {
    if ScalarType::of(value) != Some(attribute.scalar_type) {
        return Err(invalid(format!(
            "Condition parameter type does not match schema type (key {} is {}, the condition \
             value is {})",
            attribute.name,
            attribute.scalar_type,
            type_descriptor(value)
        )));
    }
    key_value(attribute, value, schema)
}

/// Orders two scalars of the same type (S by bytes, N numerically, B by bytes); `None` for
/// different types, non-scalars and invalid numbers.
pub(crate) fn compare_scalars(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    match (a, b) {
        (AttributeValue::S(a), AttributeValue::S(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
        (AttributeValue::B(a), AttributeValue::B(b)) => Some(a.cmp(b)),
        (AttributeValue::N(a), AttributeValue::N(b)) => {
            Some(Number::parse(a).ok()?.cmp(&Number::parse(b).ok()?))
        }
        _ => None,
    }
}

/// The size DynamoDB counts for an item: each attribute's name (UTF-8 bytes) plus its value.
pub(crate) fn item_size(item: &ItemMap) -> usize {
    item.iter()
        .map(|(name, value)| name.len() + value_size(value))
        .sum()
}

/// The size DynamoDB counts for one value. Iterative, so any input is safe to measure.
pub(crate) fn value_size(value: &AttributeValue) -> usize {
    let mut total = 0;
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        total += match value {
            AttributeValue::S(s) => s.len(),
            AttributeValue::N(n) => number_size(n),
            AttributeValue::B(b) => b.len(),
            AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
            AttributeValue::Ss(set) => set.iter().map(String::len).sum(),
            AttributeValue::Ns(set) => set.iter().map(|n| number_size(n)).sum(),
            AttributeValue::Bs(set) => set.iter().map(Vec::len).sum(),
            AttributeValue::L(list) => {
                stack.extend(list);
                3 + list.len()
            }
            AttributeValue::M(map) => {
                stack.extend(map.values());
                3 + map.keys().map(|k| k.len() + 1).sum::<usize>()
            }
        };
    }
    total
}

fn number_size(text: &str) -> usize {
    // An invalid number is rejected elsewhere; count its characters meanwhile.
    Number::parse(text).map_or(text.len(), |n| n.stored_size())
}

/// Where a value sits, for error messages; a linked list on the stack, formatted only on error.
enum Location<'a> {
    /// A literal in an expression.
    Value,
    Attribute(&'a str),
    Key(&'a Location<'a>, &'a str),
    Index(&'a Location<'a>, usize),
}

impl<'a> Location<'a> {
    fn attribute(name: &'a str) -> Self {
        Location::Attribute(name)
    }
}

impl Location<'_> {
    fn write_path(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Value => f.write_str(":value"),
            Location::Attribute(name) => f.write_str(name),
            Location::Key(parent, key) => {
                parent.write_path(f)?;
                write!(f, ".{key}")
            }
            Location::Index(parent, index) => {
                parent.write_path(f)?;
                write!(f, "[{index}]")
            }
        }
    }
}

impl Location<'_> {
    fn in_expression_value(&self) -> bool {
        match self {
            Location::Value => true,
            Location::Attribute(_) => false,
            Location::Key(parent, _) | Location::Index(parent, _) => parent.in_expression_value(),
        }
    }
}

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Value => f.write_str("an expression value"),
            _ if self.in_expression_value() => {
                f.write_str("an expression value, at `")?;
                self.write_path(f)?;
                f.write_str("`")
            }
            _ => {
                f.write_str("attribute `")?;
                self.write_path(f)?;
                f.write_str("`")
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Context {
    Item,
    Expression,
}

/// Checks one value and everything inside it: numbers, sets, nesting.
fn attribute_value(value: &AttributeValue, at: &Location<'_>, context: Context) -> Result<()> {
    walk(value, at, 1).map_err(|message| {
        Error::validation(match context {
            Context::Item => message,
            // DynamoDB reports too deep a value bare, everything else wrapped.
            Context::Expression if !message.starts_with("Nesting Levels") => {
                format!("ExpressionAttributeValues contains invalid value: {message}")
            }
            Context::Expression => message,
        })
    })
}

fn walk(value: &AttributeValue, at: &Location<'_>, level: usize) -> Result<(), String> {
    if level > MAX_NESTING_LEVELS {
        return Err(format!(
            "Nesting Levels have exceeded supported limits: Attributes in the item have nested \
             levels beyond supported limit ({at} is nested deeper than {MAX_NESTING_LEVELS} levels)"
        ));
    }
    match value {
        AttributeValue::N(text) => number(text, at).map(drop).map_err(error_message),
        AttributeValue::Ss(set) => distinct(set.iter(), "SS", at, |s| s.clone()),
        AttributeValue::Bs(set) => distinct(set.iter(), "BS", at, |b| b.clone()),
        AttributeValue::Ns(set) => {
            let mut numbers = Vec::with_capacity(set.len());
            for text in set {
                numbers.push(number(text, at).map_err(error_message)?);
            }
            distinct(numbers.iter(), "NS", at, |n| n.clone())
        }
        AttributeValue::L(list) => list
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| walk(v, &Location::Index(at, i), level + 1)),
        AttributeValue::M(map) => map
            .iter()
            .try_for_each(|(k, v)| walk(v, &Location::Key(at, k), level + 1)),
        _ => Ok(()),
    }
}

fn error_message(error: Error) -> String {
    match error {
        Error::Validation { message, .. } => message,
        other => other.to_string(),
    }
}

/// Rejects empty sets and duplicate elements, with DynamoDB's messages for each set type.
fn distinct<'v, T: 'v + fmt::Debug, K: std::hash::Hash + Eq>(
    set: impl ExactSizeIterator<Item = &'v T> + Clone,
    kind: &str,
    at: &Location<'_>,
    key: impl Fn(&T) -> K,
) -> Result<(), String> {
    if set.len() == 0 {
        // DynamoDB's own wording, double space included.
        let empty = match kind {
            "SS" => "An string set  may not be empty",
            "NS" => "An number set  may not be empty",
            _ => "Binary sets should not be empty",
        };
        return Err(format!("{INVALID}{empty} ({at})"));
    }
    let mut seen = HashSet::with_capacity(set.len());
    for element in set.clone() {
        if !seen.insert(key(element)) {
            let listing = match kind {
                "SS" => {
                    let all: Vec<String> = set
                        .map(|e| format!("{e:?}").trim_matches('"').to_owned())
                        .collect();
                    format!(" [{}]", all.join(", "))
                }
                _ => String::new(),
            };
            let end = if listing.is_empty() { "" } else { "." };
            return Err(format!(
                "{INVALID}Input collection{listing} contains duplicates{end} ({at} has {element:?} \
                 twice)"
            ));
        }
    }
    Ok(())
}

fn number(text: &str, at: &Location<'_>) -> Result<Number> {
    Number::parse(text).map_err(|e| {
        Error::validation(match e {
            NumberError::Invalid => format!("{e}: {text} ({at})"),
            _ => format!("{e} ({at}: \"{text}\")"),
        })
    })
}

fn invalid(message: String) -> Error {
    Error::validation(format!("{INVALID}{message}"))
}

/// DynamoDB's operand type names in update-expression errors.
fn type_name(value: &AttributeValue) -> &'static str {
    match value {
        AttributeValue::S(_) => "STRING",
        AttributeValue::N(_) => "NUMBER",
        AttributeValue::B(_) => "BINARY",
        AttributeValue::Bool(_) => "BOOLEAN",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::M(_) => "MAP",
        AttributeValue::L(_) => "LIST",
        AttributeValue::Ss(_) => "STRING_SET",
        AttributeValue::Ns(_) => "NUMBER_SET",
        AttributeValue::Bs(_) => "BINARY_SET",
    }
}

fn operand_type(operand: &Operand) -> &'static str {
    match operand {
        Operand::Value(v) => type_descriptor(v),
        Operand::Size(_) => "N",
        _ => "path",
    }
}

fn describe(value: &AttributeValue) -> String {
    match value {
        AttributeValue::S(s) => format!("AttributeValue: {{S:{s}}}"),
        AttributeValue::N(n) => format!("AttributeValue: {{N:{n}}}"),
        other => format!("AttributeValue: {{{}}}", type_descriptor(other)),
    }
}

fn describe_operand(operand: &Operand) -> String {
    match operand {
        Operand::Path(p) => format!("`{p}`"),
        Operand::Size(p) => format!("size({p})"),
        Operand::Value(v) => describe(v),
        Operand::Invalid { path, .. } => format!("`{path}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notes_model::expr::Operand::Value;

    fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.to_owned())
    }
    fn n(v: &str) -> AttributeValue {
        AttributeValue::N(v.to_owned())
    }
    fn schema() -> KeySchema {
        KeySchema {
            partition_key: KeyAttribute::new("userId", ScalarType::S),
            sort_key: Some(KeyAttribute::new("noteId", ScalarType::S)),
        }
    }
    fn note(extra: &[(&str, AttributeValue)]) -> ItemMap {
        let mut item =
            ItemMap::from([("userId".to_owned(), s("u")), ("noteId".to_owned(), s("n"))]);
        item.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
        item
    }
    fn message(result: Result<()>) -> String {
        match result {
            Err(Error::Validation {
                message,
                source: None,
            }) => message,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
    fn nested(levels: usize) -> AttributeValue {
        (1..levels).fold(s("leaf"), |inner, _| {
            AttributeValue::M(ItemMap::from([("m".to_owned(), inner)]))
        })
    }

    #[test]
    fn an_item_of_exactly_400_kb_fits_and_one_byte_more_does_not() {
        // userId(6) + "u"(1) + noteId(6) + "n"(1) + data(4) = 18 bytes besides the payload.
        let fits = note(&[("data", s(&"x".repeat(MAX_ITEM_SIZE - 18)))]);
        assert_eq!(item_size(&fits), MAX_ITEM_SIZE);
        assert!(item(&fits, &schema()).is_ok());
        let over = note(&[("data", s(&"x".repeat(MAX_ITEM_SIZE - 17)))]);
        let m = message(item(&over, &schema()));
        assert!(
            m.starts_with("Item size has exceeded the maximum allowed size"),
            "{m}"
        );
        assert!(m.contains("409601 bytes"), "{m}");
    }

    #[test]
    fn partition_keys_hold_2048_bytes_and_sort_keys_1024() {
        let with = |pk: String, sk: String| {
            ItemMap::from([("userId".to_owned(), s(&pk)), ("noteId".to_owned(), s(&sk))])
        };
        assert!(item(&with("p".repeat(2048), "s".repeat(1024)), &schema()).is_ok());
        let m = message(item(&with("p".repeat(2049), "s".into()), &schema()));
        assert!(m.starts_with("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"), "{m}");
        assert!(m.contains("userId is 2049 bytes"), "{m}");
        let m = message(key(&with("p".into(), "s".repeat(1025)), &schema()));
        assert!(
            m.contains(
                "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
            ),
            "{m}"
        );
        assert!(m.contains("noteId"), "{m}");
        // Multi-byte characters count in bytes.
        assert!(key(&with("é".repeat(1025), "s".into()), &schema()).is_err());
    }

    #[test]
    fn key_attributes_must_be_present_typed_and_not_empty() {
        let m = message(item(
            &ItemMap::from([("userId".to_owned(), s("u"))]),
            &schema(),
        ));
        assert_eq!(
            m,
            "One or more parameter values were invalid: Missing the key noteId in the item"
        );
        let m = message(item(&note(&[("noteId", n("1"))]), &schema()));
        assert_eq!(
            m,
            "One or more parameter values were invalid: Type mismatch for key noteId expected: S actual: N"
        );
        let m = message(item(&note(&[("userId", s(""))]), &schema()));
        assert!(
            m.ends_with("cannot contain an empty string value. Key: userId"),
            "{m}"
        );
        let binary = KeySchema {
            partition_key: KeyAttribute::new("id", ScalarType::B),
            sort_key: None,
        };
        let m = message(key(
            &ItemMap::from([("id".to_owned(), AttributeValue::B(vec![]))]),
            &binary,
        ));
        assert!(
            m.ends_with("cannot contain an empty binary value. Key: id"),
            "{m}"
        );
        // Empty strings are fine outside keys.
        assert!(item(&note(&[("content", s(""))]), &schema()).is_ok());
    }

    #[test]
    fn keys_must_be_exactly_the_schema() {
        assert!(key(&note(&[]), &schema()).is_ok());
        for bad in [
            note(&[("content", s("x"))]),
            ItemMap::from([("userId".to_owned(), s("u"))]),
            ItemMap::from([("userid".to_owned(), s("u")), ("noteId".to_owned(), s("n"))]),
            note(&[("noteId", n("1"))]),
        ] {
            let m = message(key(&bad, &schema()));
            assert!(
                m.starts_with("The provided key element does not match the schema"),
                "{m}"
            );
            assert!(m.contains("expected userId (S), noteId (S)"), "{m}");
        }
    }

    #[test]
    fn nesting_stops_at_32_levels() {
        assert!(item(&note(&[("doc", nested(32))]), &schema()).is_ok());
        let m = message(item(&note(&[("doc", nested(33))]), &schema()));
        assert!(
            m.starts_with("Nesting Levels have exceeded supported limits"),
            "{m}"
        );
        assert!(m.contains("attribute `doc.m.m"), "{m}");
        let list = (1..32).fold(s("leaf"), |inner, _| AttributeValue::L(vec![inner]));
        assert!(item(&note(&[("doc", list.clone())]), &schema()).is_ok());
        assert!(item(&note(&[("doc", AttributeValue::L(vec![list]))]), &schema()).is_err());
    }

    #[test]
    fn numbers_sets_and_duplicates_are_checked_everywhere() {
        let m = message(item(&note(&[("price", n("1.2.3"))]), &schema()));
        assert!(
            m.starts_with("The parameter cannot be converted to a numeric value: 1.2.3"),
            "{m}"
        );
        assert!(m.contains("attribute `price`"), "{m}");
        let deep = AttributeValue::M(ItemMap::from([(
            "list".to_owned(),
            AttributeValue::L(vec![n("1"), n(&"9".repeat(39))]),
        )]));
        let m = message(item(&note(&[("meta", deep)]), &schema()));
        assert!(
            m.starts_with("Attempting to store more than 38 significant digits in a Number"),
            "{m}"
        );
        assert!(m.contains("attribute `meta.list[1]`"), "{m}");
        let m = message(item(
            &note(&[("tags", AttributeValue::Ss(vec![]))]),
            &schema(),
        ));
        assert!(
            m.starts_with(
                "One or more parameter values were invalid: An string set  may not be empty"
            ),
            "{m}"
        );
        let dup = AttributeValue::Ss(vec!["a".into(), "a".into()]);
        let m = message(item(&note(&[("tags", dup)]), &schema()));
        assert!(
            m.contains("Input collection [a, a] contains duplicates."),
            "{m}"
        );
        let m = message(item(
            &note(&[("ns", AttributeValue::Ns(vec!["1".into(), "1.0".into()]))]),
            &schema(),
        ));
        assert!(m.contains("Input collection contains duplicates"), "{m}");
        let m = message(item(
            &note(&[("bs", AttributeValue::Bs(vec![vec![1], vec![1]]))]),
            &schema(),
        ));
        assert!(m.contains("Input collection contains duplicates"), "{m}");
        let m = message(key(
            &ItemMap::from([("userId".to_owned(), s("u")), ("noteId".to_owned(), s("n"))]),
            &KeySchema {
                partition_key: KeyAttribute::new("userId", ScalarType::S),
                sort_key: Some(KeyAttribute::new("noteId", ScalarType::N)),
            },
        ));
        assert!(
            m.starts_with("The provided key element does not match the schema"),
            "{m}"
        );
    }

    #[test]
    fn item_size_follows_dynamodbs_rules() {
        let one = |name: &str, v: AttributeValue| item_size(&ItemMap::from([(name.to_owned(), v)]));
        assert_eq!(one("a", s("héllo")), 1 + 6);
        assert_eq!(one("a", n("123")), 1 + 3);
        assert_eq!(one("a", n("-1")), 1 + 3);
        assert_eq!(one("a", AttributeValue::B(vec![0; 10])), 11);
        assert_eq!(one("a", AttributeValue::Bool(true)), 2);
        assert_eq!(one("a", AttributeValue::Null(true)), 2);
        assert_eq!(
            one("a", AttributeValue::Ss(vec!["ab".into(), "c".into()])),
            1 + 3
        );
        assert_eq!(
            one(
                "a",
                AttributeValue::M(ItemMap::from([("k".to_owned(), s("v"))]))
            ),
            1 + 3 + 1 + 1 + 1
        );
        assert_eq!(
            one("a", AttributeValue::L(vec![s("ab"), n("1")])),
            1 + 3 + 2 + 2 + 2
        );
        assert_eq!(one("a", AttributeValue::L(vec![])), 1 + 3);
    }

    #[test]
    fn conditions_reject_unconvertible_and_malformed_operands() {
        let invalid = Operand::Invalid {
            path: Path::attribute("createdAt"),
            message: "boom".into(),
        };
        let cond = Condition::Compare(
            Operand::Path(Path::attribute("createdAt")),
            Comparator::Eq,
            invalid,
        );
        let m = message(condition(&cond));
        assert!(m.contains("`createdAt`") && m.contains("boom"), "{m}");
        let many = Condition::In(
            Operand::Path(Path::attribute("a")),
            (0..101).map(|i| Value(n(&i.to_string()))).collect(),
        );
        assert!(message(condition(&many)).contains("number of operands: 101"));
        let few = Condition::In(
            Operand::Path(Path::attribute("a")),
            (0..100).map(|i| Value(n(&i.to_string()))).collect(),
        );
        assert!(condition(&few).is_ok());
        assert!(
            message(condition(&Condition::Type(Path::attribute("a"), "STRING")))
                .contains("Invalid attribute type name")
        );
        let bad_value = Condition::Compare(
            Operand::Path(Path::attribute("a")),
            Comparator::Eq,
            Value(AttributeValue::Ns(vec![])),
        );
        assert!(
            message(condition(&bad_value))
                .starts_with("ExpressionAttributeValues contains invalid value")
        );
        let begins = Condition::BeginsWith(Path::attribute("a"), Value(n("1")));
        assert!(message(condition(&begins)).contains("begins_with, operand type: N"));
        let empty = Condition::Exists(Path::attribute(""));
        assert!(message(condition(&empty)).contains("Empty attribute name"));
        let deep = (0..400).fold(Condition::Exists(Path::attribute("a")), |c, _| !c);
        assert!(message(condition(&deep)).contains("too many operators"));
    }

    #[test]
    fn updates_are_checked_before_any_item_is_read() {
        let set = |p: Path, v: AttributeValue| UpdateAction::Set(p, SetValue::Value(Value(v)));
        let m = message(update(&Update::new(), &schema()));
        assert!(
            m.starts_with("Invalid UpdateExpression: The expression can not be empty;"),
            "{m}"
        );
        let m = message(update(
            &set(Path::attribute("userId"), s("x")).into(),
            &schema(),
        ));
        assert_eq!(
            m,
            "One or more parameter values were invalid: Cannot update attribute userId. This attribute is part of the key"
        );
        let overlap = Update::new()
            .and(set(Path::attribute("meta"), s("x")))
            .and(UpdateAction::Remove(Path::attribute("meta").key("a")));
        let m = message(update(&overlap, &schema()));
        assert!(
            m.contains("Two document paths overlap with each other")
                && m.contains("path one: [meta], path two: [meta, a]"),
            "{m}"
        );
        let same = Update::new()
            .and(set(Path::attribute("a"), s("x")))
            .and(set(Path::attribute("a"), s("y")));
        assert!(update(&same, &schema()).is_err());
        let siblings = Update::new()
            .and(set(Path::attribute("l").index(0), s("x")))
            .and(set(Path::attribute("l").index(1), s("y")));
        assert!(update(&siblings, &schema()).is_ok());
        let add_string = UpdateAction::Add(Path::attribute("a"), Value(s("x")));
        assert!(
            message(update(&add_string.into(), &schema()))
                .contains("operator: ADD, operand type: STRING")
        );
        let delete_number = UpdateAction::Delete(Path::attribute("a"), Value(n("1")));
        assert!(
            message(update(&delete_number.into(), &schema()))
                .contains("operator: DELETE, operand type: NUMBER")
        );
        let size = UpdateAction::Set(
            Path::attribute("a"),
            SetValue::Value(Operand::Size(Path::attribute("b"))),
        );
        assert!(message(update(&size.into(), &schema())).contains("function: size"));
        let plus = UpdateAction::Set(
            Path::attribute("a"),
            SetValue::Plus(Operand::Path(Path::attribute("a")), Value(s("1"))),
        );
        assert!(
            message(update(&plus.into(), &schema()))
                .contains("operator or function: +, operand type: STRING")
        );
        let invalid = UpdateAction::Set(
            Path::attribute("a"),
            SetValue::Value(Operand::Invalid {
                path: Path::attribute("a"),
                message: "nan".into(),
            }),
        );
        assert!(
            message(update(&invalid.into(), &schema())).contains("could not be converted: nan")
        );
        let nested_value = set(Path::attribute("doc"), nested(33));
        assert!(message(update(&nested_value.into(), &schema())).contains("Nesting Levels"));
    }

    #[test]
    fn key_conditions_match_the_schema() {
        let kc = |name: &'static str, v: AttributeValue| KeyCondition::partition(name, v);
        assert!(key_condition(&kc("userId", s("u")), &schema()).is_ok());
        assert!(
            message(key_condition(&kc("noteId", s("u")), &schema()))
                .starts_with("Query condition missed key schema element: userId")
        );
        assert!(
            message(key_condition(&kc("userId", n("1")), &schema()))
                .contains("Condition parameter type does not match schema type")
        );
        let on = |c: SortKeyCondition| kc("userId", s("u")).with_sort_key("noteId", c);
        assert!(
            message(key_condition(
                &on(SortKeyCondition::Compare(Comparator::Ne, s("a"))),
                &schema()
            ))
            .contains("<>")
        );
        assert!(
            message(key_condition(
                &on(SortKeyCondition::Between(s("b"), s("a"))),
                &schema()
            ))
            .contains("BETWEEN operator requires upper bound")
        );
        assert!(key_condition(&on(SortKeyCondition::Between(s("a"), s("a"))), &schema()).is_ok());
        let wrong =
            kc("userId", s("u")).with_sort_key("content", SortKeyCondition::BeginsWith(s("a")));
        assert!(
            message(key_condition(&wrong, &schema()))
                .starts_with("Query key condition not supported")
        );
        let numeric = KeySchema {
            partition_key: KeyAttribute::new("userId", ScalarType::S),
            sort_key: Some(KeyAttribute::new("noteId", ScalarType::N)),
        };
        assert!(
            message(key_condition(
                &on(SortKeyCondition::BeginsWith(n("1"))),
                &numeric
            ))
            .contains("begins_with")
        );
    }

    #[test]
    fn projections_must_not_overlap() {
        assert!(projection(&[Path::attribute("a"), Path::attribute("b").key("c")]).is_ok());
        let m = message(projection(&[
            Path::attribute("a"),
            Path::attribute("a").index(1),
        ]));
        assert!(
            m.starts_with("Invalid ProjectionExpression: Two document paths overlap"),
            "{m}"
        );
    }
}
