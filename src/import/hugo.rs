//! Hugo sites, and the content tree Zola shares with them: front matter in
//! TOML, YAML or JSON; posts wherever they are under `content/` (nested
//! section and year folders), page bundles with their resources, sections'
//! `_index.md` and translations (`index.es.md`) reported as skipped;
//! shortcodes through `convert::shortcodes` (curly quotes read as straight
//! ones); authors from `content/authors/<slug>/_index.md` and `data/authors`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::convert::{shortcodes, zola_links};
use super::folder::{
    add_profile_page, config, data_profiles, entry_date, list_field, markdown_files, read_entry,
    set_authors, site_fields, site_files, skip, str_field,
};
use super::terms::{OldTerms, TermKind, author_names, term_slugs};
use super::{Entry, Plan, safe_slug};
use crate::diag::Diagnostic;
use crate::sitefs::SiteFs;

/// Which of the two generators wrote the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Hugo,
    Zola,
}

/// Hugo's `urlize`: lowercase, spaces to hyphens, Unicode letters and
/// apostrophes kept.
pub fn urlize(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_alphanumeric() || matches!(c, '\'' | '-' | '_' | '.') {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out
}

/// Reads the Hugo site in `fs` into a plan.
pub fn read(fs: &SiteFs) -> Result<Plan, Diagnostic> {
    let names = [
        "hugo.toml",
        "hugo.yaml",
        "hugo.json",
        "config.toml",
        "config.yaml",
        "config.json",
        "config/_default/hugo.toml",
        "config/_default/config.toml",
    ];
    if !names.iter().any(|n| fs.is_file(Path::new(n))) && !fs.is_dir(Path::new("content")) {
        return Err(
            Diagnostic::error("not a Hugo site: no hugo.toml, config.toml or content/")
                .in_file(fs.root())
                .hint("give the folder that holds hugo.toml (or config.toml) and content/"),
        );
    }
    let cfg = config(fs, &names)?;
    let mut plan = Plan {
        kind: "hugo",
        ..Plan::default()
    };
    site_fields(&mut plan, &cfg, &["baseURL", "baseurl"]);
    let params: Map<String, Value> = cfg
        .get("params")
        .and_then(|p| p.as_object().cloned())
        .unwrap_or_default();
    let permalinks: BTreeMap<String, String> = cfg
        .get("permalinks")
        .and_then(|p| p.as_object())
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    for dir in [
        "data/authors.toml",
        "data/authors.yaml",
        "data/authors.yml",
        "data/authors.json",
    ] {
        data_profiles(fs, dir, &mut plan);
    }
    for base in ["content/authors", "content/author"] {
        for rel in markdown_files(fs, base) {
            let name = rel
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let slug = if name == "_index.md" || name == "index.md" {
                rel.parent().and_then(|p| p.file_name())
            } else {
                rel.file_stem()
            }
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
            if rel.parent() == Some(Path::new(base)) && name == "_index.md" {
                continue;
            }
            add_profile_page(fs, &rel, &mut plan, |_| urlize(&slug));
        }
    }
    let params: BTreeMap<String, String> = params
        .iter()
        .filter_map(|(k, v)| Some((k.to_lowercase(), v.as_str()?.to_string())))
        .collect();
    content_tree(fs, &mut plan, Flavor::Hugo, &permalinks, &params);
    term_redirects(&mut plan, &cfg);
    plan.files_from = Some(site_files(fs, "static"));
    Ok(plan)
}

/// Hugo's taxonomy pages: `/<plural>/<urlize>/` for each taxonomy of the
/// config (`[taxonomies] tag = "tags"`; tags and categories when it names
/// none), and author pages from `content/author/<slug>/` or an `authors`
/// taxonomy. Each kept working where it differs from Byline's page.
fn term_redirects(plan: &mut Plan, cfg: &Map<String, Value>) {
    let taxonomies: Vec<(String, String)> = match cfg.get("taxonomies") {
        Some(Value::Object(t)) => t
            .iter()
            .filter_map(|(k, v)| Some((k.to_lowercase(), v.as_str()?.to_lowercase())))
            .collect(),
        _ => vec![
            ("tag".into(), "tags".into()),
            ("category".into(), "categories".into()),
        ],
    };
    let mut old = Vec::new();
    for (singular, plural) in &taxonomies {
        let pattern = format!("/{plural}/:slug/");
        match singular.as_str() {
            "tag" => old.push(OldTerms {
                kind: TermKind::Tags,
                pattern,
                slugs: term_slugs(plan, TermKind::Tags, urlize),
                every: true,
            }),
            "category" => old.push(OldTerms {
                kind: TermKind::Categories,
                pattern,
                slugs: term_slugs(plan, TermKind::Categories, urlize),
                every: true,
            }),
            // Term pages of the names posts give; a profile page in the
            // taxonomy's folder is its term page.
            "author" => old.push(OldTerms {
                kind: TermKind::Authors,
                slugs: author_names(plan)
                    .into_iter()
                    .map(|(slug, name)| {
                        let own = plan.profiles.iter().any(|p| {
                            p.slug == slug && p.source.starts_with(&format!("content/{plural}/"))
                        });
                        let old = if own { slug.clone() } else { urlize(&name) };
                        (slug, old)
                    })
                    .collect(),
                pattern,
                every: true,
            }),
            _ => {}
        }
    }
    // Profile pages in `content/author/` (a section, not a taxonomy).
    if !old.iter().any(|o| o.kind == TermKind::Authors) {
        let pages: Vec<(String, String)> = plan
            .profiles
            .iter()
            .filter(|p| p.source.starts_with("content/author/"))
            .map(|p| (p.slug.clone(), p.slug.clone()))
            .collect();
        if !pages.is_empty() {
            old.push(OldTerms {
                kind: TermKind::Authors,
                pattern: "/author/:slug/".into(),
                slugs: pages,
                every: false,
            });
        }
    }
    plan.term_redirects(&old);
}

/// Reads every Markdown file under `content/` into the plan's entries.
pub fn content_tree(
    fs: &SiteFs,
    plan: &mut Plan,
    flavor: Flavor,
    permalinks: &BTreeMap<String, String>,
    params: &BTreeMap<String, String>,
) {
    let files = markdown_files(fs, "content");
    let mut new_name: BTreeMap<String, String> = BTreeMap::new();
    let mut read: Vec<(Entry, String, PathBuf)> = Vec::new();
    for rel in &files {
        let source = super::rel_str(Path::new(""), rel);
        let inner = rel.strip_prefix("content").unwrap_or(rel).to_path_buf();
        let name = inner
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let first = inner
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        if first == "authors" || first == "author" {
            continue;
        }
        let stem = name.trim_end_matches(".md");
        // index.es.md, post.fr.md: a language other than the site's.
        if let Some((_, lang)) = stem.rsplit_once('.')
            && (2..=5).contains(&lang.len())
            && lang.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
        {
            plan.skipped.push(skip(
                source,
                "translation",
                format!("a translation (\"{lang}\"): Byline has one language per site for now"),
            ));
            continue;
        }
        let (mut e, doc) = match read_entry(fs, rel, "post") {
            Ok(r) => r,
            Err(item) => {
                plan.skipped.push(item);
                continue;
            }
        };
        if name == "_index.md" {
            plan.skipped.push(skip(
                source,
                "section",
                "a section's list page (Byline's theme lists posts itself)",
            ));
            continue;
        }
        let bundle = name == "index.md";
        let file_stem = if bundle {
            inner
                .parent()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        } else {
            stem.to_string()
        };
        let taxonomies = doc
            .front
            .get("taxonomies")
            .and_then(|t| t.as_object())
            .cloned();
        if let Some(t) = &taxonomies {
            e.tags.extend(list_field(t, &["tags"], false));
            e.categories.extend(list_field(t, &["categories"], false));
        }
        let date_keys: &[&str] = match flavor {
            Flavor::Hugo => &["date", "publishDate", "pubdate", "published"],
            Flavor::Zola => &["date"],
        };
        let mut undated = entry_date(&mut e, &doc.front, date_keys, &file_stem);
        // Zola: a `path` that holds a date (`2021/07/04/x`, `2021-07-04-x`)
        // dates a post that has no other date.
        if flavor == Flavor::Zola
            && undated.is_some()
            && let Some(d) = str_field(&doc.front, &["path"]).and_then(|p| path_date(&p))
        {
            e.date = Some(d);
            e.warnings.push("date taken from the `path`".into());
            undated = None;
        }
        let section_dir = inner
            .parent()
            .map(|p| super::rel_str(Path::new(""), p))
            .unwrap_or_default();
        let name_slug = super::date_from_name(&file_stem)
            .map(|(_, r)| r.to_string())
            .unwrap_or(file_stem.clone());
        let slug_src = str_field(&doc.front, &["slug"]).unwrap_or(name_slug.clone());
        // The slug the old site used, for its old URL.
        let old_slug = match flavor {
            Flavor::Hugo => urlize(&slug_src),
            Flavor::Zola => slug_src.clone(),
        };
        e.slug = match flavor {
            Flavor::Hugo => safe_slug(&urlize(&slug_src), &e.title),
            Flavor::Zola => safe_slug(&slug_src, &e.title),
        };
        if e.title.is_empty() {
            e.title = name_slug.replace('-', " ");
            e.warnings
                .push("no title: made one from the file name".into());
        }
        // Authors: `authors`/`author`, Zola's taxonomy and [extra] fields.
        let mut front = doc.front.clone();
        if let Some(t) = &taxonomies
            && let Some(a) = t.get("authors")
        {
            front.insert("authors".into(), a.clone());
        }
        if let Some(Value::Object(extra)) = doc.front.get("extra") {
            for k in ["author", "authors"] {
                if let Some(v) = extra.get(k)
                    && !front.contains_key("authors")
                {
                    front.insert("authors".into(), v.clone());
                }
            }
        }
        if let Some(Value::Object(p)) = doc.front.get("params") {
            for k in ["author", "authors"] {
                if let Some(v) = p.get(k)
                    && !front.contains_key("authors")
                {
                    front.insert("authors".into(), v.clone());
                }
            }
        }
        let old_url = match flavor {
            Flavor::Hugo => str_field(&doc.front, &["url"]),
            Flavor::Zola => str_field(&doc.front, &["path"]),
        };
        let top = section_dir.split('/').next().unwrap_or("").to_string();
        let is_post = undated.is_none();
        if is_post {
            set_authors(&mut e, &front, &plan.profiles);
            // The cover: `image`, the first of `images`, `featured_image`,
            // or Zola's [extra] image.
            e.image = str_field(
                &doc.front,
                &["image", "featured_image", "cover", "featureImage"],
            )
            .or_else(|| {
                list_field(&doc.front, &["images"], false)
                    .into_iter()
                    .next()
            })
            .or_else(|| {
                doc.front
                    .get("extra")
                    .and_then(|x| x.as_object())
                    .and_then(|x| str_field(x, &["image", "cover"]))
            });
            e.old_path = Some(match &old_url {
                Some(u) => super::dir_path(u),
                None => match permalinks.get(&top) {
                    Some(p) => hugo_permalink(p, &e, &old_slug, &section_dir),
                    None if section_dir.is_empty() => format!("/{old_slug}/"),
                    None => format!("/{section_dir}/{old_slug}/"),
                },
            });
        } else {
            e.page = true;
            let path = old_url.clone().unwrap_or_else(|| {
                if section_dir.is_empty() || bundle {
                    format!(
                        "/{}/",
                        if bundle {
                            section_dir.clone()
                        } else {
                            e.slug.clone()
                        }
                    )
                } else {
                    format!("/{section_dir}/{}/", e.slug)
                }
            });
            e.page_path = path
                .trim_matches('/')
                .split('/')
                .map(|c| safe_slug(c, "page"))
                .collect::<Vec<_>>()
                .join("/");
            if e.page_path.is_empty() {
                plan.skipped
                    .push(skip(source, "page", "the home page (the theme makes it)"));
                continue;
            }
            e.old_path = Some(path);
        }
        if bundle && is_post {
            // The bundle's resources go beside the new index.md.
            let mut diags = Vec::new();
            let dir = rel.parent().unwrap_or(Path::new("content")).to_path_buf();
            for f in fs.files(&dir, &mut diags) {
                let Ok(r) = f.strip_prefix(fs.root()) else {
                    continue;
                };
                if r.extension().and_then(|x| x.to_str()) == Some("md") {
                    continue;
                }
                let inside = super::rel_str(&dir, r);
                if let Ok(bytes) = fs.read_bytes(r) {
                    e.files.push((inside, bytes));
                }
            }
            e.bundle = true;
        }
        new_name.insert(source.clone(), target_name(&e));
        new_name.insert(super::rel_str(Path::new(""), &inner), target_name(&e));
        read.push((e, doc.body, inner));
    }
    for (mut e, body, _inner) in read {
        let from_page = e.page;
        let from_bundle = e.bundle;
        let link = |target: &str| -> String {
            let t = target.trim().trim_matches(['"', '\'']);
            let (t, anchor) = match t.find('#') {
                Some(h) => (&t[..h], &t[h..]),
                None => (t, ""),
            };
            let key = t.trim_start_matches('/').trim_start_matches("content/");
            let hit = new_name
                .get(key)
                .or_else(|| new_name.get(&format!("{key}.md")))
                .or_else(|| new_name.get(&format!("{}/index.md", key.trim_end_matches('/'))))
                .or_else(|| {
                    new_name
                        .iter()
                        .find(|(k, _)| k.ends_with(&format!("/{key}")))
                        .map(|(_, v)| v)
                });
            match hit {
                Some(n) => format!("{}{anchor}", relative(n, from_page, from_bundle)),
                None => format!("{t}{anchor}"),
            }
        };
        let mut body = shortcodes(&body, &link, params, &mut e.warnings);
        if flavor == Flavor::Zola {
            body = zola_links(&body, &link);
        }
        e.body = body;
        if e.bundle {
            // Pictures relative to the bundle stay relative: they moved with it.
        }
        plan.entries.push(e);
    }
}

/// The new file of an entry, relative to `content/`.
fn target_name(e: &Entry) -> String {
    super::entry_file(e)
        .trim_start_matches("content/")
        .to_string()
}

/// A link from an entry (a post in `posts/`, a bundle in `posts/<slug>/`, or
/// a page) to `to` (relative to `content/`).
fn relative(to: &str, from_page: bool, from_bundle: bool) -> String {
    if from_page {
        to.to_string()
    } else if from_bundle {
        format!("../../{to}")
    } else {
        format!("../{to}")
    }
}

/// A Hugo `[permalinks]` pattern (`/:year/:month/:slug/`) filled for `e`.
fn hugo_permalink(p: &str, e: &Entry, slug: &str, section: &str) -> String {
    let d = e.date.unwrap_or_default();
    let out = p
        .replace(":year", &d.format("%Y").to_string())
        .replace(":month", &d.format("%m").to_string())
        .replace(":day", &d.format("%d").to_string())
        .replace(":slug", slug)
        .replace(":title", slug)
        .replace(":filename", slug)
        .replace(":contentbasename", slug)
        .replace(":section", section.split('/').next().unwrap_or(""));
    super::dir_path(&out)
}

/// The date a URL path holds: `2021/07/04/…` or `2021-07-04-…`, anywhere in
/// it.
fn path_date(path: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    parts.iter().enumerate().find_map(|(i, p)| {
        if let Some((d, _)) = super::date_from_name(p) {
            return Some(d);
        }
        let [y, m, d] = parts.get(i..i + 3)? else {
            return None;
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        super::parse_any_date(&format!("{y}-{m}-{d}"))
    })
}
