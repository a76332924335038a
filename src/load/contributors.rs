//! The entries of contributors' own blogs: the data file `gen fetch` writes
//! (`data/contributors.json`, committed with the site) and what a build reads
//! of it. The build never goes to the network: it reads this file through the
//! gate like any other. The file is untrusted (fetched from strangers, and
//! editable by hand): a file that does not parse is a warning naming it (with
//! line and column), and the build goes on without it; entries whose link is
//! not http(s) are left out.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::sitefs::{ReadError, SiteFs};

/// Where `gen fetch` keeps what it fetched, from the site's root.
pub const CONTRIBUTORS_FILE: &str = "data/contributors.json";

/// The data file: each author's own feed, by author slug.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributorsData {
    pub authors: BTreeMap<String, AuthorFeedData>,
}

/// One author's own feed: how it was fetched and its newest entries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorFeedData {
    pub feed: FeedMeta,
    /// Newest first.
    #[serde(default)]
    pub entries: Vec<FeedEntry>,
}

/// How a feed was last fetched: its URL, the validators for a conditional
/// request, and when it last answered (RFC 3339, UTC).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedMeta {
    pub url: String,
    #[serde(default)]
    pub etag: Option<String>,
    #[serde(default)]
    pub last_modified: Option<String>,
    #[serde(default)]
    pub fetched_at: Option<String>,
}

/// One entry of an author's own blog, as plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedEntry {
    pub title: String,
    pub link: String,
    /// RFC 3339, when the feed gave one.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub summary: String,
}

/// An entry of a contributor's own blog, as a build shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Contribution {
    /// The author's slug.
    pub author: String,
    pub title: String,
    /// An http(s) URL.
    pub link: String,
    pub date: Option<DateTime<FixedOffset>>,
    pub summary: String,
}

pub use crate::text::html::web_link;

/// Reads the data file: `Ok(None)` when there is none; a diagnostic (an
/// error, the caller decides how grave) naming the file, with line and
/// column, when it cannot be read or is not of the expected shape.
pub fn read_data(gate: &SiteFs) -> Result<Option<ContributorsData>, Diagnostic> {
    let rel = Path::new(CONTRIBUTORS_FILE);
    let bytes = match gate.read_bytes(rel) {
        Ok(b) => b,
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Diagnostic::error(format!("cannot read the file: {e}")).in_file(rel));
        }
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|e| {
        crate::text::syntax::json_error(rel, "not a contributors data file", &e)
            .hint("run `gen fetch` to write it again")
    })
}

/// The entries a build shows, newest first (undated ones last; then by
/// author and link), with the warnings of reading them. A broken file is a
/// warning and no entries.
pub fn read(root: &Path, root_canonical: &Path) -> (Vec<Contribution>, Vec<Diagnostic>) {
    let gate = SiteFs::with_canonical(root, root_canonical);
    match read_data(&gate) {
        Ok(Some(data)) => contributions(&data),
        Ok(None) => (Vec::new(), Vec::new()),
        Err(mut d) => {
            d.severity = crate::diag::Severity::Warning;
            d.message = format!("{}; the contributors' entries are left out", d.message);
            (Vec::new(), vec![d])
        }
    }
}

/// The entries of a data file, sorted, with warnings for those left out.
pub fn contributions(data: &ContributorsData) -> (Vec<Contribution>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for (slug, feed) in &data.authors {
        for e in &feed.entries {
            if !web_link(&e.link) {
                diags.push(
                    Diagnostic::warning(format!(
                        "an entry of \"{slug}\" links to \"{}\", not an http(s) URL: it is left out",
                        crate::text::html::cut_words(&e.link, 80)
                    ))
                    .in_file(CONTRIBUTORS_FILE),
                );
                continue;
            }
            let title = crate::text::html::one_line(&e.title);
            out.push(Contribution {
                author: slug.clone(),
                title: if title.is_empty() {
                    e.link.clone()
                } else {
                    title
                },
                link: e.link.clone(),
                date: e
                    .date
                    .as_deref()
                    .and_then(|d| DateTime::parse_from_rfc3339(d).ok()),
                summary: crate::text::html::one_line(&e.summary),
            });
        }
    }
    sort(&mut out);
    (out, diags)
}

/// Newest first, undated last, then by author and link.
pub fn sort(entries: &mut [Contribution]) {
    entries.sort_by(|a, b| {
        b.date
            .is_some()
            .cmp(&a.date.is_some())
            .then_with(|| b.date.cmp(&a.date))
            .then_with(|| a.author.cmp(&b.author))
            .then_with(|| a.link.cmp(&b.link))
    });
}
