//! What Jekyll, Hugo and Zola sites share: Markdown files with front matter
//! (YAML, TOML or JSON) read into a loose map, the fields each of them names
//! differently, author strings (plain names, slugs, Markdown links), and
//! site-absolute pictures copied from the source's static folder. The three
//! readers (`jekyll.rs`, `hugo.rs`, `zola.rs`) say only where things are.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::files::SourceFiles;
use super::{Entry, Item, Outcome, Plan, Profile, clean_name, parse_any_date, safe_slug};
use crate::diag::Diagnostic;
use crate::load::frontmatter;
use crate::sitefs::SiteFs;
use crate::text::syntax::{Format, toml_error, yaml_error};

/// A source file's front matter as a loose map, and its body.
pub struct Doc {
    pub front: Map<String, Value>,
    pub body: String,
}

/// TOML values as JSON, dates as their text.
pub fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// Parses YAML text into a map; with `repair`, a tab after a list dash (that
/// only Ruby's parser accepts) is made a space, and a warning says so.
pub fn yaml_map(text: &str, warnings: &mut Vec<String>) -> Result<Map<String, Value>, String> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_norway::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(_) => Err("the front matter is not a table of fields".into()),
        Err(e) => {
            if text.contains("-\t") || text.contains(":\t") {
                let fixed = text.replace("-\t", "- ").replace(":\t", ": ");
                if let Ok(Value::Object(m)) = serde_norway::from_str::<Value>(&fixed) {
                    warnings.push(
                        "YAML with a tab after `-` or `:` (only Ruby's parser reads it) repaired"
                            .into(),
                    );
                    return Ok(m);
                }
            }
            Err(e.to_string())
        }
    }
}

/// Why a source file cannot be imported, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// What is wrong, with the line and column where known.
    pub why: String,
    /// What to do about it.
    pub fix: String,
}

/// A diagnostic of the front matter as the report says it.
fn unreadable_at(what: &str, d: &Diagnostic) -> Unreadable {
    let at = match (d.line, d.col) {
        (Some(l), Some(c)) => format!(" at line {l}, column {c}"),
        (Some(l), None) => format!(" at line {l}"),
        _ => String::new(),
    };
    Unreadable {
        why: format!("the {what} front matter cannot be read{at}: {}", d.message),
        fix: d
            .hint
            .clone()
            .unwrap_or_else(|| format!("fix the {what} front matter")),
    }
}

/// Reads a Markdown file's front matter and body.
pub fn read_doc(text: &str, warnings: &mut Vec<String>) -> Result<Doc, Unreadable> {
    let trimmed = text.trim_start_matches('\u{feff}');
    if trimmed.starts_with('{') {
        // Hugo's JSON front matter: a JSON object, then the body.
        let mut de = serde_json::Deserializer::from_str(trimmed).into_iter::<Value>();
        return match de.next() {
            Some(Ok(Value::Object(front))) => {
                let body = trimmed[de.byte_offset()..].to_string();
                Ok(Doc { front, body })
            }
            Some(Err(e)) => Err(Unreadable {
                why: format!(
                    "the JSON front matter cannot be read at line {}, column {}: {e}",
                    e.line(),
                    e.column()
                )
                .replace(&format!(" at line {} column {}", e.line(), e.column()), ""),
                fix: "fix the JSON front matter (one object of fields)".into(),
            }),
            _ => Err(Unreadable {
                why: "the JSON front matter is not an object of fields".into(),
                fix: "write the front matter as one JSON object: { \"title\": \"…\" }".into(),
            }),
        };
    }
    let split = frontmatter::split(text).map_err(|d| Unreadable {
        why: d.message.clone(),
        fix: d
            .hint
            .clone()
            .unwrap_or_else(|| "fix the front matter".into()),
    })?;
    let offset = split.matter_line - 1;
    let front =
        match split.format {
            Format::Toml => toml::from_str::<toml::Table>(split.matter)
                .map(|t| match toml_to_json(toml::Value::Table(t)) {
                    Value::Object(m) => m,
                    _ => Map::new(),
                })
                .map_err(|e| unreadable_at("TOML", &toml_error(&e, split.matter, offset)))?,
            Format::Yaml => yaml_map(split.matter, warnings).map_err(|why| {
                match serde_norway::from_str::<Value>(split.matter) {
                    Err(e) => unreadable_at("YAML", &yaml_error(&e, split.matter, offset)),
                    Ok(_) => Unreadable {
                        why: format!("the YAML front matter cannot be read: {why}"),
                        fix: "write the front matter as fields, one `key: value` a line".into(),
                    },
                }
            })?,
        };
    Ok(Doc {
        front,
        body: split.body.to_string(),
    })
}

