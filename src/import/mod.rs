//! `gen import`: other generators' sites and WordPress exports turned into a
//! Byline site. Each source has its reader (`wordpress`, `jekyll`, `hugo`,
//! `zola`) that makes one common [`Plan`]: the posts, pages, authors and files
//! to write, and a [`Report`] line for every item read. The command
//! (`cmd/import.rs`) decides where the plan is written; nothing here writes a
//! file, and every read of a source folder goes through [`SiteFs`], the same
//! gate a build reads a site with.

pub mod convert;
pub mod files;
pub mod folder;
pub mod hugo;
pub mod jekyll;
pub mod terms;
pub mod wordpress;
pub mod zola;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::load::dates::parse_date;
use crate::load::valid_slug;
use crate::routes;
use crate::text::slug::slugify;

/// A post or page read from the source, in Byline's terms.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// Where it came from, as the report names it (`item 12 "Hello"`,
    /// `_posts/2020-01-01-x.md`).
    pub source: String,
    /// A page (published at its path) rather than a post.
    pub page: bool,
    pub title: String,
    pub date: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    /// Author slugs.
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    pub description: Option<String>,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub draft: bool,
    pub slug: String,
    /// A folder post (`content/posts/<slug>/index.md`) whose `files` are
    /// its resources beside it.
    pub bundle: bool,
    /// The page's path without slashes at the ends (`team/people`); pages only.
    pub page_path: String,
    /// The URL path the source published it at (`/2019/03/hello/`), when known.
    pub old_path: Option<String>,
    /// Other old paths (Hugo and Zola `aliases`, Jekyll `redirect_from`).
    pub aliases: Vec<String>,
    /// The Markdown body.
    pub body: String,
    /// What changed on the way, for the report.
    pub warnings: Vec<String>,
    /// Files that go with it (bundle resources): path in the new site, bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// Authors the source names without a profile: slug, name as written.
    pub new_authors: Vec<(String, String)>,
    /// Readers' comments, kept as data (`data/comments/<slug>.json`).
    pub comments: Vec<Comment>,
}

/// A reader's comment, as kept for the responses feature (never the
/// commenter's email or IP address): the type the build reads the file
/// back with, so writer and reader cannot drift apart.
pub use crate::load::responses::CommentRecord as Comment;

/// An author profile to write as `authors/<slug>.toml`.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub source: String,
    pub slug: String,
    pub name: String,
    pub bio: Option<String>,
    pub guest: bool,
    pub website: Option<String>,
    pub social: BTreeMap<String, String>,
    pub warnings: Vec<String>,
}

/// What became of one source item.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Item {
    /// The item as the report names it.
    pub source: String,
    /// `post`, `page`, `author`, `file`, or what the source calls it.
    pub kind: String,
    /// `imported` or `skipped`.
    pub outcome: Outcome,
    /// The files written for it (imported items).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// Why it was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// What changed on the way.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Imported,
    Skipped,
}

/// Everything a source reader found: what to write and what to say.
#[derive(Debug, Default)]
pub struct Plan {
    /// `wordpress`, `jekyll`, `hugo` or `zola`.
    pub kind: &'static str,
    pub title: Option<String>,
    pub base_url: Option<String>,
    pub description: Option<String>,
    /// The `[permalinks] post` pattern that reproduces the old post URLs.
    pub permalink: Option<String>,
    pub entries: Vec<Entry>,
    pub profiles: Vec<Profile>,
    /// Files copied as they are (pictures): new path, bytes, where from.
    pub assets: Vec<(String, Vec<u8>, String)>,
    /// Items left out, with why.
    pub skipped: Vec<Item>,
    /// Pictures and files the source names but does not hold.
    pub missing: BTreeSet<String>,
    /// `[redirects]` entries for gen.toml (`authors = "/author/:slug/"`, or
    /// one old path → its new one).
    pub redirects: Vec<(String, String)>,
    /// Sentences for the report's end (how guests were decided, ...).
    pub notes: Vec<String>,
    /// Where the source keeps the files its posts name
    /// ([`Plan::resolve_files`]); `None` when it has none (WordPress
    /// without `--media`).
    pub files_from: Option<files::SourceFiles>,
    /// The site's author as its config names it, for posts that name none.
    pub default_author: Option<String>,
}

