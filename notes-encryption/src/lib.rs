//! Client-side encryption of items with AWS's Database Encryption SDK (`aws-db-esdk`).
