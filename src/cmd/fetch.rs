//! `gen fetch`: the one command besides `gen mentions` that goes to the
//! network. It reads each author profile's `feed` (their own blog), fetches
//! it with a bounded HTTP client (timeouts, a size limit, a redirect limit,
//! conditional requests with the ETag and Last-Modified of the last fetch),
//! parses it (RSS, Atom or JSON Feed, with `feed-rs`) and keeps the newest
//! entries as plain text in `data/contributors.json`, which the site commits:
//! `gen build` reads that file and never the network.
//!
//! A feed that fails is a warning naming the author, the URL and the reason;
//! that author's entries of the last good fetch are kept. The exit code is 0
//! when every feed answered (new entries or "not modified"), 1 when one or
//! more failed (the file is still written with the others), 2 for usage
//! errors.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::SecondsFormat;

use super::net::{self, canonical};
use super::{Exit, Global, plural};
use crate::diag::Diagnostic;
use crate::load::contributors::{
    self, AuthorFeedData, CONTRIBUTORS_FILE, ContributorsData, FeedEntry, FeedMeta, web_link,
};
use crate::load::{self, LoadOptions};
use crate::sitefs::SiteFs;
use crate::text::html::{cut_words, html_to_text, one_line};

/// The largest feed read, in bytes.
pub const MAX_BYTES: u64 = 5 * 1024 * 1024;
/// How many entries of each author's feed are kept (the newest).
pub const ENTRIES_PER_AUTHOR: usize = 10;
/// The longest summary kept, in characters (cut at a word).
pub const SUMMARY_MAX: usize = 300;
/// The longest title kept, in characters.
pub const TITLE_MAX: usize = 200;
/// How many feeds are fetched at once.
const THREADS: usize = 4;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only the feeds of these authors (slugs); the others' entries are kept
    /// as they are. Default: every author whose profile has a `feed`.
    pub authors: Vec<String>,
    /// Seconds one feed may take in all: connecting, redirects and reading
    /// (connecting alone at most 10).
    #[arg(long, value_name = "SECONDS", default_value_t = 20.0)]
    pub timeout: f64,
}

/// What became of one feed.
enum Outcome {
    Fetched(AuthorFeedData),
    NotModified,
    Failed(String),
}

impl Args {
    pub fn run(self, g: &Global) -> Result<(), Exit> {
        let timeout = net::timeout(self.timeout)?;
        let (site, diags) = load::load_partial(&g.root, LoadOptions::default());
        let Some(site) = site else {
            g.report(&diags);
            return Err(Exit::SiteErrors);
        };
        for slug in &self.authors {
            if !site.authors.contains_key(slug) {
                eprintln!("error: no author \"{slug}\" (authors/{slug}.toml)");
                return Err(Exit::Usage);
            }
        }
        let gate = SiteFs::with_canonical(&site.root, &canonical(&site.root)?);
        let old = match contributors::read_data(&gate) {
            Ok(d) => d.unwrap_or_default(),
            Err(mut d) => {
                d.severity = crate::diag::Severity::Warning;
                d.message = format!("{}; it is written anew", d.message);
                g.print_diagnostics(&[d], g.color_stderr());
                ContributorsData::default()
            }
        };
        let chosen = |slug: &str| self.authors.is_empty() || self.authors.iter().any(|a| a == slug);
        let jobs: Vec<(&str, &str)> = site
            .authors
            .values()
            .filter(|a| chosen(&a.slug))
            .filter_map(|a| Some((a.slug.as_str(), a.feed.as_deref()?)))
            .collect();
        if jobs.is_empty() && old.authors.is_empty() {
            if !g.quiet {
                eprintln!("no author profile has a `feed`: nothing to fetch");
            }
            return Ok(());
        }
        let agent = net::agent(timeout, "gen fetch");
        let now = load::dates::now()
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(SecondsFormat::Secs, true);

        // A few threads take the feeds one by one.
        let next = AtomicUsize::new(0);
        let outcomes: Mutex<BTreeMap<&str, Outcome>> = Mutex::new(BTreeMap::new());
        std::thread::scope(|s| {
            for _ in 0..THREADS.min(jobs.len()) {
                s.spawn(|| {
                    loop {
                        let at = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&(slug, url)) = jobs.get(at) else {
                            break;
                        };
                        let outcome = fetch(&agent, url, old.authors.get(slug), &now, timeout);
                        if let Ok(mut o) = outcomes.lock() {
                            o.insert(slug, outcome);
                        }
                    }
                });
            }
        });
        let outcomes = outcomes.into_inner().unwrap_or_default();

