//! A request's expressions, parsed as DynamoDB parses them: update, condition, key condition,
//! filter, then projection, all with the request's one set of placeholders, whose unused
//! names and values are refused once the last expression is read.

use notes_model::expr::{Condition, Path, Update};

use super::failed;
use super::params::{PlaceholderMaps, framed};
use crate::errors::ErrorAnswer;
use crate::expression::{
    KeyTerms, Placeholders, parse_condition, parse_filter, parse_key_terms, parse_projection,
    parse_update,
};

/// The expression strings of one request (or one action of a transaction).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Expressions<'a> {
    pub(super) update: Option<&'a str>,
    pub(super) condition: Option<&'a str>,
    pub(super) key_condition: Option<&'a str>,
    pub(super) filter: Option<&'a str>,
    pub(super) projection: Option<&'a str>,
}

/// What [`Expressions::parse`] read.
#[derive(Debug, Default)]
pub(super) struct Parsed {
    pub(super) update: Option<Update>,
    pub(super) condition: Option<Condition>,
    /// The key condition's terms, bound to the key read by the request.
    pub(super) key_condition: Option<KeyTerms>,
    pub(super) filter: Option<Condition>,
    pub(super) projection: Option<Vec<Path>>,
}

impl Expressions<'_> {
    /// Parses every expression present, in DynamoDB's order, then refuses unused
    /// placeholders, as `operation` answers: its refusals of an expression's content `framed`
    /// (as `PutItem` and `UpdateItem` frame them), of an empty expression or unused
    /// placeholders bare.
    pub(super) fn parse(
        &self,
        maps: &PlaceholderMaps,
        operation: &'static str,
        frame: bool,
    ) -> Result<Parsed, ErrorAnswer> {
        // An empty expression is refused first, and never framed.
        let all = [
            (self.update, "UpdateExpression"),
            (self.condition, "ConditionExpression"),
            (self.key_condition, "KeyConditionExpression"),
            (self.filter, "FilterExpression"),
            (self.projection, "ProjectionExpression"),
        ];
        if let Some((_, label)) = all.iter().find(|(expression, _)| *expression == Some("")) {
            return Err(ErrorAnswer::validation(format!(
                "Invalid {label}: The expression can not be empty;"
            )));
        }
        let mut placeholders = Placeholders::new(&maps.names, &maps.values);
        let parsed = self.read(&mut placeholders).map_err(|err| {
            let answer = failed(operation)(err);
            if frame { framed(answer) } else { answer }
        })?;
        placeholders.finish().map_err(failed(operation))?;
        Ok(parsed)
    }

    fn read(&self, p: &mut Placeholders<'_>) -> notes_core::Result<Parsed> {
        Ok(Parsed {
            update: self.update.map(|e| parse_update(e, p)).transpose()?,
            condition: self.condition.map(|e| parse_condition(e, p)).transpose()?,
            key_condition: self
                .key_condition
                .map(|e| parse_key_terms(e, p))
                .transpose()?,
            filter: self.filter.map(|e| parse_filter(e, p)).transpose()?,
            projection: self
                .projection
                .map(|e| parse_projection(e, p))
                .transpose()?,
        })
    }
}
