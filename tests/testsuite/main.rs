//! The integration tests of `gen`, as one test binary: each module drives the
//! real binary (or the library, for the property tests) on fixture sites copied
//! into temporary folders. One binary instead of one per file, so the shared
//! helpers in `support/` compile and link once.
//!
//! Run it all with `cargo test --test testsuite`, one module with
//! `cargo test --test testsuite serve::`, one test by its name.
//!
//! To add a test: put it in the module of what it is about, or for a new area
//! add `NAME.rs` here (a `//!` line saying what it covers) and `mod NAME;`
//! below; a file in `tests/` itself would be a separate binary again. Set up
//! the site with `support::SiteTest`: `SiteTest::from_fixture("basic")`
//! (a copy of `tests/fixtures/sites/basic`) or `SiteTest::empty()`, then
//! `.config(toml)`, `.author(slug, toml)`, `.post(file, front, body)`,
//! `.file(path, text)`, `.edit(path, from, to)`, and
//! `.run(&["build"]).success().file_contains("public/…", "…")`.
//!
//! Expected messages are exact. A long one (more than about eight lines) goes
//! in a reviewed snapshot, `snapshots/MODULE__TEST.txt`, checked with
//! `.stderr_snapshot(name)` or `support::snapshot::assert_snapshot(name, &text)`.
//! When a message changes on purpose, `BYLINE_BLESS=1 cargo test --test
//! testsuite TEST` rewrites its snapshot (a new snapshot is written the same
//! way); review the diff of the snapshot file like code. Without the variable
//! a difference fails with a line diff.

mod aliases;
mod archives;
mod build_output;
mod cards;
mod check;
mod cli;
mod commands;
mod community;
mod diagnostics;
mod error_messages;
mod feed_formats;
mod feeds;
mod fetch;
mod fs_gate;
mod highlight_cache;
mod highlight_languages;
mod import;
mod import_roundtrip;
mod links;
mod load_messages;
mod mentions;
mod no_panic;
mod output_paths;
mod output_safety;
mod pictures;
mod reading;
mod related;
mod report;
mod responses;
mod sanitize_props;
mod search;
mod series;
mod serve;
mod serve_incremental;
mod share_fixes;
mod share_kit;
mod share_props;
mod share_vectors;
mod support;
mod untrusted;
mod write;
