//! Bad input never reaches the server: every entry of the bad-input catalogue
//! (`tests/bad_input.rs`, in the tests crate's lib), sent by the AWS backend through the counting proxy,
//! gets its error with zero requests forwarded.

use std::sync::Arc;

use notes_repo::request::BillingMode;
use notes_repo::{Note, Repo};

use crate::network::backend_at;
use crate::proxy::{self, Fault, FaultProxy};

use notes_tests::bad_input_support as catalogue;
use notes_tests::bad_input_support::Sample;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_bad_input_reaches_the_server() {
    let Some(direct) = notes_tests::server_support::available_backend().await else {
        return;
    };
    let upstream = notes_tests::server_support::endpoint().expect("the server's endpoint");
    let notes_table = notes_tests::server_support::table_name("faults-bad-input");
    let samples_table = format!("{notes_table}-samples");
    // The tables are made directly, so that the proxy sees only the catalogue's requests.
    Repo::<Note, _>::with_table(direct.clone(), notes_table.clone())
        .ensure_table(BillingMode::PayPerRequest)
        .await
        .unwrap();
    Repo::<Sample, _>::with_table(direct, samples_table.clone())
        .ensure_table(BillingMode::PayPerRequest)
        .await
        .unwrap();
    let plan: proxy::Plan = Arc::new(|_, _| Fault::Pass);
    let proxy = FaultProxy::start(&upstream, plan).await;
    let backend = backend_at(&proxy.url);
    let notes: Repo<Note, _> = Repo::with_table(backend.clone(), notes_table);
    let samples: Repo<Sample, _> = Repo::with_table(backend.clone(), samples_table);

    let attempts = catalogue::attempt_every_bad_input(&backend, &notes, &samples).await;
    catalogue::assert_all_refused(&attempts);
    assert_eq!(proxy.requests(), 0, "bad input reached the server");

    // The proxy does count: one valid request is one request.
    notes.put(&Note::new("u1", "x")).await.unwrap();
    assert_eq!(proxy.requests(), 1);
}