/// A string field (numbers written as text too).
pub fn str_field(m: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match m.get(*k)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// A list field that may be written as one string (`tags: a b` in Jekyll
/// is split at spaces only when `split` says so).
pub fn list_field(m: &Map<String, Value>, keys: &[&str], split: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in keys {
        match m.get(*k) {
            Some(Value::String(s)) if split => {
                out.extend(s.split_whitespace().map(str::to_string));
            }
            Some(Value::String(s)) => out.push(s.trim().to_string()),
            Some(Value::Array(a)) => out.extend(a.iter().filter_map(|v| match v {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })),
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    out.retain(|s| !s.is_empty() && seen.insert(s.clone()));
    out
}

/// An author as a source writes it: a slug, a display name, a Markdown link
/// `[Name](https://…)` or a name with a URL after a slash. Returns the slug,
/// the name and the website.
pub fn author_ref(s: &str) -> (String, String, Option<String>) {
    let s = clean_name(s);
    if let Some(rest) = s.strip_prefix('[')
        && let Some((name, url)) = rest.split_once("](")
    {
        let url = url.trim_end_matches(')').trim().to_string();
        return (
            safe_slug(name, "author"),
            name.trim().to_string(),
            Some(url),
        );
    }
    if let Some(i) = s.find("http") {
        let (name, url) = s.split_at(i);
        let name = name.trim().trim_end_matches(['/', '-', ',', '(']).trim();
        if !name.is_empty() {
            return (
                safe_slug(name, "author"),
                name.to_string(),
                Some(url.trim_end_matches(')').to_string()),
            );
        }
    }
    (safe_slug(&s, "author"), s, None)
}

/// Social fields of a profile as Byline names them.
pub fn social(m: &Map<String, Value>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let sources = [m.get("social"), Some(&Value::Object(m.clone()))];
    for src in sources.into_iter().flatten() {
        let Value::Object(o) = src else { continue };
        for (from, to) in [
            ("twitter", "x"),
            ("x", "x"),
            ("mastodon", "mastodon"),
            ("bluesky", "bluesky"),
            ("github", "github"),
            ("linkedin", "linkedin"),
        ] {
            if let Some(Value::String(v)) = o.get(from) {
                let v = v.trim();
                if v.is_empty() || out.contains_key(to) {
                    continue;
                }
                let v = match to {
                    "x" => v
                        .trim_start_matches("https://twitter.com/")
                        .trim_start_matches("https://x.com/")
                        .trim_start_matches('@')
                        .to_string(),
                    // A full URL https://host/@user → @user@host.
                    "mastodon" if v.starts_with("https://") => {
                        match url::Url::parse(v).ok().and_then(|u| {
                            let user = u.path().trim_matches('/').to_string();
                            Some(format!("{user}@{}", u.host_str()?))
                        }) {
                            Some(h) if h.starts_with('@') => h,
                            _ => continue,
                        }
                    }
                    "github" => v.trim_start_matches("https://github.com/").to_string(),
                    "bluesky" => v
                        .trim_start_matches("https://bsky.app/profile/")
                        .trim_start_matches('@')
                        .to_string(),
                    "linkedin" => v
                        .trim_start_matches("https://www.linkedin.com/")
                        .trim_start_matches("https://linkedin.com/")
                        .trim_end_matches('/')
                        .to_string(),
                    _ => v.to_string(),
                };
                out.insert(to.to_string(), v);
            }
        }
    }
    out
}

/// A profile from a loose map (a data file entry or an author page).
pub fn profile(source: String, slug: String, m: &Map<String, Value>) -> Profile {
    let name =
        str_field(m, &["name", "display_name", "title", "full_name"]).unwrap_or(slug.clone());
    let guest = match m.get("guest") {
        Some(Value::Bool(b)) => *b,
        _ => !matches!(m.get("staff"), Some(Value::Bool(true))),
    };
    Profile {
        source,
        slug,
        name: clean_name(&name),
        bio: str_field(m, &["bio", "description", "about"]),
        guest,
        website: str_field(m, &["website", "url", "web", "homepage"])
            .or_else(|| {
                m.get("social")
                    .and_then(|s| s.as_object())
                    .and_then(|s| str_field(s, &["website", "url", "web", "homepage"]))
            })
            .filter(|u| u.starts_with("http")),
        social: social(m),
        warnings: Vec::new(),
    }
}

/// Adds the entry's authors from its front matter, matching them to known
/// profiles by slug or by name in any letter case.
pub fn set_authors(e: &mut Entry, front: &Map<String, Value>, profiles: &[Profile]) {
    let names = list_field(front, &["authors", "author"], false);
    for raw in names {
        let (slug, name, website) = author_ref(&raw);
        let known = profiles.iter().find(|p| {
            p.slug == raw || p.slug == slug || p.name.to_lowercase() == name.to_lowercase()
        });
        let slug = match known {
            Some(p) => {
                if p.name != name && p.name.to_lowercase() == name.to_lowercase() {
                    e.warnings.push(format!(
                        "author \"{name}\" read as \"{}\" (the same name in other letter case)",
                        p.name
                    ));
                }
                p.slug.clone()
            }
            None => {
                e.new_authors.push((slug.clone(), name.clone()));
                if let Some(w) = website {
                    e.new_authors.push((format!("{slug}\u{0}website"), w));
                }
                slug
            }
        };
        if !e.authors.contains(&slug) {
            e.authors.push(slug);
        }
    }
}

/// Fills the fields every source names alike.
pub fn common_fields(e: &mut Entry, front: &Map<String, Value>) {
    e.title = str_field(front, &["title"]).unwrap_or_default();
    e.description = str_field(front, &["description", "summary", "excerpt"]);
    e.tags = list_field(front, &["tags"], false);
    e.categories = list_field(front, &["categories", "category"], false);
    if let Some(u) = str_field(
        front,
        &["lastmod", "last_modified_at", "updated", "modified"],
    ) {
        match parse_any_date(&u) {
            Some(d) => e.updated = Some(d),
            None => e
                .warnings
                .push(format!("last-modified date {u:?} cannot be read: left out")),
        }
    }
    e.draft = matches!(front.get("draft"), Some(Value::Bool(true)))
        || matches!(front.get("published"), Some(Value::Bool(false)));
    e.aliases = list_field(front, &["aliases", "redirect_from"], false)
        .into_iter()
        .filter(|a| a.starts_with('/') || !a.contains("://"))
        .map(|a| {
            if a.starts_with('/') {
                a
            } else {
                format!("/{a}")
            }
        })
        .collect();
}

/// The date of an entry from its fields or its file name; the warning when
/// it came from the name; `None` when there is none.
pub fn entry_date(
    e: &mut Entry,
    front: &Map<String, Value>,
    keys: &[&str],
    file_stem: &str,
) -> Option<String> {
    if let Some(d) = str_field(front, keys) {
        match parse_any_date(&d) {
            Some(p) => {
                e.date = Some(p);
                return None;
            }
            None => e.warnings.push(format!("date {d:?} cannot be read")),
        }
    }
    if let Some((d, _)) = super::date_from_name(file_stem) {
        e.date = Some(d);
        e.warnings.push("date taken from the file name".into());
        return None;
    }
    Some("no date in the front matter or the file name".into())
}

/// A skipped item.
pub fn skip(source: String, kind: &str, why: impl Into<String>) -> Item {
    Item {
        source,
        kind: kind.into(),
        outcome: Outcome::Skipped,
        files: Vec::new(),
        why: Some(why.into()),
        warnings: Vec::new(),
    }
}

/// The Markdown files under `dir` of the source, relative to its root.
pub fn markdown_files(fs: &SiteFs, dir: &str) -> Vec<PathBuf> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    fs.files(Path::new(dir), &mut diags)
        .into_iter()
        .filter_map(|p| p.strip_prefix(fs.root()).ok().map(Path::to_path_buf))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("md" | "markdown" | "mdown")
            )
        })
        .collect()
}

