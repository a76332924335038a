//! The integration tests of `gen`, as one test binary: each module drives the
//! real binary (or the library, for the property tests) on fixture sites copied
//! into temporary folders. One binary instead of one per file, so the shared
//! helpers in `support/` compile and link once.
//!
//! Run it all with `cargo test --test testsuite`, one module with
//! `cargo test --test testsuite serve::`, one test by its name.

mod build_output;
mod check;
mod cli;
mod commands;
mod diagnostics;
mod error_messages;
mod feeds;
mod fs_gate;
mod links;
mod load_messages;
mod no_panic;
mod output_paths;
mod output_safety;
mod reading;
mod sanitize_props;
mod serve;
mod serve_incremental;
mod share_fixes;
mod share_kit;
mod share_props;
mod share_vectors;
mod support;
mod untrusted;
