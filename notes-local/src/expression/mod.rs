//! DynamoDB's expression language (condition, key condition, filter, update and projection
//! expressions with `#name` and `:value` placeholders), parsed into the AST of
//! `notes_model::expr`.
