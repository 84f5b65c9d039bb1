//! The notes API over real HTTP: the router from `notes_api` served on
//! 127.0.0.1 and a free port, driven by reqwest, on MemoryBackend and on the real test server
//! (`cases`); and its Lambda entry point (`notes_api::gateway`), fed API
//! Gateway events (`lambda`).

mod cases;
mod counts;
mod lambda;
mod support;