/// One file the import writes: path in the new site and its bytes.
pub type OutFile = (String, Vec<u8>);

/// Removes what a login or name must not keep: zero-width characters and
/// the byte-order mark, and whitespace at the ends.
pub fn clean_name(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}' | '\u{00ad}'
            )
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A slug Byline accepts made from `s` (its own slug when valid and
/// lowercase, else [`slugify`]); `fallback` when nothing is left.
pub fn safe_slug(s: &str, fallback: &str) -> String {
    let s = clean_name(s);
    let decoded = percent_encoding::percent_decode_str(&s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .unwrap_or(s);
    let slug = slugify(&decoded);
    if valid_slug(&slug) {
        slug
    } else {
        let f = slugify(fallback);
        if valid_slug(&f) { f } else { "untitled".into() }
    }
}

/// Parses a date as the sources write them: RFC 3339, `2013-05-06 02:12:52
/// +0200` (Jekyll), RFC 2822 (RSS), and what [`parse_date`] reads.
pub fn parse_any_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim().trim_matches('"').trim();
    if let Some(d) = parse_date(s) {
        return Some(d);
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f %z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(d);
        }
    }
    // Ruby's own `Time#to_s` for UTC: `2013-05-06 02:12:52 UTC`.
    if let Some(utc) = s.strip_suffix(" UTC").or_else(|| s.strip_suffix(" GMT")) {
        return parse_any_date(&format!("{} +0000", utc.trim()));
    }
    DateTime::parse_from_rfc2822(s).ok()
}

/// The date a file name starts with (`2020-01-31-title.md`) and the rest.
pub fn date_from_name(name: &str) -> Option<(DateTime<FixedOffset>, &str)> {
    let head = name.get(..10)?;
    let d = parse_date(head)?;
    let rest = name[10..].trim_start_matches('-');
    Some((d, rest))
}

/// A URL's path (`https://a.test/x/y/?p=1` → `/x/y/`), or `s` itself when it
/// is a path already.
pub fn url_path(s: &str) -> Option<String> {
    let s = s.trim();
    if s.starts_with('/') {
        let p = s.split(['?', '#']).next().unwrap_or(s);
        return Some(p.to_string());
    }
    let u = url::Url::parse(s).ok()?;
    let p = percent_encoding::percent_decode_str(u.path())
        .decode_utf8()
        .ok()?
        .into_owned();
    Some(p)
}

/// Ends a path with a slash (`/x` → `/x/`) unless it names a file (`/x.html`).
pub fn dir_path(p: &str) -> String {
    let mut p = if p.starts_with('/') {
        p.to_string()
    } else {
        format!("/{p}")
    };
    let last = p.rsplit('/').next().unwrap_or("");
    if !p.ends_with('/') && !last.contains('.') {
        p.push('/');
    }
    p
}

