//! The Database Encryption SDK's errors, read by their type and their message: why an item
//! failed to decrypt ([`DecryptionFailure`]), in the SDK's own words.
//!
//! The SDK's errors nest (the item encryptor's wraps the structured encryption's, which wraps
//! the Material Providers Library's, whose keyrings collect one error per encrypted data key),
//! so their messages are gathered from every level, outermost first.

use aws_db_esdk::dynamodb::types::error::Error as DynamoDbError;
use aws_db_esdk::item_encryptor::types::error::Error as ItemEncryptorError;
use aws_db_esdk::material_providers::types::error::Error as MaterialProvidersError;
use notes_core::DecryptionFailure;

/// What the item encryptor says when an item lacks both `aws_dbe_head` and `aws_dbe_foot`,
/// and the structured encryption when it lacks one.
const MISSING_SIGNATURE: &[&str] = &[
    "Encrypted item missing expected header and footer attributes",
    "The field name aws_dbe_head is required.",
    "The field name aws_dbe_foot is required.",
    "Header field, \"aws_dbe_head\", not in item.",
    "Footer field, \"aws_dbe_foot\", not in item.",
];

/// What the structured encryption says when a signature or the key commitment does not match,
/// or when a signed attribute was removed or an unsigned one added; and what the item
/// encryptor and the Material Providers Library say of a header that does not parse.
const TAMPERED: &[&str] = &[
    "Schema changed : something that was signed is now unsigned.",
    "Schema changed : something that was unsigned is now signed.",
    "Signature of record does not match the signature computed when the record was encrypted.",
    "Signature did not verify",
    "Key commitment mismatch.",
    // A header changed after it was written, as the layers that read it word it.
    "Header attribute has unexpected version number",
    "Header field, \"aws_dbe_head\", not binary",
    "Unexpected empty header field.",
    "Encryption Context missing verification key.",
    "The encoding is malformed",
];

/// What the keyrings say when none of them could decrypt the data key (the start of each:
/// they go on to list what each keyring met).
const WRONG_KEY: &[&str] = &[
    "Raw AES Keyring was unable to decrypt any encrypted data key.",
    "No Configured KMS Key was able to decrypt the Data Key.",
    "No Configured Keyring was able to decrypt the Data Key.",
    "No Configured Key was able to decrypt the Data Key.",
    "Raw RSA Key was unable to decrypt any encrypted data key.",
    "Unable to decrypt data key: No Encrypted Data Keys found to match.",
];

/// How the structured encryption's errors start (their `Debug` text): its errors are about
/// the stored form (header, footer, ciphertext), read back.
const STRUCTURE: &str = "StructuredEncryptionException";

/// Why an item failed to decrypt, and the SDK's message.
pub(crate) fn classify(err: &ItemEncryptorError) -> (DecryptionFailure, String) {
    let mut found = Vec::new();
    item_encryptor_messages(err, &mut found);
    let known = |messages: &[&'static str]| {
        messages
            .iter()
            .copied()
            .find(|known| found.iter().any(|message| message.contains(known)))
    };
    if let Some(message) = known(MISSING_SIGNATURE) {
        (DecryptionFailure::MissingSignature, message.to_owned())
    } else if let Some(message) = known(TAMPERED) {
        (DecryptionFailure::Tampered, message.to_owned())
    } else if let Some(message) = known(WRONG_KEY) {
        (DecryptionFailure::WrongKey, message.to_owned())
    } else if found.iter().any(|message| message.starts_with(STRUCTURE)) {
        // The stored form itself does not parse (a header, footer or ciphertext cut short,
        // bytes that are not what was written): it was changed after it was written.
        (DecryptionFailure::Tampered, join(&found))
    } else {
        (DecryptionFailure::Other, join(&found))
    }
}

/// The messages of every level of `err`, joined: `outer: inner`.
pub(crate) fn describe(err: &ItemEncryptorError) -> String {
    let mut found = Vec::new();
    item_encryptor_messages(err, &mut found);
    join(&found)
}

fn join(found: &[String]) -> String {
    found.join(": ")
}

fn item_encryptor_messages(err: &ItemEncryptorError, found: &mut Vec<String>) {
    match err {
        ItemEncryptorError::DynamoDbItemEncryptorException { message } => {
            found.push(message.clone());
        }
        ItemEncryptorError::StructuredEncryptionError { error } => {
            structured_messages(error, found);
        }
        ItemEncryptorError::AwsCryptographicMaterialProvidersError { error } => {
            material_providers_messages(error, found);
        }
        ItemEncryptorError::DynamoDbEncryptionError { error } => dynamodb_messages(error, found),
        ItemEncryptorError::CollectionOfErrors { list, message } => {
            found.push(message.clone());
            for error in list {
                item_encryptor_messages(error, found);
            }
        }
        ItemEncryptorError::ValidationError(error) => {
            found.push(error.to_string());
        }
        other => found.push(format!("{other:?}")),
    }
}

fn dynamodb_messages(err: &DynamoDbError, found: &mut Vec<String>) {
    match err {
        DynamoDbError::DynamoDbEncryptionException { message } => {
            found.push(message.clone());
        }
        DynamoDbError::StructuredEncryptionError { error } => structured_messages(error, found),
        DynamoDbError::AwsCryptographicMaterialProvidersError { error } => {
            material_providers_messages(error, found);
        }
        DynamoDbError::CollectionOfErrors { list, message } => {
            found.push(message.clone());
            for error in list {
                dynamodb_messages(error, found);
            }
        }
        DynamoDbError::ValidationError(error) => found.push(error.to_string()),
        other => found.push(format!("{other:?}")),
    }
}

/// The structured encryption's error type is not public: its messages are read from its
/// `Debug` text (`StructuredEncryptionException { message: ".." }`, nested as the others).
fn structured_messages(err: &dyn std::fmt::Debug, found: &mut Vec<String>) {
    found.push(format!("{err:?}"));
}

fn material_providers_messages(err: &MaterialProvidersError, found: &mut Vec<String>) {
    match err {
        MaterialProvidersError::AwsCryptographicMaterialProvidersException { message } => {
            found.push(message.clone());
        }
        MaterialProvidersError::CollectionOfErrors { list, message } => {
            found.push(message.clone());
            for error in list {
                material_providers_messages(error, found);
            }
        }
        MaterialProvidersError::ValidationError(error) => {
            found.push(error.to_string());
        }
        other => found.push(format!("{other:?}")),
    }
}
