//! `ClientRequestToken`: a `TransactWriteItems` sent again with the same token within 10 minutes
//! succeeds without being applied again, as on DynamoDB.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Tables;
use super::meter::Meter;
use crate::error::{Error, Result};
use crate::request::{TransactWriteItems, TransactWriteItemsOutput};

/// How long DynamoDB remembers a token.
const TOKEN_LIFETIME: Duration = Duration::from_secs(600);

/// DynamoDB's longest `ClientRequestToken`.
const MAX_TOKEN_LENGTH: usize = 36;

/// The tokens of recent transactions: when each was used, and a fingerprint of its actions.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    used: HashMap<String, (Instant, u64)>,
}

impl Tables {
    /// `TransactWriteItems`, idempotent for the request's token.
    pub(crate) fn transact_write_once(
        &mut self,
        request: TransactWriteItems,
        meter: Meter,
    ) -> Result<TransactWriteItemsOutput> {
        let Some(token) = request.client_request_token.clone() else {
            return self.transact_write_items(request, meter);
        };
        if token.is_empty() || token.len() > MAX_TOKEN_LENGTH {
            return Err(Error::validation(format!(
                "1 validation error detected: Value '{token}' at 'clientRequestToken' failed to \
                 satisfy constraint: Member must have length between 1 and {MAX_TOKEN_LENGTH}"
            )));
        }
        let mut hasher = DefaultHasher::new();
        format!("{:?}", request.items).hash(&mut hasher);
        let fingerprint = hasher.finish();
        let now = Instant::now();
        // Held until the token is recorded: two transactions with one token (on tables of
        // their own, so not serialised by the tables' locks) are applied at most once.
        let common = Arc::clone(&self.common);
        let mut tokens = common.tokens.lock();
        tokens
            .used
            .retain(|_, (at, _)| now.duration_since(*at) < TOKEN_LIFETIME);
        match tokens.used.get(&token) {
            Some((_, seen)) if *seen == fingerprint => return Ok(TransactWriteItemsOutput::new()),
            Some(_) => {
                return Err(Error::validation(
                    "IdempotentParameterMismatchException: The request uses the same client \
                     token as a previous, but non-identical request",
                ));
            }
            None => {}
        }
        let output = self.transact_write_items(request, meter)?;
        tokens.used.insert(token, (now, fingerprint));
        Ok(output)
    }
}
