//! A signature verified: the request signed again with the caller's secret by the AWS SDKs'
//! own SigV4 code (`aws-sigv4`), over the same signed headers, time and scope, and the two
//! signatures compared. The checks before it are DynamoDB's, in DynamoDB's order: the date's
//! format, its skew from the server's clock, `host` among the signed headers, the algorithm,
//! the credential's scope, then the access key.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    PayloadChecksumKind, SessionTokenMode, SignableBody, SignableRequest, SignatureLocation,
    SigningSettings, sign,
};
use aws_sigv4::sign::v4;
use hyper::http::request::Parts;

use super::basic_time::{format_basic, parse_basic};
use super::{AccessKeys, Claim, Location, incomplete_signature, invalid_signature};
use crate::errors::ErrorAnswer;

/// How far a signature's time may be from the server's clock (DynamoDB's 15 minutes).
const SKEW: Duration = Duration::from_secs(15 * 60);

/// DynamoDB's message for a signature that is not the one the secret makes.
const MISMATCH: &str = "The request signature we calculated does not match the signature you \
                        provided. Check your AWS Secret Access Key and signing method. Consult \
                        the service documentation for details.";

/// The query parameters that carry a query-string signature (signed again, not as they came).
const SIGNATURE_PARAMS: [&str; 7] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
    "X-Amz-Security-Token",
];

/// Checks `claim`, the signature of the request `parts` with `body`, against `keys` at `now`.
pub(super) fn verify(
    parts: &Parts,
    body: &[u8],
    claim: &Claim,
    keys: &AccessKeys,
    now: SystemTime,
) -> Result<(), ErrorAnswer> {
    let Some(signed_at) = parse_basic(&claim.date) else {
        return Err(incomplete_signature(format!(
            "Date must be in ISO-8601 'basic format'. Got '{}'. See \
             http://en.wikipedia.org/wiki/ISO_8601",
            claim.date
        )));
    };
    if signed_at + SKEW < now {
        return Err(invalid_signature(format!(
            "Signature expired: {} is now earlier than {} ({} - 15 min.)",
            claim.date,
            format_basic(now - SKEW),
            format_basic(now)
        )));
    }
    if signed_at > now + SKEW {
        return Err(invalid_signature(format!(
            "Signature not yet current: {} is still later than {} ({} + 15 min.)",
            claim.date,
            format_basic(now + SKEW),
            format_basic(now)
        )));
    }
    let signed = signed_headers(claim);
    if !signed.iter().any(|name| name == "host") {
        return Err(invalid_signature(
            "'Host' must be a 'SignedHeader' in the AWS Authorization.".to_owned(),
        ));
    }
    if claim.algorithm != "AWS4-HMAC-SHA256" {
        return Err(incomplete_signature(format!(
            "Unsupported AWS 'algorithm': '{}' (only AWS4-HMAC-SHA256 for now). ",
            claim.algorithm
        )));
    }
    let scope: Vec<&str> = claim.credential.trim_end_matches('/').split('/').collect();
    let [key_id, day, region, service, terminator] = scope[..] else {
        return Err(incomplete_signature(format!(
            "Credential must have exactly 5 slash-delimited elements, e.g. \
             keyid/date/region/service/term, got '{}'",
            claim.credential
        )));
    };
    let mut wrong_scope = Vec::new();
    if region.is_empty() {
        wrong_scope.push(format!(
            "Credential should be scoped to a valid region, not '{region}'."
        ));
    }
    if service != "dynamodb" {
        wrong_scope.push("Credential should be scoped to correct service: 'dynamodb'.".to_owned());
    }
    if terminator != "aws4_request" {
        wrong_scope.push(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not \
             '{terminator}'."
        ));
    }
    if day != &claim.date[..8] {
        wrong_scope.push(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date \
             from HTTP: '{day}' != '{}', from '{}'.",
            &claim.date[..8],
            claim.date
        ));
    }
    if !wrong_scope.is_empty() {
        return Err(invalid_signature(wrong_scope.join(" ")));
    }
    let Some(secret) = keys.secret(key_id) else {
        return Err(ErrorAnswer::coral(
            400,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.".to_owned(),
        ));
    };
    let scope = Scope {
        key_id,
        secret,
        region,
        service,
        time: signed_at,
    };
    match expected_signature(parts, body, claim, &signed, &scope) {
        Some(expected) if same(&expected, &claim.signature) => Ok(()),
        _ => Err(invalid_signature(MISMATCH.to_owned())),
    }
}

