//! Compile-fail tests: each misuse of `#[derive(Item)]` or the typed API, with the message a
//! user sees (the `.stderr` beside each file); and in `ui/pass`, the forms that compile.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    // The workspace's other members turn the `uuid` feature on, and `Note::new` with it.
    if cfg!(not(feature = "uuid")) {
        cases.compile_fail("tests/ui/without_uuid/*.rs");
    }
}

/// The forms that compile (and run), in a batch of their own: trybuild builds a batch with
/// passing cases fully, where compile-fail cases alone are only checked.
#[test]
fn pass() {
    trybuild::TestCases::new().pass("tests/ui/pass/*.rs");
}