/// Reads a source file as text.
pub fn read_text(fs: &SiteFs, rel: &Path) -> Result<String, Unreadable> {
    let bytes = fs.read_bytes(rel).map_err(|e| Unreadable {
        why: format!("cannot be read: {e}"),
        fix: "make the file readable".into(),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let ok = e.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(&e.as_bytes()[..ok]).into_owned();
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Unreadable {
            why: format!("not UTF-8 text: the byte at line {line}, column {col} is not UTF-8"),
            fix: "convert the file to UTF-8 (e.g. `iconv -f latin1 -t utf-8`)".into(),
        }
    })
}

/// A source file that cannot be imported: skipped, with a warning that
/// says how to fix it (the rest of the import goes on).
pub fn unreadable(source: String, kind: &str, u: Unreadable) -> Item {
    let mut item = skip(source, kind, u.why);
    item.warnings
        .push(format!("not imported: {}, then import it again", u.fix));
    item
}

/// The site config: the first of `names` that exists, as a map.
pub fn config(fs: &SiteFs, names: &[&str]) -> Result<Map<String, Value>, Diagnostic> {
    for name in names {
        let rel = Path::new(name);
        if !fs.is_file(rel) {
            continue;
        }
        let text = read_text(fs, rel)
            .map_err(|e| Diagnostic::error(e.why).in_file(fs.root().join(rel)))?;
        let parsed = if name.ends_with(".toml") {
            toml::from_str::<toml::Table>(&text)
                .map(|t| toml_to_json(toml::Value::Table(t)))
                .map_err(|e| e.message().to_string())
        } else if name.ends_with(".json") {
            serde_json::from_str::<Value>(&text).map_err(|e| e.to_string())
        } else {
            yaml_map(&text, &mut Vec::new()).map(Value::Object)
        };
        return match parsed {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Ok(Map::new()),
            Err(e) => Err(
                Diagnostic::error(format!("the site config cannot be read: {e}"))
                    .in_file(fs.root().join(rel))
                    .hint(
                        "fix the config so that the source generator reads it, then import again",
                    ),
            ),
        };
    }
    Ok(Map::new())
}

