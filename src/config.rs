//! Site configuration: `gen.toml` as written (`RawConfig`) and as the build uses it
//! (`Config`), with defaults filled in and values checked.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, did_you_mean};
use crate::text::position::key_line;
use crate::text::syntax::toml_error;

/// The config file's name in a site root.
pub const CONFIG_FILE: &str = "gen.toml";

/// `gen.toml` exactly as written; every field optional.
#[derive(Debug, Default, Deserialize)]
pub struct RawConfig {
    pub title: Option<String>,
    pub base_url: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    pub theme: Option<String>,
    pub paginate_by: Option<usize>,
    pub feed_limit: Option<usize>,
    pub feed_content: Option<String>,
    #[serde(default)]
    pub permalinks: RawPermalinks,
    #[serde(default)]
    pub markdown: RawMarkdown,
    #[serde(default)]
    pub social: BTreeMap<String, String>,
    #[serde(default)]
    pub share: RawShare,
    #[serde(default)]
    pub guest: RawGuest,
    #[serde(default)]
    pub images: crate::images::RawImages,
    #[serde(default)]
    pub extra: toml::Table,
    #[serde(default)]
    pub redirects: toml::Table,
    #[serde(default)]
    pub feeds: RawFeeds,
    #[serde(default)]
    pub related: RawRelated,
    #[serde(default)]
    pub authors: RawAuthors,
    #[serde(default)]
    pub cache: RawCache,
    #[serde(default)]
    pub search: RawSearch,
    #[serde(default)]
    pub webmention: RawWebmention,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawWebmention {
    pub endpoint: Option<String>,
    pub api: Option<String>,
    pub token_env: Option<String>,
}

/// `[webmention]`: where the site receives webmentions and where
/// `gen mentions fetch` reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webmention {
    /// The endpoint every page names in `<link rel="webmention">`, when set.
    pub endpoint: Option<String>,
    /// A webmention.io-compatible JF2 API.
    pub api: String,
    /// The environment variable holding the API's token.
    pub token_env: String,
}

/// The API `gen mentions fetch` reads by default.
pub const WEBMENTION_API: &str = "https://webmention.io/api/mentions.jf2";
/// The environment variable that holds the API's token by default.
pub const WEBMENTION_TOKEN_ENV: &str = "WEBMENTION_IO_TOKEN";

