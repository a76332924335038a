//! Text helpers that several layers share: slugs ([`slug`]), where a key is
//! written in TOML or YAML ([`position`]), parser errors in plain words
//! ([`syntax`]), the control characters removed from what guests write
//! ([`clean`]), quoting for the shell in hints ([`shell`]) and the plain
//! text of untrusted HTML and the links it may publish ([`html`]).
//!
//! This is a leaf: it imports nothing of the crate but [`crate::diag`] (the
//! error type its warnings and errors are made of), so configuration, loading,
//! Markdown, the preview and the commands can all use it without pointing up.

pub mod clean;
pub mod html;
pub mod packed;
pub mod position;
pub mod shell;
pub mod slug;
pub mod syntax;