        let mut data = ContributorsData::default();
        let mut failed = 0;
        for (slug, author) in &site.authors {
            let kept = old.authors.get(slug);
            let Some(outcome) = outcomes.get(slug.as_str()) else {
                // Not fetched this time (not chosen), or no feed any more.
                if author.feed.is_some()
                    && !chosen(slug)
                    && let Some(k) = kept
                {
                    data.authors.insert(slug.clone(), k.clone());
                }
                continue;
            };
            let url = author.feed.as_deref().unwrap_or_default();
            match outcome {
                Outcome::Fetched(new) => {
                    if !g.quiet {
                        eprintln!(
                            "fetched {slug}: {} entr{} from {url}",
                            new.entries.len(),
                            if new.entries.len() == 1 { "y" } else { "ies" }
                        );
                    }
                    data.authors.insert(slug.clone(), new.clone());
                }
                Outcome::NotModified => {
                    if !g.quiet {
                        eprintln!("not modified {slug}: {url}");
                    }
                    if let Some(k) = kept {
                        let mut k = k.clone();
                        k.feed.fetched_at = Some(now.clone());
                        data.authors.insert(slug.clone(), k);
                    }
                }
                Outcome::Failed(why) => {
                    failed += 1;
                    let keeps = match kept {
                        Some(k) => {
                            data.authors.insert(slug.clone(), k.clone());
                            format!(
                                "the {} entr{} of the last good fetch are kept",
                                k.entries.len(),
                                if k.entries.len() == 1 { "y" } else { "ies" }
                            )
                        }
                        None => "no entries of theirs are shown yet".to_string(),
                    };
                    let d = Diagnostic::warning(format!(
                        "the feed of \"{slug}\" ({url}) failed: {why}; {keeps}"
                    ))
                    .in_file(&author.source)
                    .hint("check the `feed` address in a browser; `gen fetch` tries it again next time");
                    g.print_diagnostics(&[d], g.color_stderr());
                }
            }
        }
        // Profiles that failed to load keep what they had: they are still there.
        for (slug, k) in &old.authors {
            if !site.authors.contains_key(slug)
                && site
                    .root
                    .join("authors")
                    .join(format!("{slug}.toml"))
                    .is_file()
            {
                data.authors.insert(slug.clone(), k.clone());
            }
        }
        if let Err(e) = write_data(&site.root, &data) {
            eprintln!("error: cannot write {CONTRIBUTORS_FILE}: {e}");
            return Err(Exit::SiteErrors);
        }
        if !g.quiet {
            let entries: usize = data.authors.values().map(|a| a.entries.len()).sum();
            eprintln!(
                "wrote {CONTRIBUTORS_FILE}: {entries} entr{} of {} author{}{}",
                if entries == 1 { "y" } else { "ies" },
                data.authors.len(),
                plural(data.authors.len()),
                if failed > 0 {
                    format!("; {failed} feed{} failed", plural(failed))
                } else {
                    String::new()
                }
            );
        }
        if failed > 0 {
            Err(Exit::SiteErrors)
        } else {
            Ok(())
        }
    }
}

