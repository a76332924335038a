//! `gen mentions send`: tells the pages a post links to that it does, as
//! W3C Webmention has it. For each external http(s) link of a post's
//! Markdown it fetches the page (redirects followed within the limit, the
//! body read up to a size limit), discovers the page's endpoint
//! ([`super::discover`]) and posts `source` (the post's URL) and `target`
//! (the link) to it, form-encoded. What was sent is kept in
//! `data/mentions-sent.json`, so a pair is sent once; a page without an
//! endpoint is counted and left quietly; a failure is a warning naming the
//! post, the link and why, and the exit code is then 1.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::Path;
use std::time::Duration;

use chrono::SecondsFormat;
use pulldown_cmark::{Event, Parser, Tag};
use serde::{Deserialize, Serialize};
use url::Url;

use super::super::net;
use super::super::share::{named_post, posts_since};
use super::super::{Exit, Global, plural};
use super::{PostUrls, discover};
use crate::diag::Diagnostic;
use crate::load::Site;
use crate::markdown::{RenderOptions, parser_options};
use crate::sitefs::SiteFs;
use crate::text::html::{cut_words, html_to_text, one_line};

/// Where what was sent is kept, from the site's root.
pub const SENT_FILE: &str = "data/mentions-sent.json";
/// The most of a page read to find its endpoint, in bytes.
pub const MAX_PAGE_BYTES: u64 = 1024 * 1024;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Posts to send for, by file (content/posts/x.md) or slug. Default:
    /// every post.
    pub posts: Vec<String>,
    /// Only posts added since this git ref (e.g. origin/main), or dated on
    /// or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "REF")]
    pub since: Option<String>,
    /// Print what would be sent: endpoints are looked up, nothing is sent
    /// and nothing is written.
    #[arg(long)]
    pub dry_run: bool,
    /// Seconds one request may take in all (connecting at most 10).
    #[arg(long, value_name = "SECONDS", default_value_t = 20.0)]
    pub timeout: f64,
}

/// `data/mentions-sent.json`.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SentFile {
    #[serde(default)]
    sent: Vec<Sent>,
}

/// One webmention sent and accepted.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Sent {
    source: String,
    target: String,
    #[serde(default)]
    endpoint: String,
    #[serde(default)]
    status: u16,
    /// RFC 3339.
    #[serde(default)]
    date: String,
}

/// What became of one link.
enum Outcome {
    /// Accepted by the endpoint, with its status.
    Sent(Url, u16),
    /// Found, not sent (`--dry-run`).
    WouldSend(Url),
    /// The page names no http(s) endpoint.
    NoEndpoint,
    Failed(String),
}

