//! The typed behaviour suite: each case written once, generic over `Backend`, and run on
//! `MemoryBackend` and on the real DynamoDB-compatible server by
//! [`notes_tests::on_every_backend!`] (`<concept>::memory::<case>`,
//! `<concept>::dynamodb::<case>`).

mod backups;
mod bad_input;
mod batch;
mod capacity;
mod consistency;
mod count;
mod indexes;
mod items;
mod lost_responses;
mod multi_key_indexes;
mod on_demand;
mod query;
mod scan;
mod single_table;
mod streams;
mod transactions;
mod unique;
mod upgrade;
mod versions;