/// The `[permalinks] post` pattern that most posts' old paths follow, from
/// the shapes Byline can write; `None` when no pattern fits most of them.
pub fn infer_permalink(entries: &[Entry]) -> Option<String> {
    const PATTERNS: &[&str] = &[
        "/posts/:slug/",
        "/:year/:month/:day/:slug/",
        "/:year/:month/:slug/",
        "/:year/:slug/",
        "/blog/:slug/",
        "/blog/:year/:month/:day/:slug/",
        "/blog/:year/:month/:slug/",
        "/news/:year/:month/:day/:slug/",
        "/news/:slug/",
        "/post/:slug/",
        "/articles/:slug/",
        "/:slug/",
    ];
    let posts: Vec<(&Entry, &DateTime<FixedOffset>, &String)> = entries
        .iter()
        .filter(|e| !e.page)
        .filter_map(|e| Some((e, e.date.as_ref()?, e.old_path.as_ref()?)))
        .collect();
    if posts.is_empty() {
        return None;
    }
    let mut best: Option<(&str, usize)> = None;
    for pat in PATTERNS {
        let n = posts
            .iter()
            .filter(|(e, d, old)| routes::post_path(pat, &e.slug, d) == **old)
            .count();
        if n > 0 && best.is_none_or(|(_, b)| n > b) {
            best = Some((pat, n));
        }
    }
    // A prefix the list does not know (`/writing/:slug/`): the common first
    // folder of the old paths, when every one has it.
    if best.is_none() {
        let first = |p: &str| p.trim_matches('/').split('/').next().map(str::to_string);
        let firsts: BTreeSet<Option<String>> = posts.iter().map(|(_, _, old)| first(old)).collect();
        if let [Some(f)] = firsts.into_iter().collect::<Vec<_>>().as_slice()
            && valid_slug(f)
            && !f.starts_with(':')
        {
            let pat = format!("/{f}/:slug/");
            if posts
                .iter()
                .any(|(e, d, old)| routes::post_path(&pat, &e.slug, d) == **old)
            {
                return Some(pat);
            }
        }
    }
    best.map(|(p, _)| p.to_string())
}

