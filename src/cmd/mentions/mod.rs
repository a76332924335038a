//! `gen mentions fetch|send`: the Webmention side of the site that needs the
//! network, kept out of the build (which never goes there). `fetch` reads the
//! mentions the site received from a webmention.io-compatible API into
//! `data/mentions/<slug>.json`, the files `load::responses` reads; `send`
//! tells the sites a post links to that it does (W3C Webmention), and keeps
//! what it sent in `data/mentions-sent.json`. What both share lives here:
//! the arguments, and how an address on the site is matched to a post.

pub mod discover;
pub mod fetch;
pub mod send;

use std::collections::BTreeMap;

use super::{Exit, Global};
use crate::load::Site;
use crate::routes::match_key;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: MentionsCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum MentionsCommand {
    /// Fetch the webmentions the site received (`[webmention] api`, token in
    /// the environment) into data/mentions/<slug>.json (network).
    Fetch(fetch::Args),
    /// Send webmentions to the pages the posts link to, and keep what was
    /// sent in data/mentions-sent.json (network).
    Send(send::Args),
}

impl Args {
    pub fn run(self, g: &Global) -> Result<(), Exit> {
        match self.command {
            MentionsCommand::Fetch(a) => a.run(g),
            MentionsCommand::Send(a) => a.run(g),
        }
    }
}

/// The posts of a site by the paths they answer at (their permalink and
/// their aliases), to find the post an absolute URL of the site names.
pub struct PostUrls {
    base: url::Url,
    paths: BTreeMap<String, usize>,
}

impl PostUrls {
    pub fn new(site: &Site) -> PostUrls {
        let base = url::Url::parse(&format!("{}/", site.config.base_url))
            .or_else(|_| url::Url::parse("https://invalid.invalid/"))
            .expect("a fixed URL parses");
        let mut paths = BTreeMap::new();
        for (i, p) in site.posts.iter().enumerate() {
            for alias in &p.aliases {
                paths.entry(match_key(alias)).or_insert(i);
            }
        }
        // Permalinks win over aliases.
        for (i, p) in site.posts.iter().enumerate() {
            paths.insert(match_key(&p.path), i);
        }
        PostUrls { base, paths }
    }

    /// The index of the post `url` names: the same host as the site's
    /// `base_url` (any scheme), under its path, with or without the
    /// trailing slash or `index.html`; the query and fragment are ignored.
    pub fn post_of(&self, url: &str) -> Option<usize> {
        let u = url::Url::parse(url.trim()).ok()?;
        if !matches!(u.scheme(), "http" | "https") || u.host_str()? != self.base.host_str()? {
            return None;
        }
        let path = decode(u.path());
        let base = decode(self.base.path());
        let rest = path.strip_prefix(base.trim_end_matches('/'))?;
        self.paths.get(&match_key(rest)).copied()
    }

    /// Whether an absolute URL is on the site itself (its host, under its path).
    pub fn is_own(&self, url: &url::Url) -> bool {
        url.host_str() == self.base.host_str()
            && decode(url.path()).starts_with(decode(self.base.path()).trim_end_matches('/'))
    }
}

fn decode(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}