/// Fetches and parses one feed; `old` is what the last fetch kept.
fn fetch(
    agent: &ureq::Agent,
    url: &str,
    old: Option<&AuthorFeedData>,
    now: &str,
    timeout: Duration,
) -> Outcome {
    if !web_link(url) {
        return Outcome::Failed("not an http(s) address".into());
    }
    // The validators apply only to the same address, and only when there are
    // entries to keep.
    let old = old.filter(|o| o.feed.url == url && !o.entries.is_empty());
    let mut req = agent.get(url).header("Accept", ACCEPT);
    if let Some(etag) = old.and_then(|o| o.feed.etag.as_deref()) {
        req = req.header("If-None-Match", etag);
    }
    if let Some(lm) = old.and_then(|o| o.feed.last_modified.as_deref()) {
        req = req.header("If-Modified-Since", lm);
    }
    let mut resp = match req.call() {
        Ok(r) => r,
        Err(e) => return Outcome::Failed(net::reason(&e, timeout, "the feed")),
    };
    let status = resp.status();
    if status.as_u16() == 304 && old.is_some() {
        return Outcome::NotModified;
    }
    if !status.is_success() {
        return Outcome::Failed(format!("the server answered {}", net::status_words(status)));
    }
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(one_line)
            .filter(|v| !v.is_empty())
    };
    let etag = header("etag");
    let last_modified = header("last-modified");
    let base = {
        use ureq::ResponseExt as _;
        url::Url::parse(&resp.get_uri().to_string()).ok()
    };
    let body = match resp.body_mut().with_config().limit(MAX_BYTES).read_to_vec() {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(net::reason(&e, timeout, "the feed")),
    };
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base.as_ref().map(url::Url::as_str))
        .build();
    let feed = match parser.parse(body.as_slice()) {
        Ok(f) => f,
        Err(e) => {
            return Outcome::Failed(format!(
                "not a feed (RSS, Atom or JSON Feed): {}",
                cut_words(&one_line(&e.to_string()), 200)
            ));
        }
    };
    let base = base.or_else(|| url::Url::parse(url).ok());
    Outcome::Fetched(AuthorFeedData {
        entries: entries(feed, base.as_ref()),
        feed: FeedMeta {
            etag,
            fetched_at: Some(now.to_string()),
            last_modified,
            url: url.to_string(),
        },
    })
}

const ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
                      application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";

/// The newest entries of a feed as plain text: http(s) links only (relative
/// ones resolved against the feed's address), newest first, one per link.
fn entries(feed: feed_rs::model::Feed, base: Option<&url::Url>) -> Vec<FeedEntry> {
    let mut out: Vec<(Option<chrono::DateTime<chrono::Utc>>, usize, FeedEntry)> = Vec::new();
    for (at, e) in feed.entries.into_iter().enumerate() {
        let href = e
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(e.links.first())
            .map(|l| l.href.clone())
            .or_else(|| web_link(&e.id).then(|| e.id.clone()));
        let Some(link) = href.and_then(|h| resolve(base, &h)) else {
            continue;
        };
        if out.iter().any(|(_, _, o)| o.link == link) {
            continue;
        }
        let title = e
            .title
            .map(|t| {
                if t.content_type.essence().to_string() == "text/html" {
                    html_to_text(&t.content)
                } else {
                    one_line(&t.content)
                }
            })
            .unwrap_or_default();
        let summary = e
            .summary
            .map(|t| t.content)
            .or_else(|| e.content.and_then(|c| c.body))
            .map(|s| html_to_text(&s))
            .unwrap_or_default();
        let date = e.published.or(e.updated);
        out.push((
            date,
            at,
            FeedEntry {
                date: date.map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true)),
                link,
                summary: cut_words(&summary, SUMMARY_MAX),
                title: cut_words(&title, TITLE_MAX),
            },
        ));
    }
    // Newest first; undated ones after, in the feed's order.
    out.sort_by(|a, b| {
        b.0.is_some()
            .cmp(&a.0.is_some())
            .then_with(|| b.0.cmp(&a.0))
            .then_with(|| a.1.cmp(&b.1))
    });
    out.into_iter()
        .take(ENTRIES_PER_AUTHOR)
        .map(|(_, _, e)| e)
        .collect()
}

/// An entry's link, absolute, when it is http(s).
fn resolve(base: Option<&url::Url>, href: &str) -> Option<String> {
    let u = match base {
        Some(b) => b.join(href.trim()).ok()?,
        None => url::Url::parse(href.trim()).ok()?,
    };
    let s = u.to_string();
    web_link(&s).then_some(s)
}

/// Writes the data file ([`net::write_atomic`]) with sorted keys.
fn write_data(root: &Path, data: &ContributorsData) -> Result<(), String> {
    net::write_atomic(root, Path::new(CONTRIBUTORS_FILE), &net::json_text(data)?)
}
