//! Injected faults, and what the caller sees of them: nothing, when a retry gets through;
//! otherwise a typed error that accounts for every item.
//!
//! - `batches`: a layer around the backend leaves batch entries unprocessed, throttles and
//!   fails requests; on MemoryBackend and on the server.
//! - `histories`: random concurrent writes through a layer that loses answers (drops them, or
//!   drops and resends), checked for linearizability; on MemoryBackend and on the server.
//! - `network`: a proxy on 127.0.0.1 before the server resets connections and answers 500s,
//!   throttling and unprocessed items; the AWS backend on the server only.
//! - `unique`: the transactions that write items with `#[unique]` attributes and their guards,
//!   under the same faults through the proxy: no guard without its item, no item lost.

mod bad_input;
mod batches;
mod histories;
mod lost_responses;
mod network;
mod proxy;
mod unique;
