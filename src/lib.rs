//! Byline: a static-site generator for blogs that publish guest authors.
//!
//! The pipeline is load → render → write ([`load`], [`render`], [`write`]), with
//! the commands in [`cmd`] around it. `ARCHITECTURE.md` describes how the parts fit.

// Diagnostics are returned by value on the error path only, where their size
// does not matter; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod check;
pub mod cmd;
pub mod config;
pub mod diag;
pub mod load;
pub mod markdown;
pub mod render;
pub mod routes;
pub mod serve;
pub mod share;
pub mod sitefs;
pub mod write;
