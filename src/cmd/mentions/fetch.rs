//! `gen mentions fetch`: reads the webmentions the site received from a
//! webmention.io-compatible JF2 API (`[webmention] api`, with the token from
//! the environment variable `token_env` names) and merges them into
//! `data/mentions/<slug>.json`, one file per post, which the site commits and
//! the build reads. Only mentions newer than the last fetch are asked for
//! (`since_id`, kept in `data/mentions-state.json`).
//!
//! The answers are strangers' content: each page is read up to a size
//! limit, a page that is not JSON is an error that writes nothing, text is
//! kept as plain text and links that are not http(s) are dropped (the build
//! sanitizes again). The token is never printed nor written: it is cut out of
//! every message.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::super::net;
use super::super::{Exit, Global, plural};
use super::PostUrls;
use crate::diag::Diagnostic;
use crate::load::responses::{
    MAX_TEXT, MENTIONS_DIR, Mention, MentionAuthor, MentionsFile, web_url,
};
use crate::sitefs::SiteFs;
use crate::text::html::{cut_words, html_to_text, one_line};

/// The largest answer read, per page, in bytes.
pub const MAX_BYTES: u64 = 5 * 1024 * 1024;
/// Mentions asked for per page.
const PER_PAGE: usize = 100;
/// The most pages read in one run (100,000 mentions).
const MAX_PAGES: usize = 1000;
/// Where the newest mention fetched is kept, from the site's root.
pub const STATE_FILE: &str = "data/mentions-state.json";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Ask for every mention again, not only those newer than the last fetch
    /// (those already in the files are kept as they are).
    #[arg(long)]
    pub all: bool,
    /// Seconds one request may take in all (connecting at most 10).
    #[arg(long, value_name = "SECONDS", default_value_t = 20.0)]
    pub timeout: f64,
}

/// What `data/mentions-state.json` keeps: the newest mention fetched, for
/// the API and domain it came from.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct State {
    #[serde(default)]
    api: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    since_id: u64,
}

/// One mention received, with the target it was sent to.
struct Received {
    target: String,
    mention: Mention,
}

impl Args {
    pub fn run(self, g: &Global) -> Result<(), Exit> {
        let timeout = net::timeout(self.timeout)?;
        let site = g.load_site(true)?;
        let wm = &site.config.webmention;
        let token = std::env::var(&wm.token_env)
            .ok()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        let Some(token) = token else {
            let var = &wm.token_env;
            g.report(&[Diagnostic::error(format!(
                "no token for the webmention API: the environment variable {var} is not set"
            ))
            .hint(format!(
                "set it to the API token of webmention.io (Settings, \"API Key\"), e.g. \
                 `export {var}=…` or a secret of your CI; `[webmention] token_env` names another variable"
            ))]);
            return Err(Exit::Usage);
        };
        let scrub = |s: &str| s.replace(&token, "[token]");
        let shown_api = scrub(&without_token(&wm.api));
        let Some(domain) = url::Url::parse(&site.config.base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
        else {
            eprintln!("error: base_url has no host to ask the webmention API about");
            return Err(Exit::Usage);
        };
        let canonical = net::canonical(&site.root)?;
        let gate = SiteFs::with_canonical(&site.root, &canonical);
        let old_state = read_state(&gate, g);
        let since_id = old_state
            .as_ref()
            .filter(|s| !self.all && s.api == shown_api && s.domain == domain)
            .map(|s| s.since_id)
            .filter(|&id| id > 0);

        let agent = net::agent(timeout, "gen mentions fetch");
        let received = match fetch_all(&agent, &wm.api, &domain, &token, since_id, timeout) {
            Ok(r) => r,
            Err(why) => {
                eprintln!(
                    "error: the webmention API {shown_api} failed: {}; nothing was written",
                    scrub(&why)
                );
                return Err(Exit::SiteErrors);
            }
        };

        // By post, skipping targets that are no post.
        let urls = PostUrls::new(&site);
        let mut by_post: BTreeMap<usize, Vec<Mention>> = BTreeMap::new();
        let mut strays: BTreeMap<String, usize> = BTreeMap::new();
        let mut newest = since_id.unwrap_or(0);
        for r in received {
            if let Ok(n) = r.mention.id.parse::<u64>() {
                newest = newest.max(n);
            }
            match urls.post_of(&r.target) {
                Some(i) => by_post.entry(i).or_default().push(r.mention),
                None => *strays.entry(one_line(&r.target)).or_default() += 1,
            }
        }
        for (target, n) in &strays {
            let d = Diagnostic::warning(format!(
                "{n} mention{} of {target}, which is no post of this site, left out",
                plural(*n)
            ))
            .hint("a mention of a page, a listing or an old address that is no alias is not shown");
            g.print_diagnostics(&[d], g.color_stderr());
        }

        // Merge into each post's file; write only those that change.
        let mut failed = 0;
        let mut written = Vec::new();
        let mut new_total = 0;
        for (i, mentions) in by_post {
            let post = &site.posts[i];
            let rel = PathBuf::from(MENTIONS_DIR).join(format!("{}.json", post.slug));
            let (old_bytes, mut file) = match read_mentions(&gate, &rel) {
                Ok(f) => f,
                Err(d) => {
                    failed += 1;
                    g.print_diagnostics(&[d], g.color_stderr());
                    continue;
                }
            };
            let mut known: BTreeSet<String> = file.mentions.iter().map(|m| m.id.clone()).collect();
            let mut added = 0;
            for m in mentions {
                if known.insert(m.id.clone()) {
                    file.mentions.push(m);
                    added += 1;
                }
            }
            if file.target.is_empty() {
                file.target = site.config.url(&post.path);
            }
            file.mentions.sort_by(|a, b| id_order(&a.id, &b.id));
            let text = match net::json_text(&file) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: cannot write {}: {e}", rel.display());
                    failed += 1;
                    continue;
                }
            };
            if old_bytes.as_deref() == Some(text.as_bytes()) || added == 0 {
                continue;
            }
            if let Err(e) = net::write_atomic(&site.root, &rel, &text) {
                eprintln!("error: cannot write {}: {e}", rel.display());
                failed += 1;
                continue;
            }
            new_total += added;
            written.push(rel);
        }