impl Plan {
    /// Fills in what every source needs after reading: the permalink pattern
    /// (`site`: the one of the site imported into, which is kept; else the
    /// source's, or one inferred from the old URLs), aliases for old paths it
    /// does not reproduce, unique slugs and page paths, and authors for every
    /// slug named.
    pub fn finish(&mut self, site: Option<String>) {
        // Unique page paths: the first keeps its path, later ones get `-2`...
        let mut pages_seen: BTreeSet<String> = BTreeSet::new();
        for e in self.entries.iter_mut().filter(|e| e.page) {
            let base = e.page_path.clone();
            let mut p = base.clone();
            let mut n = 2;
            while !pages_seen.insert(p.clone()) {
                p = format!("{base}-{n}");
                n += 1;
            }
            if p != base {
                e.warnings
                    .push(format!("another page is at {base}: this one is now at {p}"));
                e.page_path = p;
            }
        }
        if self.permalink.is_none() {
            self.permalink = infer_permalink(&self.entries);
        }
        if let Some(site) = site {
            if let Some(p) = &self.permalink
                && *p != site
            {
                self.notes.push(format!(
                    "the old post URLs follow \"{p}\"; the site's [permalinks] post = \"{site}\" is kept, so old URLs become aliases"
                ));
            }
            self.permalink = Some(site);
        }
        let pattern = self
            .permalink
            .clone()
            .unwrap_or_else(|| routes::DEFAULT_POST_PATTERN.to_string());
        // Unique post slugs. A post whose old URL the pattern reproduces
        // keeps its slug first (so its URL stays the same); then the others
        // in order, later ones getting `-2`, `-3`...
        let keeps_url = |e: &Entry| match (&e.date, &e.old_path) {
            (Some(d), Some(old)) => routes::post_path(&pattern, &e.slug, d) == dir_path(old),
            _ => false,
        };
        let mut order: Vec<usize> = (0..self.entries.len())
            .filter(|&i| !self.entries[i].page)
            .collect();
        order.sort_by_key(|&i| !keeps_url(&self.entries[i]));
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for i in order {
            let e = &mut self.entries[i];
            let base = e.slug.clone();
            let mut s = base.clone();
            let mut n = 2;
            while !seen.insert(s.clone()) {
                s = format!("{base}-{n}");
                n += 1;
            }
            if s != base {
                e.warnings.push(format!(
                    "another post has the slug \"{base}\": this one is \"{s}\""
                ));
                e.slug = s;
            }
        }
        let new_paths: Vec<Option<String>> = self
            .entries
            .iter()
            .map(|e| {
                if e.page {
                    Some(format!("/{}/", e.page_path))
                } else {
                    e.date
                        .as_ref()
                        .map(|d| routes::post_path(&pattern, &e.slug, d))
                }
            })
            .collect();
        // Each new URL's owner, so an old URL that is now another entry's
        // address does not become a redirect that would clash with it.
        let mut owner: BTreeMap<String, usize> = BTreeMap::new();
        for (i, p) in new_paths.iter().enumerate() {
            if let Some(p) = p {
                owner.entry(p.clone()).or_insert(i);
            }
        }
        let sources: Vec<String> = self.entries.iter().map(|e| e.source.clone()).collect();
        let mut claimed: BTreeMap<String, usize> = BTreeMap::new();
        for (i, e) in self.entries.iter_mut().enumerate() {
            let Some(new_path) = &new_paths[i] else {
                continue;
            };
            let mut aliases: Vec<String> = Vec::new();
            for old in e.old_path.iter().chain(e.aliases.iter()) {
                let old = dir_path(old);
                if old == *new_path || old == "/" || aliases.contains(&old) {
                    continue;
                }
                let other = owner
                    .get(&old)
                    .or_else(|| claimed.get(&old))
                    .copied()
                    .filter(|&o| o != i);
                if let Some(o) = other {
                    e.warnings.push(format!(
                        "old URL {old} is now the address of {} (or one of its old URLs): no redirect from it to this one",
                        sources[o]
                    ));
                    continue;
                }
                claimed.insert(old.clone(), i);
                aliases.push(old);
            }
            e.aliases = aliases;
        }
        // A post needs an author: the site's own (its config's `author`),
        // else "unknown", with a warning either way.
        for e in self
            .entries
            .iter_mut()
            .filter(|e| !e.page && e.authors.is_empty())
        {
            let (slug, name) = match &self.default_author {
                Some(n) => (safe_slug(n, "unknown"), n.clone()),
                None => ("unknown".to_string(), "Unknown".to_string()),
            };
            e.warnings.push(match &self.default_author {
                Some(_) => {
                    format!("no author: credited to the site's author \"{name}\" (from its config)")
                }
                None => "no author: credited to \"unknown\"".to_string(),
            });
            e.new_authors.push((slug.clone(), name));
            e.authors.push(slug);
        }
        // Every author a post names has a profile: one made from the name
        // as written when the source has none.
        let known: BTreeSet<String> = self.profiles.iter().map(|p| p.slug.clone()).collect();
        let mut added = BTreeSet::new();
        for e in &self.entries {
            for a in &e.authors {
                if known.contains(a) || !added.insert(a.clone()) {
                    continue;
                }
                let name = e
                    .new_authors
                    .iter()
                    .find(|(s, _)| s == a)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_else(|| a.clone());
                // A website the author string carried (`[Name](https://…)`).
                let website = e
                    .new_authors
                    .iter()
                    .find(|(s, _)| *s == format!("{a}\u{0}website"))
                    .map(|(_, w)| w.clone());
                self.profiles.push(Profile {
                    source: format!("author \"{name}\" (named by {})", e.source),
                    slug: a.clone(),
                    name: name.clone(),
                    guest: true,
                    website,
                    warnings: vec![format!(
                        "no profile for \"{name}\" in the source: made a guest profile"
                    )],
                    ..Profile::default()
                });
            }
        }
    }