impl Args {
    pub fn run(self, g: &Global) -> Result<(), Exit> {
        let timeout = net::timeout(self.timeout)?;
        let site = g.load_site(false)?;
        let chosen = self.select(&site, g)?;
        let canonical = net::canonical(&site.root)?;
        let gate = SiteFs::with_canonical(&site.root, &canonical);
        let mut file = match read_sent(&gate) {
            Ok(f) => f,
            Err(d) => {
                g.report(&[d]);
                return Err(Exit::SiteErrors);
            }
        };
        let done: BTreeSet<(String, String)> = file
            .sent
            .iter()
            .map(|s| (s.source.clone(), s.target.clone()))
            .collect();
        let urls = PostUrls::new(&site);
        let options = RenderOptions {
            highlight_code: false,
            smart_punctuation: site.config.smart_punctuation,
        };
        let agent = net::agent(timeout, "gen mentions send");
        let now = crate::load::dates::now()
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(SecondsFormat::Secs, true);
        let (mut sent, mut would, mut no_endpoint, mut already, mut failed) = (0, 0, 0, 0, 0);
        for i in chosen {
            let post = &site.posts[i];
            let source = site.config.url(&post.path);
            let body = match post.body() {
                Ok(body) => body,
                Err(d) => {
                    failed += 1;
                    g.print_diagnostics(&[d], g.color_stderr());
                    continue;
                }
            };
            for target in external_links(&body, options, &urls) {
                if done.contains(&(source.clone(), target.to_string())) {
                    already += 1;
                    continue;
                }
                match send_one(&agent, &source, &target, self.dry_run, timeout) {
                    Outcome::Sent(endpoint, status) => {
                        sent += 1;
                        if !g.quiet {
                            eprintln!("sent {target} from {}: {status}", post.slug);
                        }
                        file.sent.push(Sent {
                            source: source.clone(),
                            target: target.to_string(),
                            endpoint: endpoint.to_string(),
                            status,
                            date: now.clone(),
                        });
                    }
                    Outcome::WouldSend(endpoint) => {
                        would += 1;
                        println!("would send {source} -> {target} (endpoint {endpoint})");
                    }
                    Outcome::NoEndpoint => {
                        no_endpoint += 1;
                        if g.verbose {
                            eprintln!("no endpoint: {target} (from {})", post.slug);
                        }
                    }
                    Outcome::Failed(why) => {
                        failed += 1;
                        let d = Diagnostic::warning(format!(
                            "post \"{}\": no webmention sent to {target}: {why}",
                            post.slug
                        ))
                        .in_file(&post.source)
                        .hint("`gen mentions send` tries it again next time");
                        g.print_diagnostics(&[d], g.color_stderr());
                    }
                }
            }
        }
        if sent > 0 {
            file.sent.sort_by(|a, b| {
                (&a.source, &a.target, &a.date).cmp(&(&b.source, &b.target, &b.date))
            });
            let written = net::json_text(&file)
                .and_then(|t| net::write_atomic(&site.root, Path::new(SENT_FILE), &t));
            if let Err(e) = written {
                eprintln!("error: cannot write {SENT_FILE}: {e}");
                return Err(Exit::SiteErrors);
            }
        }
        if !g.quiet {
            let mut parts = vec![if self.dry_run {
                format!("would send {would} webmention{}", plural(would))
            } else {
                format!("sent {sent} webmention{}", plural(sent))
            }];
            if no_endpoint > 0 {
                parts.push(format!(
                    "{no_endpoint} link{} without an endpoint",
                    plural(no_endpoint)
                ));
            }
            if already > 0 {
                parts.push(format!("{already} sent before"));
            }
            if failed > 0 {
                parts.push(format!("{failed} failed"));
            }
            eprintln!("{}", parts.join("; "));
        }
        if failed > 0 {
            Err(Exit::SiteErrors)
        } else {
            Ok(())
        }
    }

    /// The posts to send for, in the site's order (newest first).
    fn select(&self, site: &Site, g: &Global) -> Result<Vec<usize>, Exit> {
        let mut chosen: BTreeSet<usize> = (0..site.posts.len()).collect();
        if !self.posts.is_empty() {
            let mut wanted = BTreeSet::new();
            for name in &self.posts {
                let name = name.trim_start_matches("./");
                match named_post(site, name) {
                    Some(i) => {
                        wanted.insert(i);
                    }
                    None => {
                        g.report(&[Diagnostic::error(format!("no post \"{name}\"")).hint(
                            "name a published post by its file (content/posts/x.md) or its slug",
                        )]);
                        return Err(Exit::Usage);
                    }
                }
            }
            chosen = wanted;
        }
        if let Some(since) = &self.since {
            let added = posts_since(site, since, &g.root).map_err(|d| {
                g.report(&[d]);
                Exit::Usage
            })?;
            chosen.retain(|i| added.contains(i));
        }
        Ok(chosen.into_iter().collect())
    }
}

/// The sent file, or an empty one; one that does not parse is an error
/// (sending anew could send everything twice).
fn read_sent(gate: &SiteFs) -> Result<SentFile, Diagnostic> {
    net::read_json(gate, Path::new(SENT_FILE), "a file of webmentions sent")
        .map(|f| f.map(|(_, f)| f).unwrap_or_default())
        .map_err(|d| d.hint("fix it (or delete it, and every link is sent again)"))
}

