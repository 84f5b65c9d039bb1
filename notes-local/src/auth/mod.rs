//! Who may call: the checks DynamoDB makes of a request's SigV4 signature, before any operation
//! runs.
//!
//! Every request must carry a signature, in the `Authorization` header
//! (`AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`) or in the query string
//! (`X-Amz-Algorithm=…&X-Amz-Credential=…`), as DynamoDB and DynamoDB Local require: one
//! without is `MissingAuthenticationTokenException`, one missing a part is
//! `IncompleteSignatureException`, both at once `InvalidSignatureException`. Past that, by
//! default, any signature is accepted, as DynamoDB Local accepts any credentials. With
//! [`AccessKeys`], the request is signed again with the caller's secret by the AWS SDKs' own
//! SigV4 code (`verify.rs`) and the signatures compared: an access key that is not one of
//! them is `UnrecognizedClientException`, a wrong signature `InvalidSignatureException`.
//!
//! The names and messages are DynamoDB's, all in the service framework's namespace
//! (`com.amazon.coral.service#`).

mod basic_time;
mod verify;

use std::collections::BTreeMap;
use std::fmt;
use std::time::SystemTime;

use hyper::http::request::Parts;

use crate::errors::ErrorAnswer;

/// The access keys whose signatures a server verifies: access key id to secret access key.
///
/// ```
/// use notes_local::auth::AccessKeys;
///
/// let keys = AccessKeys::default().with("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
/// assert!(keys.contains("AKIDEXAMPLE"));
/// // The secret stays out of logs.
/// assert_eq!(format!("{keys:?}"), r#"AccessKeys(["AKIDEXAMPLE"])"#);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AccessKeys {
    secrets: BTreeMap<String, String>,
}

impl AccessKeys {
    /// These keys and one more (a key given twice keeps its last secret).
    pub fn with(mut self, access_key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.secrets.insert(access_key_id.into(), secret.into());
        self
    }

    /// Whether `access_key_id` is one of these keys.
    ///
    /// See [`AccessKeys`] for an example.
    pub fn contains(&self, access_key_id: &str) -> bool {
        self.secrets.contains_key(access_key_id)
    }

    /// The secret of `access_key_id`.
    fn secret(&self, access_key_id: &str) -> Option<&str> {
        self.secrets.get(access_key_id).map(String::as_str)
    }

    /// Reads `AKID:SECRET` (the command line's `--credentials`); the secret may hold `:`.
    ///
    /// ```
    /// use notes_local::auth::AccessKeys;
    /// let keys = AccessKeys::default().with_pair("AKID:SECRET").unwrap();
    /// assert!(keys.contains("AKID"));
    /// assert_eq!(
    ///     AccessKeys::default().with_pair("AKID").unwrap_err(),
    ///     "expected ACCESS_KEY_ID:SECRET_ACCESS_KEY, got \"AKID\""
    /// );
    /// ```
    pub fn with_pair(self, pair: &str) -> Result<Self, String> {
        match pair.split_once(':') {
            Some((id, secret)) if !id.is_empty() && !secret.is_empty() => Ok(self.with(id, secret)),
            _ => Err(format!(
                "expected ACCESS_KEY_ID:SECRET_ACCESS_KEY, got {pair:?}"
            )),
        }
    }
}

impl fmt::Debug for AccessKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AccessKeys")
            .field(&self.secrets.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The signature a request claims, read from its `Authorization` header or its query string.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Claim {
    /// Where the signature is.
    location: Location,
    /// `AWS4-HMAC-SHA256`.
    algorithm: String,
    /// `AKID/20240101/us-east-1/dynamodb/aws4_request`.
    credential: String,
    /// `host;x-amz-date;x-amz-target`.
    signed_headers: String,
    /// The signature, hex.
    signature: String,
    /// The signing time, `20240101T000000Z` (the `X-Amz-Date` header or parameter; the
    /// `Date` header for a header signature without it).
    date: String,
    /// `X-Amz-Expires` of a query signature.
    expires: Option<String>,
}

/// Where a request's signature is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Location {
    Header,
    Query,
}

/// Checks the signature of the request with head `parts` and `body`: present and complete,
/// and, with `keys`, made with one of their secrets at about `now`.
///
/// ```
/// use hyper::Request;
/// use notes_local::auth;
///
/// let (parts, ()) = Request::post("/").body(()).unwrap().into_parts();
/// let refused = auth::check(&parts, b"{}", None, std::time::SystemTime::now()).unwrap_err();
/// assert_eq!(refused.name, "MissingAuthenticationTokenException");
/// assert_eq!(refused.message, "Request is missing Authentication Token");
///
/// let (parts, ()) = Request::post("/")
///     .header("x-amz-date", "20240101T000000Z")
///     .header(
///         "authorization",
///         "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request, \
///          SignedHeaders=host;x-amz-date, Signature=0123",
///     )
///     .body(())
///     .unwrap()
///     .into_parts();
/// // Without keys to check against, any complete signature is accepted.
/// assert!(auth::check(&parts, b"{}", None, std::time::SystemTime::now()).is_ok());
/// ```
pub fn check(
    parts: &Parts,
    body: &[u8],
    keys: Option<&AccessKeys>,
    now: SystemTime,
) -> Result<(), ErrorAnswer> {
    let claim = claim(parts)?;
    match keys {
        Some(keys) => verify::verify(parts, body, &claim, keys, now),
        None => Ok(()),
    }
}