/// Whose signature, for what, when.
struct Scope<'a> {
    key_id: &'a str,
    secret: &'a str,
    region: &'a str,
    service: &'a str,
    time: SystemTime,
}

/// The signed header names, lowercase.
fn signed_headers(claim: &Claim) -> Vec<String> {
    claim
        .signed_headers
        .split(';')
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect()
}

/// The signature `scope`'s secret makes for the request; `None` when the request cannot be
/// signed (a signed header not sent or whose value is not text, a malformed URI).
fn expected_signature(
    parts: &Parts,
    body: &[u8],
    claim: &Claim,
    signed: &[String],
    scope: &Scope<'_>,
) -> Option<String> {
    // A header the caller signed but did not send: no secret makes its signature for this
    // request (the AWS SDKs' signer, given no `Host` to sign, would panic looking for one in
    // the URI, which a request line's path has none of).
    if !signed
        .iter()
        .all(|name| parts.headers.contains_key(name.as_str()))
    {
        return None;
    }
    let headers = parts
        .headers
        .iter()
        .filter(|(name, _)| signed.iter().any(|signed| signed == name.as_str()))
        .map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
        .collect::<Option<Vec<_>>>()?;
    let mut settings = SigningSettings::default();
    // Exactly the headers the caller signed: none left out by the signer's defaults.
    settings.excluded_headers = None;
    if signed.iter().any(|name| name == "x-amz-content-sha256") {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let (uri, token) = match claim.location {
        Location::Header => {
            let token = parts
                .headers
                .get("x-amz-security-token")
                .and_then(|value| value.to_str().ok());
            if !signed.iter().any(|name| name == "x-amz-security-token") {
                settings.session_token_mode = SessionTokenMode::Exclude;
            }
            (parts.uri.to_string(), token.map(str::to_owned))
        }
        Location::Query => {
            settings.signature_location = SignatureLocation::QueryParams;
            let expires = claim.expires.as_deref().unwrap_or("0").parse().ok()?;
            settings.expires_in = Some(Duration::from_secs(expires));
            let query = parts.uri.query().unwrap_or_default();
            let token = super::query_pairs(query)
                .into_iter()
                .find(|(name, _)| name == "X-Amz-Security-Token")
                .map(|(_, value)| value);
            (unsigned_uri(parts.uri.path(), query), token)
        }
    };
    let credentials = Credentials::new(scope.key_id, scope.secret, token, None, "notes-local");
    let identity = credentials.into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(scope.region)
        .name(scope.service)
        .time(scope.time)
        .settings(settings)
        .build()
        .ok()?
        .into();
    let request = SignableRequest::new(
        parts.method.as_str(),
        uri,
        headers.into_iter(),
        SignableBody::Bytes(body),
    )
    .ok()?;
    Some(sign(request, &params).ok()?.signature().to_owned())
}

/// `path?query` without the parameters of the query-string signature itself.
fn unsigned_uri(path: &str, query: &str) -> String {
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let name = pair.split_once('=').map_or(*pair, |(name, _)| name);
            !pair.is_empty() && !SIGNATURE_PARAMS.contains(&name)
        })
        .collect();
    if rest.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", rest.join("&"))
    }
}

/// Whether two signatures are equal, in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |differ, (x, y)| differ | (x ^ y))
            == 0
}
