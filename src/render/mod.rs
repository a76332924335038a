//! Rendering: the second stage. Markdown bodies are rendered once per post (in
//! parallel), indices by author and term are built once, each post, author and term
//! is serialized once, and then every output page is an independent job rendered
//! in parallel into an in-memory [`Output`] or a staging folder. The URL and
//! output file of every page and feed come from [`crate::routes`].

pub mod archives;
pub mod card;
pub mod cards;
pub mod claims;
pub mod context;
pub mod feeds;
mod indices;
mod jobs;
mod links;
pub mod opml;
mod pipeline;
mod prepare;
pub mod redirects;
pub mod related;
pub mod resize;
pub mod search;
pub mod similar;
pub mod theme;
pub mod write;

pub use feeds::{FeedJob, site_feeds};
pub use indices::{Indices, Term};
pub use jobs::{Job, JobInputs, page_window, site_jobs};
pub use links::{Body, BodyRenderer, LinkUse, render_markdown};
pub use pipeline::{
    Keep, Made, Policy, Sink, render_errors, render_into, render_site, run_pipeline, share_kits,
};
pub use prepare::{Earlier, Ingredients, KitResult, Prepared, share_path};

use std::collections::BTreeMap;

pub use theme::{Source, Theme};

/// One file of the built site.
#[derive(Debug, Clone)]
pub enum Content {
    Text(String),
    Copy(Source),
    /// Bytes made by the build that are not text (the search index).
    Bytes(std::sync::Arc<[u8]>),
}

/// The whole built site, by output path (relative, `/`-separated; `index.html`
/// for folder URLs).
#[derive(Debug, Default)]
pub struct Output {
    pub files: BTreeMap<String, Content>,
}
