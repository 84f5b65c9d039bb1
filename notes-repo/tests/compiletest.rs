//! Compile-fail tests: each misuse of `#[derive(Item)]` or the typed API, with the message a
//! user sees (the `.stderr` beside each file).

#[test]
fn ui() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
