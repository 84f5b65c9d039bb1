//! KMS keyrings (feature kms).