/// The signature the request claims, or DynamoDB's error for one that is missing or
/// incomplete.
fn claim(parts: &Parts) -> Result<Claim, ErrorAnswer> {
    let header = parts
        .headers
        .get(hyper::header::AUTHORIZATION)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let query: Vec<(String, String)> = query_pairs(parts.uri.query().unwrap_or_default());
    let in_query = query.iter().any(|(name, _)| name == "X-Amz-Algorithm");
    match (header, in_query) {
        (Some(_), true) => Err(invalid_signature(
            "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP \
             header."
                .to_owned(),
        )),
        (Some(header), false) if header.trim_start().starts_with("AWS4-") => {
            header_claim(parts, &header)
        }
        (None, true) => query_claim(&query),
        _ => Err(ErrorAnswer::coral(
            400,
            "MissingAuthenticationTokenException",
            "Request is missing Authentication Token".to_owned(),
        )),
    }
}

/// The claim of an `Authorization: AWS4-…` header.
fn header_claim(parts: &Parts, header: &str) -> Result<Claim, ErrorAnswer> {
    let mut words = header
        .split([',', ' '])
        .map(str::trim)
        .filter(|word| !word.is_empty());
    let algorithm = words.next().unwrap_or_default().to_owned();
    let mut fields: BTreeMap<&str, &str> = BTreeMap::new();
    for word in words {
        let (name, value) = word.split_once('=').unwrap_or((word, ""));
        fields.insert(name, value);
    }
    let header_value = |name: &str| {
        parts
            .headers
            .get(name)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
    };
    let date = header_value("x-amz-date").or_else(|| header_value("date"));
    let mut message = String::new();
    let mut field = |name: &str| match fields.get(name) {
        Some(value) if !value.is_empty() => (*value).to_owned(),
        _ => {
            message.push_str(&format!(
                "Authorization header requires '{name}' parameter. "
            ));
            String::new()
        }
    };
    let (credential, signature, signed_headers) = (
        field("Credential"),
        field("Signature"),
        field("SignedHeaders"),
    );
    if date.is_none() {
        message.push_str(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' \
             header. ",
        );
    }
    if !message.is_empty() {
        return Err(incomplete_signature(format!(
            "{message}Authorization={header}"
        )));
    }
    Ok(Claim {
        location: Location::Header,
        algorithm,
        credential,
        signed_headers,
        signature,
        date: date.unwrap_or_default(),
        expires: None,
    })
}

/// The claim of a query string with `X-Amz-Algorithm`.
fn query_claim(query: &[(String, String)]) -> Result<Claim, ErrorAnswer> {
    let mut message = String::new();
    let mut param = |name: &str| match query.iter().find(|(key, _)| key == name) {
        Some((_, value)) if !value.is_empty() => value.clone(),
        _ => {
            message.push_str(&format!(
                "AWS query-string parameters must include '{name}'. "
            ));
            String::new()
        }
    };
    let claim = Claim {
        location: Location::Query,
        algorithm: param("X-Amz-Algorithm"),
        credential: param("X-Amz-Credential"),
        signature: param("X-Amz-Signature"),
        signed_headers: param("X-Amz-SignedHeaders"),
        date: param("X-Amz-Date"),
        expires: query
            .iter()
            .find(|(key, _)| key == "X-Amz-Expires")
            .map(|(_, value)| value.clone()),
    };
    if !message.is_empty() {
        return Err(incomplete_signature(format!(
            "{message}Re-examine the query-string parameters."
        )));
    }
    Ok(claim)
}

/// The query string's `name=value` pairs, percent-decoded (`+` is a space).
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

/// `s` with `%XX` escapes decoded and `+` read as a space; a `%` that starts no escape is
/// kept.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = bytes
            .get(i + 1..i + 3)
            .filter(|_| bytes[i] == b'%')
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (escaped, bytes[i]) {
            (Some(byte), _) => {
                out.push(byte);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, byte) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// DynamoDB's `IncompleteSignatureException` (400).
fn incomplete_signature(message: String) -> ErrorAnswer {
    ErrorAnswer::coral(400, "IncompleteSignatureException", message)
}

/// DynamoDB's `InvalidSignatureException` (400).
fn invalid_signature(message: String) -> ErrorAnswer {
    ErrorAnswer::coral(400, "InvalidSignatureException", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_pairs_are_percent_decoded() {
        assert_eq!(
            query_pairs("X-Amz-Credential=AKID%2F20240101%2Fus-east-1&a=b+c&flag&bad=%zz"),
            [
                (
                    "X-Amz-Credential".to_owned(),
                    "AKID/20240101/us-east-1".to_owned()
                ),
                ("a".to_owned(), "b c".to_owned()),
                ("flag".to_owned(), String::new()),
                ("bad".to_owned(), "%zz".to_owned()),
            ]
        );
    }

    #[test]
    fn a_header_claim_reads_commas_or_spaces_between_fields() {
        let (parts, ()) = hyper::Request::post("/")
            .header("date", "20240101T000000Z")
            .body(())
            .unwrap()
            .into_parts();
        let claim = header_claim(
            &parts,
            "AWS4-HMAC-SHA256 Credential=A/B/C/D/E,SignedHeaders=host Signature=ff",
        )
        .unwrap();
        assert_eq!(claim.algorithm, "AWS4-HMAC-SHA256");
        assert_eq!(claim.credential, "A/B/C/D/E");
        assert_eq!(claim.signed_headers, "host");
        assert_eq!(claim.signature, "ff");
        assert_eq!(claim.date, "20240101T000000Z");
    }
}