        // The newest id, only when every file took its mentions: otherwise
        // the next run asks for them again.
        if failed == 0 && newest > 0 {
            let state = State {
                api: shown_api.clone(),
                domain: domain.clone(),
                since_id: newest,
            };
            if old_state.as_ref() != Some(&state) {
                let text = net::json_text(&state).map_err(|e| {
                    eprintln!("error: cannot write {STATE_FILE}: {e}");
                    Exit::SiteErrors
                })?;
                if let Err(e) = net::write_atomic(&site.root, Path::new(STATE_FILE), &text) {
                    eprintln!("error: cannot write {STATE_FILE}: {e}");
                    failed += 1;
                }
            }
        }
        if !g.quiet {
            if written.is_empty() {
                eprintln!("no new mentions");
            } else {
                eprintln!(
                    "{new_total} new mention{} on {} post{}:",
                    plural(new_total),
                    written.len(),
                    plural(written.len())
                );
                for rel in &written {
                    eprintln!("  wrote {}", rel.display());
                }
            }
        }
        if failed > 0 {
            Err(Exit::SiteErrors)
        } else {
            Ok(())
        }
    }
}

/// The order of the mentions in a file: by id, numbers as numbers.
fn id_order(a: &str, b: &str) -> std::cmp::Ordering {
    let num = |s: &str| s.parse::<u64>().ok();
    match (num(a), num(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// An address without its `token` parameter, to be shown.
fn without_token(api: &str) -> String {
    let Ok(mut u) = url::Url::parse(api) else {
        return api.to_string();
    };
    let kept: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| k != "token")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(kept);
    }
    u.to_string()
}

/// The state file, when there is a good one (a broken one is a warning: every
/// mention is asked for again).
fn read_state(gate: &SiteFs, g: &Global) -> Option<State> {
    match net::read_json(gate, Path::new(STATE_FILE), "a mentions state file") {
        Ok(s) => s.map(|(_, s)| s),
        Err(mut d) => {
            d.severity = crate::diag::Severity::Warning;
            d.message.push_str("; every mention is asked for again");
            g.print_diagnostics(&[d], g.color_stderr());
            None
        }
    }
}

/// A post's mentions file as it is (its bytes, parsed), or a new one.
fn read_mentions(gate: &SiteFs, rel: &Path) -> Result<(Option<Vec<u8>>, MentionsFile), Diagnostic> {
    match net::read_json(gate, rel, "a mentions data file") {
        Ok(Some((bytes, f))) => Ok((Some(bytes), f)),
        Ok(None) => Ok((None, MentionsFile::default())),
        Err(d) => {
            Err(d.hint("fix it or move it away; its new mentions are fetched again next time"))
        }
    }
}

/// Every page of mentions newer than `since_id`, until one is empty.
fn fetch_all(
    agent: &ureq::Agent,
    api: &str,
    domain: &str,
    token: &str,
    since_id: Option<u64>,
    timeout: Duration,
) -> Result<Vec<Received>, String> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for page in 0..MAX_PAGES {
        let mut u = url::Url::parse(api).map_err(|e| format!("not a URL: {e}"))?;
        {
            let mut q = u.query_pairs_mut();
            q.append_pair("domain", domain)
                .append_pair("token", token)
                .append_pair("per-page", &PER_PAGE.to_string())
                .append_pair("page", &page.to_string());
            if let Some(id) = since_id {
                q.append_pair("since_id", &id.to_string());
            }
        }
        let children = fetch_page(agent, u.as_str(), timeout)?;
        if children.is_empty() {
            return Ok(out);
        }
        let mut fresh = 0;
        for c in &children {
            if let Some(r) = received(c)
                && seen.insert(r.mention.id.clone())
            {
                fresh += 1;
                out.push(r);
            }
        }
        // A server that answers the same page again and again.
        if fresh == 0 {
            return Ok(out);
        }
    }
    Ok(out)
}