    /// The files of the plan, with the report's items, in a stable order.
    pub fn files(&self) -> (Vec<OutFile>, Vec<Item>) {
        let mut files: Vec<OutFile> = Vec::new();
        let mut items: Vec<Item> = Vec::new();
        for p in &self.profiles {
            let rel = format!("authors/{}.toml", p.slug);
            files.push((rel.clone(), profile_toml(p).into_bytes()));
            items.push(Item {
                source: p.source.clone(),
                kind: "author".into(),
                outcome: Outcome::Imported,
                files: vec![rel],
                why: None,
                warnings: p.warnings.clone(),
            });
        }
        for e in &self.entries {
            let rel = entry_file(e);
            let mut written = vec![rel.clone()];
            files.push((rel, entry_text(e).into_bytes()));
            if !e.comments.is_empty() {
                let rel = format!("data/comments/{}.json", e.slug);
                let mut json = serde_json::to_string_pretty(&e.comments).unwrap_or_default();
                json.push('\n');
                written.push(rel.clone());
                files.push((rel, json.into_bytes()));
            }
            for (name, bytes) in &e.files {
                // Bundle resources sit beside the post's index.md.
                let path = format!("content/posts/{}/{name}", e.slug);
                written.push(path.clone());
                files.push((path, bytes.clone()));
            }
            items.push(Item {
                source: e.source.clone(),
                kind: if e.page { "page" } else { "post" }.into(),
                outcome: Outcome::Imported,
                files: written,
                why: None,
                warnings: e.warnings.clone(),
            });
        }
        for (rel, bytes, from) in &self.assets {
            files.push((rel.clone(), bytes.clone()));
            items.push(Item {
                source: from.clone(),
                kind: "file".into(),
                outcome: Outcome::Imported,
                files: vec![rel.clone()],
                why: None,
                warnings: Vec::new(),
            });
        }
        items.extend(self.skipped.iter().cloned());
        (files, items)
    }
}

/// Where an entry is written: `content/posts/<date>-<slug>.md` for posts (the
/// date keeps the folder in order), `content/<path>.md` for pages.
pub fn entry_file(e: &Entry) -> String {
    if e.page {
        format!("content/{}.md", e.page_path)
    } else if e.bundle {
        format!("content/posts/{}/index.md", e.slug)
    } else {
        format!("content/posts/{}.md", e.slug)
    }
}

#[derive(Serialize)]
struct Front<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<String>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    authors: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    categories: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_alt: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: &'a [String],
}

fn date_text(d: &DateTime<FixedOffset>) -> String {
    d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// The text of an entry's file: TOML front matter and the Markdown body.
pub fn entry_text(e: &Entry) -> String {
    let front = if e.page {
        Front {
            title: &e.title,
            date: None,
            updated: None,
            authors: &[],
            tags: &[],
            categories: &[],
            description: e.description.as_deref(),
            image: None,
            image_alt: None,
            draft: false,
            slug: None,
            aliases: &e.aliases,
        }
    } else {
        Front {
            title: &e.title,
            date: e.date.as_ref().map(date_text),
            updated: e.updated.as_ref().map(date_text),
            authors: &e.authors,
            tags: &e.tags,
            categories: &e.categories,
            description: e.description.as_deref(),
            image: e.image.as_deref(),
            image_alt: e.image.as_ref().map(|_| {
                e.image_alt
                    .as_deref()
                    .filter(|a| !a.trim().is_empty())
                    .unwrap_or(&e.title)
            }),
            draft: e.draft,
            slug: None,
            aliases: &e.aliases,
        }
    };
    let matter = toml::to_string(&front).unwrap_or_else(|_| format!("title = {:?}\n", e.title));
    let mut body = e.body.trim().to_string();
    body.push('\n');
    format!("+++\n{matter}+++\n\n{body}")
}

#[derive(Serialize)]
struct ProfileToml<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    bio: Option<&'a str>,
    guest: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    website: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    social: &'a BTreeMap<String, String>,
}

/// The text of an author profile.
pub fn profile_toml(p: &Profile) -> String {
    toml::to_string(&ProfileToml {
        name: &p.name,
        bio: p.bio.as_deref().filter(|b| !b.trim().is_empty()),
        guest: p.guest,
        website: p.website.as_deref(),
        social: &p.social,
    })
    .unwrap_or_else(|_| format!("name = {:?}\n", p.name))
}