/// The external http(s) links of a post's Markdown (its links, then the
/// `<a>` elements of its raw HTML), once each, without their fragment;
/// links to the site itself are left out.
fn external_links(markdown: &str, options: RenderOptions, urls: &PostUrls) -> Vec<Url> {
    let mut hrefs: Vec<String> = Vec::new();
    // Raw HTML comes in pieces (a tag per event): read as one.
    let mut raw = String::new();
    for event in Parser::new_ext(markdown, parser_options(options)) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => hrefs.push(dest_url.trim().to_string()),
            Event::Html(h) | Event::InlineHtml(h) => raw.push_str(&h),
            _ => {}
        }
    }
    hrefs.extend(discover::anchor_hrefs(&raw));
    let mut out: Vec<Url> = Vec::new();
    for href in hrefs {
        let Ok(mut u) = Url::parse(href.trim()) else {
            continue;
        };
        if !matches!(u.scheme(), "http" | "https") || !u.has_host() || urls.is_own(&u) {
            continue;
        }
        u.set_fragment(None);
        if !out.contains(&u) {
            out.push(u);
        }
    }
    out
}

/// Discovers `target`'s endpoint and, unless `dry_run`, sends the webmention.
fn send_one(
    agent: &ureq::Agent,
    source: &str,
    target: &Url,
    dry_run: bool,
    timeout: Duration,
) -> Outcome {
    let endpoint = match endpoint_of(agent, target, timeout) {
        Ok(Some(e)) => e,
        Ok(None) => return Outcome::NoEndpoint,
        Err(why) => return Outcome::Failed(why),
    };
    if dry_run {
        return Outcome::WouldSend(endpoint);
    }
    let answer = agent
        .post(endpoint.as_str())
        .send_form([("source", source), ("target", target.as_str())]);
    let mut resp = match answer {
        Ok(r) => r,
        Err(e) => {
            return Outcome::Failed(format!(
                "the endpoint {endpoint}: {}",
                net::reason(&e, timeout, "the answer")
            ));
        }
    };
    let status = resp.status();
    if status.is_success() {
        return Outcome::Sent(endpoint, status.as_u16());
    }
    // What the endpoint says, as plain text, briefly.
    let mut said = Vec::new();
    let _ = resp
        .body_mut()
        .as_reader()
        .take(4096)
        .read_to_end(&mut said);
    let said = cut_words(&html_to_text(&String::from_utf8_lossy(&said)), 200);
    Outcome::Failed(format!(
        "the endpoint {endpoint} answered {}{}",
        net::status_words(status),
        if said.is_empty() {
            String::new()
        } else {
            format!(": {said}")
        }
    ))
}

/// The endpoint of a page: its `Link` headers first, then its HTML (read up
/// to [`MAX_PAGE_BYTES`]), against its address after redirects.
fn endpoint_of(
    agent: &ureq::Agent,
    target: &Url,
    timeout: Duration,
) -> Result<Option<Url>, String> {
    let mut resp = agent
        .get(target.as_str())
        .header(
            "Accept",
            "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
        )
        .call()
        .map_err(|e| net::reason(&e, timeout, "the page"))?;
    let status = resp.status();
    if !status.is_success() {
        return Err(format!("the page answered {}", net::status_words(status)));
    }
    let base = {
        use ureq::ResponseExt as _;
        Url::parse(&resp.get_uri().to_string()).unwrap_or_else(|_| target.clone())
    };
    let links: Vec<String> = resp
        .headers()
        .get_all("link")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect();
    if let Some(e) = discover::from_link_headers(links.iter().map(String::as_str), &base) {
        return Ok(Some(e));
    }
    let html = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| t.to_ascii_lowercase().contains("html"));
    if !html {
        return Ok(None);
    }
    let mut body = Vec::new();
    resp.body_mut()
        .as_reader()
        .take(MAX_PAGE_BYTES)
        .read_to_end(&mut body)
        .map_err(|e| cut_words(&one_line(&e.to_string()), 200))?;
    Ok(discover::from_html(&String::from_utf8_lossy(&body), &base))
}
