//! Shared test support for the workspace-level tests.