/// The report of an import: every item, and the counts.
#[derive(Debug, Serialize)]
pub struct Report {
    pub source: String,
    pub into: String,
    pub dry_run: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permalink: Option<String>,
    pub items: Vec<Item>,
    pub missing: Vec<String>,
    pub notes: Vec<String>,
    pub counts: Counts,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub read: usize,
    pub imported: usize,
    pub skipped: usize,
    pub with_warnings: usize,
}

impl Report {
    pub fn new(plan: &Plan, items: Vec<Item>, source: String, into: String, dry_run: bool) -> Self {
        let imported = items
            .iter()
            .filter(|i| i.outcome == Outcome::Imported)
            .count();
        let skipped = items.len() - imported;
        let with_warnings = items.iter().filter(|i| !i.warnings.is_empty()).count();
        Report {
            source,
            into,
            dry_run,
            permalink: plan.permalink.clone(),
            counts: Counts {
                read: items.len(),
                imported,
                skipped,
                with_warnings,
            },
            items,
            missing: plan.missing.iter().cloned().collect(),
            notes: plan.notes.clone(),
        }
    }

    /// The report for people: one line per item, warnings under it, counts.
    pub fn text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let verb = if self.dry_run {
            "would import"
        } else {
            "importing"
        };
        let _ = writeln!(out, "{verb} {} into {}", self.source, self.into);
        for i in &self.items {
            match i.outcome {
                Outcome::Imported => {
                    let _ = writeln!(
                        out,
                        "  imported {} {} → {}",
                        i.kind,
                        i.source,
                        i.files.join(", ")
                    );
                }
                Outcome::Skipped => {
                    let _ = writeln!(
                        out,
                        "  skipped  {} {}: {}",
                        i.kind,
                        i.source,
                        i.why.as_deref().unwrap_or("")
                    );
                }
            }
            for w in &i.warnings {
                let _ = writeln!(out, "    warning: {w}");
            }
        }
        if let Some(p) = &self.permalink {
            let _ = writeln!(out, "permalinks: post = \"{p}\"");
        }
        for m in &self.missing {
            let _ = writeln!(out, "missing: {m}");
        }
        for n in &self.notes {
            let _ = writeln!(out, "note: {n}");
        }
        let c = &self.counts;
        let _ = writeln!(
            out,
            "read {} item{}: {} imported, {} skipped; {} with warnings",
            c.read,
            if c.read == 1 { "" } else { "s" },
            c.imported,
            c.skipped,
            c.with_warnings,
        );
        out
    }
}

/// A path as the report shows it.
pub fn shown(p: &std::path::Path) -> String {
    p.display().to_string()
}