/// Makes the site's title, address and description the plan's.
pub fn site_fields(plan: &mut Plan, cfg: &Map<String, Value>, url_keys: &[&str]) {
    plan.title = str_field(cfg, &["title"]);
    plan.description = str_field(cfg, &["description"]).or_else(|| {
        cfg.get("params")
            .and_then(|p| p.as_object())
            .and_then(|p| str_field(p, &["description"]))
    });
    plan.base_url = str_field(cfg, url_keys).filter(|u| u.starts_with("http"));
    // `author` as a name or a table with `name` (Jekyll, Hugo, Zola), at
    // the top or under `params` / `extra`.
    let author = |m: &Map<String, Value>| match m.get("author") {
        Some(Value::Object(a)) => str_field(a, &["name"]),
        _ => str_field(m, &["author"]),
    };
    plan.default_author = author(cfg)
        .or_else(|| {
            ["params", "extra"]
                .iter()
                .find_map(|k| cfg.get(*k).and_then(|p| p.as_object()).and_then(author))
        })
        .map(|a| clean_name(&a))
        .filter(|a| !a.is_empty());
}

/// Profiles from a data file of authors (`_data/authors.yml`,
/// `data/authors.toml`): a map of slug → fields. A file that cannot be read
/// is a skipped item with a warning.
pub fn data_profiles(fs: &SiteFs, rel: &str, plan: &mut Plan) {
    let m = match config(fs, &[rel]) {
        Ok(m) => m,
        Err(d) => {
            let why = d.message.replace("the site config", "the file");
            plan.skipped.push(unreadable(
                rel.to_string(),
                "authors file",
                Unreadable {
                    why,
                    fix: "fix the file".into(),
                },
            ));
            return;
        }
    };
    for (slug, v) in m {
        if let Value::Object(fields) = v {
            plan.profiles.push(profile(
                format!("{rel} \"{slug}\""),
                safe_slug(&slug, "author"),
                &fields,
            ));
        }
    }
}

/// The site-absolute files of a site folder: `dir` (`static`, or the root
/// for Jekyll) served at `/`.
pub fn site_files(fs: &SiteFs, dir: &str) -> SourceFiles {
    SourceFiles {
        fs: fs.clone(),
        dir: PathBuf::from(dir),
        under: "/".into(),
        label: String::new(),
    }
}

/// Reads a post or page file into an entry with the fields every source
/// names alike ([`common_fields`]), and its front matter and body; a file
/// that cannot be read is the skipped item of `kind` to report.
pub fn read_entry(fs: &SiteFs, rel: &Path, kind: &str) -> Result<(Entry, Doc), Item> {
    let source = super::rel_str(Path::new(""), rel);
    let mut warnings = Vec::new();
    let doc = read_text(fs, rel)
        .and_then(|t| read_doc(&t, &mut warnings))
        .map_err(|u| unreadable(source.clone(), kind, u))?;
    let mut e = Entry {
        source,
        warnings,
        ..Entry::default()
    };
    common_fields(&mut e, &doc.front);
    Ok((e, doc))
}

/// Adds the profile of an author page (Jekyll's `_authors/x.md`, Hugo's
/// `content/authors/x/_index.md`): its fields, social fields also under
/// `params`, its body as the bio when it has none. `slug` makes the slug
/// from the page. The first profile of a slug wins; a page that cannot be
/// read is a skipped item.
pub fn add_profile_page(
    fs: &SiteFs,
    rel: &Path,
    plan: &mut Plan,
    slug: impl FnOnce(&Doc) -> String,
) {
    let source = super::rel_str(Path::new(""), rel);
    let doc = match read_text(fs, rel).and_then(|t| read_doc(&t, &mut Vec::new())) {
        Ok(d) => d,
        Err(u) => {
            plan.skipped.push(unreadable(source, "author", u));
            return;
        }
    };
    let mut p = profile(source, slug(&doc), &doc.front);
    if let Some(Value::Object(params)) = doc.front.get("params") {
        p.social.extend(social(params));
    }
    if p.bio.is_none() && !doc.body.trim().is_empty() {
        p.bio = Some(doc.body.trim().to_string());
    }
    if !plan.profiles.iter().any(|q| q.slug == p.slug) {
        plan.profiles.push(p);
    }
}