#[derive(Debug, Default, Deserialize)]
pub struct RawSearch {
    pub enabled: Option<bool>,
    pub include_code: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawRelated {
    pub limit: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawAuthors {
    pub similar_limit: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawFeeds {
    pub formats: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawCache {
    pub dir: Option<String>,
    pub max_size_mb: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawPermalinks {
    pub post: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawMarkdown {
    pub highlight_code: Option<bool>,
    pub highlight_theme: Option<String>,
    pub highlight_theme_dark: Option<String>,
    pub smart_punctuation: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawShare {
    pub platforms: Option<Vec<String>>,
    pub hashtags: Option<Vec<String>>,
    pub mastodon_instance: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawGuest {
    pub sanitize_html: Option<bool>,
    pub sanitize_staff_html: Option<bool>,
    pub allowed_iframe_hosts: Option<Vec<String>>,
    pub repository: Option<String>,
    pub host: Option<String>,
    pub branch: Option<String>,
}

/// Where guests propose posts from the `/write/` page: `[guest] repository`,
/// `host` and `branch`. Without `repository` the page is not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestRepository {
    pub host: GuestHost,
    /// `owner/name` (on GitLab, `group/subgroup/name` too), as written.
    pub repository: String,
    /// The branch a proposed file is made on.
    pub branch: String,
}

/// The hosts whose new-file page the `/write/` page opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GuestHost {
    Github,
    Gitlab,
}

impl GuestHost {
    /// Its name in gen.toml and in `/write/site.json`.
    pub fn name(self) -> &'static str {
        match self {
            GuestHost::Github => "github",
            GuestHost::Gitlab => "gitlab",
        }
    }
}

/// Whether `repo` is a repository path the host accepts: `owner/name` on
/// GitHub; on GitLab also nested groups (`group/sub/name`). Each part is
/// letters, digits, `-`, `_` and `.`, not starting or ending with `.`.
fn valid_repository(host: GuestHost, repo: &str) -> bool {
    let parts: Vec<&str> = repo.split('/').collect();
    let count_ok = match host {
        GuestHost::Github => parts.len() == 2,
        GuestHost::Gitlab => parts.len() >= 2,
    };
    count_ok
        && parts.iter().all(|p| {
            !p.is_empty()
                && !p.starts_with('.')
                && !p.ends_with('.')
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
}

/// Whether `branch` can be put in a new-file URL's path as it is: a git
/// branch name of letters, digits and `-_./`, without `..` or a leading `/`.
fn valid_branch(branch: &str) -> bool {
    !branch.is_empty()
        && !branch.starts_with('/')
        && !branch.ends_with('/')
        && !branch.contains("..")
        && branch
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

/// Whether feeds carry whole posts or their summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedContent {
    Full,
    Summary,
}

/// The configuration the build uses.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub title: String,
    /// Absolute, without a trailing slash.
    pub base_url: String,
    pub description: String,
    pub language: String,
    pub theme: String,
    pub paginate_by: usize,
    pub feed_limit: usize,
    pub feed_content: FeedContent,
    pub permalink_post: String,
    pub highlight_code: bool,
    pub highlight_theme: String,
    pub highlight_theme_dark: String,
    pub smart_punctuation: bool,
    pub social: BTreeMap<String, String>,
    pub share_platforms: Vec<String>,
    pub share_hashtags: Vec<String>,
    pub mastodon_instance: Option<String>,
    pub sanitize_guest_html: bool,
    pub sanitize_staff_html: bool,
    pub allowed_iframe_hosts: Vec<String>,
    /// `[guest] repository`, `host`, `branch`: where the `/write/` page
    /// proposes posts; `None` (no page) without `repository`.
    #[serde(skip)]
    pub guest_repository: Option<GuestRepository>,
    /// `[images]`: how pictures are resized and published.
    pub images: crate::images::Settings,
    pub extra: toml::Table,
    /// The syntaxes code is highlighted with: the built-in ones and the
    /// site's `syntaxes/` folder (read with the config: both apply to the
    /// whole site).
    #[serde(skip)]
    pub syntaxes: crate::markdown::highlight::Syntaxes,
    /// Old URLs that redirect to pages of the site (`[redirects]`); not a
    /// template value.
    #[serde(skip)]
    pub redirects: Redirects,
    /// The formats every feed is written in (`[feeds] formats`), RSS first.
    #[serde(skip)]
    pub feed_formats: Vec<crate::routes::FeedFormat>,
    /// How many related posts each post shows (`[related] limit`; 0: none).
    #[serde(skip)]
    pub related_limit: usize,
    /// How many other authors each author page shows under "Writes about
    /// the same things" (`[authors] similar_limit`; 0: none).
    #[serde(skip)]
    pub similar_authors_limit: usize,
    /// Whether the build writes a search index, its UI files and the search
    /// page, and pages show a search box (`[search] enabled`, on by default).
    #[serde(skip)]
    pub search: bool,
    /// Whether the search index holds the text of code blocks too
    /// (`[search] include_code`, off by default: prose finds posts, and
    /// code is most of the index's cost on a technical blog).
    #[serde(skip)]
    pub search_code: bool,
    /// Where the highlight cache is and its bound (`[cache]`).
    #[serde(skip)]
    pub cache: crate::markdown::highlight::cache::Settings,
    /// `[webmention]`, with the defaults of `api` and `token_env`.
    #[serde(skip)]
    pub webmention: Webmention,
}

/// `[redirects]`: old URL shapes of authors, tags and categories (a pattern
/// with `:slug` each), and single old paths with their new place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redirects {
    /// `authors = "/author/:slug/"`: every author's old page.
    pub authors: Option<String>,
    /// `tags = "/tag/:slug/"`.
    pub tags: Option<String>,
    /// `categories = "/category/:slug/"`.
    pub categories: Option<String>,
    /// `"/old/" = "/new/"`: an old path and where it now is (a path on the
    /// site or an absolute http(s) URL), sorted by old path.
    pub paths: BTreeMap<String, String>,
}

/// The `[redirects]` keys that are patterns rather than old paths.
pub const REDIRECT_PATTERNS: &[&str] = &["authors", "tags", "categories"];

const TOP_KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "theme",
    "paginate_by",
    "feed_limit",
    "feed_content",
    "permalinks",
    "markdown",
    "social",
    "share",
    "guest",
    "images",
    "extra",
    "redirects",
    "feeds",
    "related",
    "authors",
    "cache",
    "search",
    "webmention",
];
const TABLE_KEYS: &[(&str, &[&str])] = &[
    ("permalinks", &["post"]),
    ("feeds", &["formats"]),
    ("related", &["limit"]),
    ("authors", &["similar_limit"]),
    ("search", &["enabled", "include_code"]),
    ("webmention", &["endpoint", "api", "token_env"]),
    (
        "markdown",
        &[
            "highlight_code",
            "highlight_theme",
            "highlight_theme_dark",
            "smart_punctuation",
        ],
    ),
    ("share", &["platforms", "hashtags", "mastodon_instance"]),
    ("cache", &["dir", "max_size_mb"]),
    (
        "guest",
        &[
            "sanitize_html",
            "sanitize_staff_html",
            "allowed_iframe_hosts",
            "repository",
            "host",
            "branch",
        ],
    ),
    ("images", crate::images::KEYS),
];

/// Platforms a share kit can hold.
pub const SHARE_PLATFORMS: &[&str] = &["x", "mastodon", "bluesky", "threads", "linkedin", "email"];

impl Config {
    /// Reads and resolves `gen.toml` in `root`. Problems go to `diags`; `None` when
    /// the file is unusable.
    pub fn load(
        root: &Path,
        base_url_override: Option<&str>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Config> {
        let read = crate::sitefs::SiteFs::open(root)
            .map_err(crate::sitefs::ReadError::Io)
            .and_then(|gate| gate.read_bytes(Path::new(CONFIG_FILE)))
            .and_then(|bytes| {
                String::from_utf8(bytes).map_err(|_| {
                    crate::sitefs::ReadError::Io(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "stream did not contain valid UTF-8",
                    ))
                })
            });
        let text = match read {
            Ok(t) => t,
            Err(e) => {
                diags.push(
                    Diagnostic::error(format!("cannot read {CONFIG_FILE}: {e}"))
                        .in_file(CONFIG_FILE)
                        .hint(format!(
                            "run `gen` in a site folder (one with {CONFIG_FILE}), pass `--root DIR`, or create a site with `gen init`"
                        )),
                );
                return None;
            }
        };
        let (text, cleaned) = crate::text::clean::clean_file(text, Path::new(CONFIG_FILE));
        diags.extend(cleaned);
        let mut config = Self::parse(&text, base_url_override, diags)?;
        if let Ok(gate) = crate::sitefs::SiteFs::open(root) {
            config.syntaxes = crate::markdown::highlight::load_site(&gate, diags).with_cache(
                root,
                &config.cache,
                diags,
            );
        }
        Some(config)
    }

    /// Resolves config text (the contents of `gen.toml`).
    pub fn parse(
        text: &str,
        base_url_override: Option<&str>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Config> {
        let mut table: toml::Table = match toml::from_str(text) {
            Ok(t) => t,
            Err(e) => {
                diags.push(with_source(toml_error(&e, text, 0), text));
                return None;
            }
        };
        check_keys(&table, text, diags);
        let raw: RawConfig = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                diags.push(with_source(toml_error(&e, text, 0), text));
                return None;
            }
        };
        // Control characters that escapes put in strings: removed, with a warning.
        let mut escaped = false;
        for (key, value) in table.iter_mut() {
            let removed = crate::text::clean::clean_toml(value);
            if !removed.is_empty() {
                escaped = true;
                let mut d = crate::text::clean::warning(&removed, Some(key)).in_file(CONFIG_FILE);
                if let Some(line) = table_line(text, key) {
                    d = d.at(text, line, 1);
                }
                diags.push(d);
            }
        }
        let raw = match escaped {
            true => toml::Value::Table(table).try_into().unwrap_or(raw),
            false => raw,
        };
        raw.resolve(text, base_url_override, diags)
    }
}

/// Platforms a `[social]` table names handles for; other keys there are links
/// when their value is an `https://` address, and otherwise not shown.
pub const SOCIAL_PLATFORMS: &[&str] = &[
    "x", "twitter", "mastodon", "bluesky", "threads", "linkedin", "github",
];

/// A `[social]` key that is neither a known platform nor a link: ignored by the
/// build, so probably a typo (`twiter`).
pub fn unknown_social(key: &str, value: &toml::Value) -> bool {
    !SOCIAL_PLATFORMS.contains(&key)
        && !value
            .as_str()
            .is_some_and(|v| v.trim().starts_with("https://"))
}

/// A diagnostic of gen.toml, with its source line for the caret display.
fn with_source(d: Diagnostic, text: &str) -> Diagnostic {
    let d = d.in_file(CONFIG_FILE);
    match (d.line, d.col) {
        (Some(line), Some(col)) => d.at(text, line, col),
        _ => d,
    }
}

fn check_keys(table: &toml::Table, text: &str, diags: &mut Vec<Diagnostic>) {
    let mut unknown = |key: &str, known: &[&str], table_name: Option<&str>| {
        let mut d = Diagnostic::warning(match table_name {
            Some(t) => format!("unknown key `{key}` in [{t}]"),
            None => format!("unknown key `{key}`"),
        })
        .in_file(CONFIG_FILE);
        let line = match table_name {
            Some(t) => key_line_in(text, Some(t), key),
            None => table_line(text, key),
        }
        .or_else(|| key_line(text, key));
        if let Some(line) = line {
            d = d.at(text, line, 1);
        }
        d = match did_you_mean(key, known.iter().copied()) {
            // Zola's way of declaring tags and categories.
            _ if key == "taxonomies" && table_name.is_none() => d.hint(
                "tags and categories are built in (each term gets pages and a feed): remove [taxonomies]",
            ),
            Some(s) => d.hint(format!("did you mean `{s}`?")),
            None if table_name == Some("social") => d.hint(format!(
                "handles are for {}; other entries need an https:// address to be shown as links",
                SOCIAL_PLATFORMS.join(", ")
            )),
            None => d.hint(format!(
                "known keys here: {}; values for templates go under [extra]",
                known.join(", ")
            )),
        };
        diags.push(d);
    };
    for (key, value) in table {
        if !TOP_KEYS.contains(&key.as_str()) {
            unknown(key, TOP_KEYS, None);
            continue;
        }
        if let (Some((name, keys)), Some(sub)) =
            (TABLE_KEYS.iter().find(|(n, _)| n == key), value.as_table())
        {
            for k in sub.keys() {
                if !keys.contains(&k.as_str()) {
                    unknown(k, keys, Some(name));
                }
            }
        }
        if key == "social"
            && let Some(sub) = value.as_table()
        {
            for (k, v) in sub {
                if unknown_social(k, v) {
                    unknown(k, SOCIAL_PLATFORMS, Some("social"));
                }
            }
        }
    }
    // A setting written below `[extra]` lands in it, where the build never reads it.
    if let Some(extra) = table.get("extra").and_then(toml::Value::as_table) {
        for k in extra.keys() {
            if TOP_KEYS.contains(&k.as_str()) && k != "extra" {
                let mut d = Diagnostic::warning(format!(
                    "`{k}` is inside [extra], where the build does not read it"
                ))
                .in_file(CONFIG_FILE)
                .hint(format!(
                    "move `{k}` above the first [table] line of gen.toml, where the site's settings go"
                ));
                if let Some(line) = key_line_in(text, Some("extra"), k) {
                    d = d.at(text, line, 1);
                }
                diags.push(d);
            }
        }
    }
}

/// The table a TOML line opens (`[markdown]` → `markdown`, `[[a.b]]` → `a.b`).
fn header(line: &str) -> Option<String> {
    let t = line.trim();
    let t = t.strip_prefix('[')?;
    let end = t.find(']')?;
    let name = t[..end].trim_start_matches('[').trim();
    Some(
        name.split('.')
            .map(|p| p.trim().trim_matches('"'))
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// 1-based line on which the top-level key or table `name` is written: its
/// `[name]` header (or a `[name.sub]` one), or `name = …` / `name.sub = …`
/// above the first header.
pub fn table_line(text: &str, name: &str) -> Option<usize> {
    let mut in_root = true;
    for (i, line) in text.lines().enumerate() {
        if let Some(h) = header(line) {
            in_root = false;
            if h == name || h.starts_with(&format!("{name}.")) {
                return Some(i + 1);
            }
        } else if in_root && assigns(line, name) {
            return Some(i + 1);
        }
    }
    None
}

/// 1-based line on which `key` of the table `table` (`None`: the top level) is
/// written: under its `[table]` header, or as `table.key = …` above the first one.
pub fn key_line_in(text: &str, table: Option<&str>, key: &str) -> Option<usize> {
    let mut current: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some(h) = header(line) {
            current = Some(h);
            continue;
        }
        let here = match (&current, table) {
            (None, None) => assigns(line, key),
            (Some(c), Some(t)) => c == t && assigns(line, key),
            (None, Some(t)) => assigns(line, &format!("{t}.{key}")),
            (Some(_), None) => false,
        };
        if here {
            return Some(i + 1);
        }
    }
    None
}

/// Whether a line assigns `key` (`key = …`, `"key" = …`, `key.sub = …`).
fn assigns(line: &str, key: &str) -> bool {
    let t = line.trim_start();
    let rest = t
        .strip_prefix('"')
        .and_then(|r| r.strip_prefix(key))
        .and_then(|r| r.strip_prefix('"'))
        .or_else(|| t.strip_prefix(key));
    rest.is_some_and(|r| {
        let r = r.trim_start();
        r.starts_with('=') || r.starts_with('.')
    })
}

impl RawConfig {
    fn resolve(
        self,
        text: &str,
        base_url_override: Option<&str>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Config> {
        // `key` is a top-level key or `table.key`.
        let err_at = |key: &str, msg: String, hint: &str| {
            let mut d = Diagnostic::error(msg).in_file(CONFIG_FILE).hint(hint);
            let line = match key.split_once('.') {
                Some((table, key)) => key_line_in(text, Some(table), key),
                None => key_line_in(text, None, key),
            };
            if let Some(line) = line.or_else(|| key_line(text, key)) {
                d = d.at(text, line, 1);
            }
            d
        };
        let mut ok = true;
        let title = match self.title {
            Some(t) if !t.trim().is_empty() => t,
            _ => {
                diags.push(err_at(
                    "title",
                    "missing `title`".into(),
                    "add `title = \"My Blog\"` at the top of gen.toml",
                ));
                ok = false;
                String::new()
            }
        };
        let base_url_raw = base_url_override.map(str::to_string).or(self.base_url);
        let base_url = match base_url_raw {
            Some(u) if u.starts_with("http://") || u.starts_with("https://") => {
                u.trim_end_matches('/').to_string()
            }
            Some(u) => {
                diags.push(err_at(
                    "base_url",
                    format!("`base_url` must be an absolute http(s) URL, got \"{u}\""),
                    "write it like `base_url = \"https://blog.example.org\"`",
                ));
                ok = false;
                String::new()
            }
            None => {
                diags.push(err_at(
                    "base_url",
                    "missing `base_url`".into(),
                    "add `base_url = \"https://blog.example.org\"`: feeds and share links need absolute URLs",
                ));
                ok = false;
                String::new()
            }
        };
        let web = crate::text::html::web_link;
        let mut webmention_ok = true;
        for (key, value) in [
            ("endpoint", &self.webmention.endpoint),
            ("api", &self.webmention.api),
        ] {
            if let Some(u) = value.as_deref().filter(|u| !web(u)) {
                diags.push(err_at(
                    &format!("webmention.{key}"),
                    format!("`[webmention] {key}` must be an absolute http(s) URL, got \"{u}\""),
                    "write it like `endpoint = \"https://webmention.io/blog.example.org/webmention\"`",
                ));
                ok = false;
                webmention_ok = false;
            }
        }
        if let Some(v) =
            self.webmention.token_env.as_deref().filter(|v| {
                v.is_empty() || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
        {
            diags.push(err_at(
                "webmention.token_env",
                format!("`[webmention] token_env` must be the name of an environment variable, got \"{v}\""),
                "write it like `token_env = \"WEBMENTION_IO_TOKEN\"` (the name only, never the token)",
            ));
            ok = false;
            webmention_ok = false;
        }
        let webmention = Webmention {
            endpoint: self.webmention.endpoint.clone().filter(|_| webmention_ok),
            api: self
                .webmention
                .api
                .clone()
                .filter(|_| webmention_ok)
                .unwrap_or_else(|| WEBMENTION_API.to_string()),
            token_env: self
                .webmention
                .token_env
                .clone()
                .filter(|_| webmention_ok)
                .unwrap_or_else(|| WEBMENTION_TOKEN_ENV.to_string()),
        };
        let paginate_by = self.paginate_by.unwrap_or(10);
        if paginate_by == 0 {
            diags.push(err_at(
                "paginate_by",
                "`paginate_by` must be at least 1".into(),
                "set it to the number of posts per listing page, e.g. 10",
            ));
            ok = false;
        }
        let feed_content = match self.feed_content.as_deref() {
            None | Some("full") => FeedContent::Full,
            Some("summary") => FeedContent::Summary,
            Some(other) => {
                diags.push(err_at(
                    "feed_content",
                    format!("`feed_content` must be \"full\" or \"summary\", got \"{other}\""),
                    "use \"full\" for whole posts in feeds or \"summary\" for summaries",
                ));
                ok = false;
                FeedContent::Full
            }
        };
        let permalink_post = self
            .permalinks
            .post
            .unwrap_or_else(|| crate::routes::DEFAULT_POST_PATTERN.to_string());
        if !crate::routes::valid_post_pattern(&permalink_post) {
            diags.push(err_at(
                "permalinks.post",
                format!(
                    "permalink pattern \"{permalink_post}\" must start with `/` and contain `:slug`"
                ),
                "for example `post = \"/:year/:month/:slug/\"`",
            ));
            ok = false;
        }
        let share_platforms = self
            .share
            .platforms
            .unwrap_or_else(|| SHARE_PLATFORMS.iter().map(|s| s.to_string()).collect());
        for p in &share_platforms {
            if !SHARE_PLATFORMS.contains(&p.as_str()) {
                let mut d = err_at(
                    "share.platforms",
                    format!("unknown share platform \"{p}\""),
                    &format!("platforms are {}", SHARE_PLATFORMS.join(", ")),
                );
                if let Some(s) = did_you_mean(p, SHARE_PLATFORMS.iter().copied()) {
                    d = d.hint(format!("did you mean \"{s}\"?"));
                }
                diags.push(d);
                ok = false;
            }
        }
        let social = self
            .social
            .into_iter()
            .map(|(k, v)| (k, v.trim_start_matches('@').to_string()))
            .collect();
        // All three by default: readers' apps differ in what they follow, and
        // each is a small file beside the RSS every page links to first.
        let mut feed_formats = vec![crate::routes::FeedFormat::Rss];
        for name in self
            .feeds
            .formats
            .unwrap_or_else(|| vec!["atom".into(), "json".into()])
        {
            match crate::routes::FeedFormat::from_name(&name) {
                Some(f) => {
                    if !feed_formats.contains(&f) {
                        feed_formats.push(f);
                    }
                }
                None => {
                    diags.push(err_at(
                        "feeds.formats",
                        format!("unknown feed format \"{name}\""),
                        "formats are \"rss\" (always made), \"atom\" and \"json\"",
                    ));
                    ok = false;
                }
            }
        }
        feed_formats.sort();
        let images = self.images.resolve(&mut |key, msg, hint| {
            diags.push(err_at(key, msg, hint));
            ok = false;
        });
        let redirects = resolve_redirects(self.redirects, text, diags);
        ok &= redirects.is_some();
        let mut cache = crate::markdown::highlight::cache::Settings::default();
        if let Some(dir) = self.cache.dir {
            if dir.trim().is_empty() {
                diags.push(err_at(
                    "cache.dir",
                    "`dir` in [cache] is empty".into(),
                    "name a folder inside the site (like .byline-cache) or an absolute path; gen build --no-cache builds without the cache",
                ));
                ok = false;
            } else {
                cache.dir = dir.into();
            }
        }
        match self.cache.max_size_mb {
            Some(0) => {
                diags.push(err_at(
                    "cache.max_size_mb",
                    "`max_size_mb` in [cache] must be at least 1".into(),
                    "the highlight cache's bound in megabytes (default 200); gen build --no-cache builds without the cache",
                ));
                ok = false;
            }
            Some(mb) => cache.max_bytes = mb.saturating_mul(1024 * 1024),
            None => {}
        }
        let guest_repository = resolve_guest_repository(&self.guest, &mut |key, msg, hint| {
            diags.push(err_at(key, msg, &hint));
            ok = false;
        });
        if !ok {
            return None;
        }
        Some(Config {
            title,
            base_url,
            description: self.description.unwrap_or_default(),
            language: self.language.unwrap_or_else(|| "en".into()),
            theme: self.theme.unwrap_or_else(|| "default".into()),
            paginate_by,
            feed_limit: self.feed_limit.unwrap_or(20),
            feed_content,
            permalink_post,
            highlight_code: self.markdown.highlight_code.unwrap_or(true),
            highlight_theme: self
                .markdown
                .highlight_theme
                .unwrap_or_else(|| "InspiredGitHub".into()),
            highlight_theme_dark: self
                .markdown
                .highlight_theme_dark
                .unwrap_or_else(|| "base16-ocean.dark".into()),
            smart_punctuation: self.markdown.smart_punctuation.unwrap_or(true),
            social,
            share_platforms,
            share_hashtags: self.share.hashtags.unwrap_or_default(),
            mastodon_instance: self.share.mastodon_instance.filter(|s| !s.is_empty()),
            sanitize_guest_html: self.guest.sanitize_html.unwrap_or(true),
            sanitize_staff_html: self.guest.sanitize_staff_html.unwrap_or(false),
            allowed_iframe_hosts: self.guest.allowed_iframe_hosts.unwrap_or_default(),
            guest_repository,
            images,
            extra: self.extra,
            syntaxes: Default::default(),
            redirects: redirects.unwrap_or_default(),
            feed_formats,
            related_limit: self.related.limit.unwrap_or(3),
            similar_authors_limit: self.authors.similar_limit.unwrap_or(3),
            search: self.search.enabled.unwrap_or(true),
            search_code: self.search.include_code.unwrap_or(false),
            cache,
            webmention,
        })
    }
}

/// Reads `[guest] repository`, `host` and `branch`; `err` gets each problem
/// as (key, message, hint). `None` without `repository` or after an error.
fn resolve_guest_repository(
    guest: &RawGuest,
    err: &mut dyn FnMut(&str, String, String),
) -> Option<GuestRepository> {
    let host = match guest.host.as_deref() {
        None | Some("github") => Some(GuestHost::Github),
        Some("gitlab") => Some(GuestHost::Gitlab),
        Some(other) => {
            err(
                "guest.host",
                format!("`host` in [guest] must be \"github\" or \"gitlab\", got \"{other}\""),
                "the host of the repository guests propose posts to: host = \"github\" (the default) or host = \"gitlab\"".into(),
            );
            None
        }
    };
    let branch = guest.branch.clone().unwrap_or_else(|| "main".into());
    let mut ok = host.is_some();
    if !valid_branch(&branch) {
        err(
            "guest.branch",
            format!("`branch` in [guest] is not a branch name: \"{branch}\""),
            "name the branch guests propose posts to, like branch = \"main\"".into(),
        );
        ok = false;
    }
    let repository = guest.repository.as_deref()?.trim();
    let host = host.unwrap_or(GuestHost::Github);
    if !valid_repository(host, repository) {
        let bare = repository
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .trim_start_matches("github.com/")
            .trim_start_matches("gitlab.com/")
            .trim_end_matches('/')
            .trim_end_matches(".git");
        let example = if bare != repository && valid_repository(host, bare) {
            bare
        } else {
            "acme/blog"
        };
        err(
            "guest.repository",
            format!("`repository` in [guest] must be \"owner/name\", got \"{repository}\""),
            format!(
                "write the part of the repository's address after {}.com/, like repository = \"{example}\"",
                host.name()
            ),
        );
        ok = false;
    }
    ok.then(|| GuestRepository {
        host,
        repository: repository.to_string(),
        branch,
    })
}

/// Reads `[redirects]`: each pattern must start with `/` and hold `:slug`,
/// each old path must be one `routes::alias_path` accepts, and each new place
/// a site path or an http(s) URL. `None` after an error (reported).
fn resolve_redirects(
    table: toml::Table,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Redirects> {
    let mut out = Redirects::default();
    let mut ok = true;
    for (key, value) in table {
        let mut err = |msg: String, hint: String| {
            let mut d = Diagnostic::error(msg).in_file(CONFIG_FILE).hint(hint);
            if let Some(line) = key_line_in(text, Some("redirects"), &key) {
                d = d.at(text, line, 1);
            }
            diags.push(d);
            ok = false;
        };
        let Some(value) = value.as_str().map(str::to_string) else {
            err(
                format!("`redirects.{key}` must be a string"),
                "write `tags = \"/tag/:slug/\"`, or `\"/old/\" = \"/new/\"` for one page".into(),
            );
            continue;
        };
        if REDIRECT_PATTERNS.contains(&key.as_str()) {
            let sample = crate::routes::redirect_pattern_path(&value, "x");
            if !value.contains(":slug") || crate::routes::alias_path(&sample).is_err() {
                err(
                    format!(
                        "redirect pattern `{key} = \"{value}\"` must be a path from the site's root that holds `:slug` and ends in `/`"
                    ),
                    format!(
                        "for example `{key} = \"/{}/:slug/\"`",
                        match key.as_str() {
                            "authors" => "author",
                            "tags" => "tag",
                            _ => "category",
                        }
                    ),
                );
                continue;
            }
            match key.as_str() {
                "authors" => out.authors = Some(value),
                "tags" => out.tags = Some(value),
                _ => out.categories = Some(value),
            }
            continue;
        }
        if let Err(e) = crate::routes::alias_path(&key) {
            let hint = match (&e.suggestion, key.starts_with('/')) {
                (Some(s), _) => format!("write `\"{s}\" = \"{value}\"`"),
                (None, true) => "write the old path from the site's root, e.g. `\"/2019/05/old/\" = \"/posts/new/\"`".into(),
                (None, false) => format!(
                    "keys of [redirects] are {} or an old path like `\"/old/\"`",
                    REDIRECT_PATTERNS.join(", ")
                ),
            };
            err(
                format!(
                    "invalid old path \"{key}\" in [redirects]: it {}",
                    e.problem
                ),
                hint,
            );
            continue;
        }
        let url = value.starts_with("https://") || value.starts_with("http://");
        if !url && crate::routes::alias_path(&value).is_err() {
            err(
                format!(
                    "the new place of \"{key}\" in [redirects] must be a path on the site (\"/posts/new/\") or an http(s) URL, got \"{value}\""
                ),
                "write the new page's path from the site's root, ending in `/`".into(),
            );
            continue;
        }
        out.paths.insert(key, value);
    }
    ok.then_some(out)
}

impl Config {
    /// The absolute URL of a site path (`/about/` → `https://…/about/`). Non-ASCII
    /// characters and spaces are percent-encoded (`/tags/café/` →
    /// `/tags/caf%C3%A9/`), so sitemaps and feeds carry valid URIs; the output
    /// files keep their names, which is what servers map encoded paths to.
    pub fn url(&self, path: &str) -> String {
        const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b' ');
        let sep = if path.starts_with('/') { "" } else { "/" };
        let path = percent_encoding::utf8_percent_encode(path, PATH);
        format!("{}{sep}{path}", self.base_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_override() {
        let mut d = Vec::new();
        let c = Config::parse(
            "title = \"T\"\nbase_url = \"https://a.example/\"\n",
            Some("https://pr-3.example/preview/"),
            &mut d,
        )
        .unwrap();
        assert!(d.is_empty());
        assert_eq!(c.base_url, "https://pr-3.example/preview");
        assert_eq!(c.paginate_by, 10);
        assert_eq!(c.url("/about/"), "https://pr-3.example/preview/about/");
        assert_eq!(
            c.url("/tags/café/"),
            "https://pr-3.example/preview/tags/caf%C3%A9/"
        );
        assert_eq!(c.url("a b.jpg"), "https://pr-3.example/preview/a%20b.jpg");
    }

    #[test]
    fn lines_of_tables_and_keys() {
        let text = "title = \"T\"\nmarkdown.smart = 1\n\n[social]\nx = \"a\"\n[ extra . nav ]\nx = 1\n[extra]\npaginate_by = 2\n";
        assert_eq!(table_line(text, "social"), Some(4));
        assert_eq!(table_line(text, "extra"), Some(6));
        assert_eq!(table_line(text, "markdown"), Some(2));
        assert_eq!(key_line_in(text, Some("markdown"), "smart"), Some(2));
        assert_eq!(key_line_in(text, Some("social"), "x"), Some(5));
        assert_eq!(key_line_in(text, Some("extra.nav"), "x"), Some(7));
        assert_eq!(key_line_in(text, Some("extra"), "paginate_by"), Some(9));
        assert_eq!(key_line_in(text, None, "paginate_by"), None);
    }

    #[test]
    fn unknown_key_suggests() {
        let mut d = Vec::new();
        Config::parse(
            "title = \"T\"\nbase_url = \"https://a.example\"\npaginate = 3\n[markdown]\nhighlight_cod = true\n",
            None,
            &mut d,
        )
        .unwrap();
        assert_eq!(d.len(), 2);
        let top = d
            .iter()
            .find(|d| d.message == "unknown key `paginate`")
            .unwrap();
        assert_eq!(top.line, Some(3));
        assert_eq!(top.hint.as_deref(), Some("did you mean `paginate_by`?"));
        let nested = d.iter().find(|d| d.message.contains("[markdown]")).unwrap();
        assert_eq!(
            nested.hint.as_deref(),
            Some("did you mean `highlight_code`?")
        );
    }
}