/// One page's `children`.
fn fetch_page(agent: &ureq::Agent, url: &str, timeout: Duration) -> Result<Vec<Value>, String> {
    let mut resp = agent
        .get(url)
        .header("Accept", "application/json")
        .call()
        .map_err(|e| net::reason(&e, timeout, "the answer"))?;
    let status = resp.status();
    if matches!(status.as_u16(), 401 | 403) {
        return Err(format!(
            "it refused the token ({}): check the token in the environment variable `[webmention] token_env` names",
            net::status_words(status)
        ));
    }
    if !status.is_success() {
        return Err(format!("it answered {}", net::status_words(status)));
    }
    let body = resp
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_vec()
        .map_err(|e| net::reason(&e, timeout, "the answer"))?;
    let feed: Value = serde_json::from_slice(&body).map_err(|e| {
        format!(
            "its answer is not JSON: {}",
            cut_words(&one_line(&e.to_string()), 200)
        )
    })?;
    match feed.get("children") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(c)) => Ok(c.clone()),
        Some(_) => Err("its answer is not a JF2 feed (`children` is not a list)".into()),
    }
}

/// A string field of a JSON object, trimmed, when not empty.
fn field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// One JF2 entry as a stored mention; `None` without a `wm-id` or target.
fn received(e: &Value) -> Option<Received> {
    let id = match e.get("wm-id")? {
        Value::Number(n) => n.to_string(),
        Value::String(s) if !s.trim().is_empty() => s.trim().to_string(),
        _ => return None,
    };
    let target = field(e, "wm-target")?.to_string();
    let kind = match field(e, "wm-property").unwrap_or("") {
        "in-reply-to" => "reply",
        "like-of" => "like",
        "repost-of" => "repost",
        "bookmark-of" => "bookmark",
        _ => "mention",
    };
    let author = e.get("author").cloned().unwrap_or(Value::Null);
    let content = e.get("content").cloned().unwrap_or(Value::Null);
    let text = field(&content, "text")
        .map(one_line)
        .or_else(|| field(&content, "html").map(html_to_text))
        .or_else(|| content.as_str().map(one_line))
        .unwrap_or_default();
    let title = field(e, "name")
        .map(|t| cut_words(&one_line(t), 200))
        .filter(|t| !t.is_empty());
    Some(Received {
        target,
        mention: Mention {
            id,
            kind: kind.to_string(),
            author: MentionAuthor {
                name: cut_words(&one_line(field(&author, "name").unwrap_or("")), 100),
                url: web_url(field(&author, "url")),
                photo: web_url(field(&author, "photo")),
            },
            url: web_url(field(e, "url").or(field(e, "wm-source"))),
            published: field(e, "published")
                .or(field(e, "wm-received"))
                .map(one_line),
            title,
            content: cut_words(&text, MAX_TEXT),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_jf2_entries_become_stored_mentions() {
        let e: Value = serde_json::from_str(
            r#"{"type":"entry","wm-id":900,"wm-source":"https://src.example/a/",
            "wm-target":"https://t.example/posts/hi/","wm-property":"in-reply-to",
            "author":{"type":"card","name":"Ann\nB","url":"javascript:x","photo":"https://p.example/a.jpg"},
            "url":null,"published":null,"wm-received":"2025-01-02T03:04:05Z",
            "content":{"text":"Hi  <b>there</b>","html":"<p>Hi</p>"}}"#,
        )
        .unwrap();
        let r = received(&e).unwrap();
        assert_eq!(r.target, "https://t.example/posts/hi/");
        let m = r.mention;
        assert_eq!((m.id.as_str(), m.kind.as_str()), ("900", "reply"));
        assert_eq!(m.author.name, "Ann B");
        assert_eq!(m.author.url, None);
        assert_eq!(m.url.as_deref(), Some("https://src.example/a/"));
        assert_eq!(m.published.as_deref(), Some("2025-01-02T03:04:05Z"));
        assert_eq!(m.content, "Hi <b>there</b>");
        assert!(received(&serde_json::json!({"wm-target": "https://t.example/"})).is_none());
    }

    #[test]
    fn mentions_token_is_cut_from_the_api_shown() {
        assert_eq!(
            without_token("https://w.example/api?token=s3cret&x=1"),
            "https://w.example/api?x=1"
        );
        assert_eq!(
            without_token("https://w.example/api?token=s3cret"),
            "https://w.example/api"
        );
    }

    #[test]
    fn mentions_ids_sort_as_numbers() {
        let mut ids = vec!["10", "9", "b", "100", "a"];
        ids.sort_by(|a, b| id_order(a, b));
        assert_eq!(ids, ["9", "10", "100", "a", "b"]);
    }
}
