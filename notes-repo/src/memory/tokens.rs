//! `ClientRequestToken`: a `TransactWriteItems` sent again with the same token within 10 minutes
//! succeeds without being applied again, as on DynamoDB.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::meter::Meter;
use super::{Tables, durable};
use crate::error::{Error, Result};
use crate::request::{TransactWriteItems, TransactWriteItemsOutput};

/// How long DynamoDB remembers a token.
const TOKEN_LIFETIME: Duration = Duration::from_secs(600);

/// DynamoDB's longest `ClientRequestToken`.
const MAX_TOKEN_LENGTH: usize = 36;

/// The tokens of recent transactions: when each was used, and a fingerprint of its actions.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    used: HashMap<String, (SystemTime, u64)>,
}

impl Tokens {
    /// Forgets the tokens used 10 minutes or more before `now`.
    pub(crate) fn forget_expired(&mut self, now: SystemTime) {
        self.used.retain(|_, (at, _)| {
            now.duration_since(*at)
                .is_ok_and(|age| age < TOKEN_LIFETIME)
                || *at > now
        });
    }

    /// Every token kept: itself, when it was used, its request's fingerprint (what a durable
    /// store's snapshot keeps).
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, SystemTime, u64)> {
        self.used
            .iter()
            .map(|(token, (at, fingerprint))| (token.as_str(), *at, *fingerprint))
    }

    /// Takes back a token a durable store kept.
    pub(crate) fn recover(&mut self, token: String, at: SystemTime, fingerprint: u64) {
        self.used.insert(token, (at, fingerprint));
    }
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
        // The operation's time on the backend's clock: a durable store keeps it with the
        // token, so the 10 minutes go on across a restart.
        let now = self.write_clock.now();
        // Held until the token is recorded: two transactions with one token (on tables of
        // their own, so not serialised by the tables' locks) are applied at most once.
        let common = Arc::clone(&self.common);
        let mut tokens = common.tokens.lock();
        tokens.forget_expired(now);
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
        // In the transaction's journal record (a durable backend's): applied and remembered
        // together, across a restart too.
        durable::journal_extra(|e| e.token(&token, now, fingerprint));
        tokens.used.insert(token, (now, fingerprint));
        Ok(output)
    }
}