/// The relative path of `p` under `root`, with `/` separators.
pub fn rel_str(root: &std::path::Path, p: &std::path::Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A site-relative file path for a folder walk result.
pub type RelPath = PathBuf;

#[cfg(test)]
mod tests {
    use super::*;

    fn post(slug: &str, date: &str, old: &str) -> Entry {
        Entry {
            source: format!("{slug}.md"),
            slug: slug.into(),
            date: parse_any_date(date),
            old_path: Some(old.into()),
            authors: vec!["ana".into()],
            ..Entry::default()
        }
    }

    #[test]
    fn the_old_url_shapes_become_permalink_patterns() {
        for (pattern, a, b) in [
            (
                "/:year/:month/:day/:slug/",
                "/2019/03/04/one/",
                "/2020/11/30/two/",
            ),
            ("/:year/:month/:slug/", "/2019/03/one/", "/2020/11/two/"),
            ("/blog/:slug/", "/blog/one/", "/blog/two/"),
            (
                "/news/:year/:month/:day/:slug/",
                "/news/2019/03/04/one/",
                "/news/2020/11/30/two/",
            ),
            ("/writing/:slug/", "/writing/one/", "/writing/two/"),
        ] {
            let entries = [post("one", "2019-03-04", a), post("two", "2020-11-30", b)];
            assert_eq!(
                infer_permalink(&entries).as_deref(),
                Some(pattern),
                "{a} {b}"
            );
        }
        assert_eq!(
            infer_permalink(&[post("one", "2019-03-04", "/x.html")]),
            None
        );
    }

    #[test]
    fn dates_as_the_sources_write_them() {
        for (text, want) in [
            ("2013-05-06 02:12:52 +0200", "2013-05-06T02:12:52+02:00"),
            ("2013-05-06 02:12:52 -05:00", "2013-05-06T02:12:52-05:00"),
            ("2013-05-06 02:12 +0200", "2013-05-06T02:12:00+02:00"),
            (
                "2013-05-06 02:12:52.250 +0200",
                "2013-05-06T02:12:52.250+02:00",
            ),
            ("2013-05-06 02:12:52 UTC", "2013-05-06T02:12:52+00:00"),
            ("2013-05-06", "2013-05-06T00:00:00+00:00"),
            ("2024-05-01T09:30:00+02:00", "2024-05-01T09:30:00+02:00"),
            ("2024-05-01T09:30:00Z", "2024-05-01T09:30:00+00:00"),
            ("2024-05-01 09:30:00", "2024-05-01T09:30:00+00:00"),
            ("\"2024-05-01\"", "2024-05-01T00:00:00+00:00"),
            (
                "Mon, 06 May 2013 02:12:52 +0200",
                "2013-05-06T02:12:52+02:00",
            ),
        ] {
            assert_eq!(
                parse_any_date(text).map(|d| d.to_rfc3339()).as_deref(),
                Some(want),
                "{text}"
            );
        }
        for bad in ["yesterday", "2013-13-01", "06/05/2013", ""] {
            assert_eq!(parse_any_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_unreadable_date_is_reported_never_today() {
        let front: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"date": "sometime"}"#).unwrap();
        let mut e = Entry::default();
        assert_eq!(
            folder::entry_date(&mut e, &front, &["date"], "2020-01-31-x"),
            None
        );
        assert_eq!(
            e.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2020-01-31T00:00:00+00:00")
        );
        assert_eq!(
            e.warnings,
            [
                "date \"sometime\" cannot be read",
                "date taken from the file name"
            ]
        );
        let mut e = Entry::default();
        assert_eq!(
            folder::entry_date(&mut e, &front, &["date"], "notes").as_deref(),
            Some("no date in the front matter or the file name")
        );
        assert_eq!(e.date, None);
    }

    #[test]
    fn a_renamed_post_never_redirects_from_another_posts_url() {
        // Both were `clash`; the one whose old URL the pattern reproduces
        // keeps the slug, whichever comes first.
        let mut plan = Plan {
            permalink: Some("/:year/:month/:slug/".into()),
            entries: vec![
                post("clash", "2022-03-04", "/news/clash/"),
                post("clash", "2022-03-05", "/2022/03/clash/"),
            ],
            ..Plan::default()
        };
        plan.finish(None);
        assert_eq!(plan.entries[0].slug, "clash-2");
        assert_eq!(plan.entries[0].aliases, ["/news/clash/"]);
        assert_eq!(plan.entries[1].slug, "clash");
        assert!(plan.entries[1].aliases.is_empty());
        // An old URL that is another post's new address is not an alias.
        let mut plan = Plan {
            permalink: Some("/:year/:month/:slug/".into()),
            entries: vec![
                post("a", "2022-03-04", "/2022/03/b/"),
                post("b", "2022-03-05", "/old/b/"),
            ],
            ..Plan::default()
        };
        plan.finish(None);
        assert!(plan.entries[0].aliases.is_empty());
        assert_eq!(
            plan.entries[0].warnings,
            [
                "old URL /2022/03/b/ is now the address of b.md (or one of its old URLs): no redirect from it to this one"
            ]
        );
    }
}
