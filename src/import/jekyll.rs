//! Jekyll sites: `_config.yml` (title, url, baseurl, permalink), posts in
//! `_posts/` (dates from the front matter or the file name), pages at the
//! top level, authors from `_data/authors.yml` and an `_authors` collection,
//! Liquid handled by `convert::liquid` (never evaluated) and pictures from
//! `assets/` (any site-absolute path, in fact) copied across.

use std::collections::BTreeMap;
use std::path::Path;

use super::convert::{kramdown_ials, liquid};
use super::folder::{
    add_profile_page, config, data_profiles, entry_date, markdown_files, read_entry, set_authors,
    site_fields, site_files, skip, str_field,
};
use super::terms::{OldTerms, TermKind, jekyll_slug, term_slugs};
use super::{Entry, Plan, safe_slug};
use crate::diag::Diagnostic;
use crate::sitefs::SiteFs;

/// Jekyll's named permalink styles, as patterns.
fn style(p: &str) -> String {
    match p {
        "date" | "" => "/:categories/:year/:month/:day/:title.html".into(),
        "pretty" => "/:categories/:year/:month/:day/:title/".into(),
        "ordinal" => "/:categories/:year/:y_day/:title.html".into(),
        "none" => "/:categories/:title.html".into(),
        other => other.into(),
    }
}

/// The URL Jekyll gave a post under `pattern`.
fn jekyll_path(pattern: &str, e: &Entry, title: &str) -> Option<String> {
    let d = e.date?;
    let cats: Vec<String> = e
        .categories
        .iter()
        .map(|c| super::safe_slug(c, c))
        .collect();
    let mut p = pattern
        .replace(":categories", &cats.join("/"))
        .replace(":year", &d.format("%Y").to_string())
        .replace(":month", &d.format("%m").to_string())
        .replace(":i_month", &d.format("%-m").to_string())
        .replace(":day", &d.format("%d").to_string())
        .replace(":i_day", &d.format("%-d").to_string())
        .replace(":y_day", &d.format("%j").to_string())
        .replace(":title", title)
        .replace(":slug", &e.slug)
        .replace(":output_ext", ".html");
    while p.contains("//") {
        p = p.replace("//", "/");
    }
    Some(p)
}

/// Reads the Jekyll site in `fs` into a plan.
pub fn read(fs: &SiteFs) -> Result<Plan, Diagnostic> {
    if !fs.is_dir(Path::new("_posts")) && !fs.is_file(Path::new("_config.yml")) {
        return Err(
            Diagnostic::error("not a Jekyll site: no _config.yml and no _posts/")
                .in_file(fs.root())
                .hint("give the folder that holds _config.yml"),
        );
    }
    let cfg = config(fs, &["_config.yml", "_config.yaml"])?;
    let mut plan = Plan {
        kind: "jekyll",
        ..Plan::default()
    };
    site_fields(&mut plan, &cfg, &["url"]);
    let site_url = format!(
        "{}{}",
        str_field(&cfg, &["url"]).unwrap_or_default(),
        str_field(&cfg, &["baseurl"]).unwrap_or_default()
    );
    let pattern = style(&str_field(&cfg, &["permalink"]).unwrap_or_default());

    // Authors: the data file, then the collection.
    data_profiles(fs, "_data/authors.yml", &mut plan);
    for rel in markdown_files(fs, "_authors") {
        let stem = rel
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        add_profile_page(fs, &rel, &mut plan, |doc| {
            let slug = str_field(&doc.front, &["slug", "short_name", "username"]).unwrap_or(stem);
            safe_slug(&slug, "author")
        });
    }

    // Posts first (their new names are what `post_url` links to).
    let posts = markdown_files(fs, "_posts");
    let mut new_name: BTreeMap<String, String> = BTreeMap::new();
    let mut entries = Vec::new();
    for rel in &posts {
        let source = super::rel_str(Path::new(""), rel);
        let (mut e, doc) = match read_entry(fs, rel, "post") {
            Ok(r) => r,
            Err(item) => {
                plan.skipped.push(item);
                continue;
            }
        };
        let stem = rel
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if let Some(why) = entry_date(&mut e, &doc.front, &["date"], &stem) {
            plan.skipped.push(skip(source, "post", why));
            continue;
        }
        let title_part = super::date_from_name(&stem)
            .map(|(_, r)| r.to_string())
            .unwrap_or(stem.clone());
        e.slug = safe_slug(
            &str_field(&doc.front, &["slug"]).unwrap_or(title_part.clone()),
            &e.title,
        );
        if e.title.is_empty() {
            e.title = title_part.replace('-', " ");
            e.warnings
                .push("no title: made one from the file name".into());
        }
        set_authors(&mut e, &doc.front, &plan.profiles);
        e.image = str_field(&doc.front, &["image", "cover", "featured_image"]);
        e.old_path = str_field(&doc.front, &["permalink"])
            .or_else(|| jekyll_path(&pattern, &e, &title_part));
        new_name.insert(stem.clone(), format!("{}.md", e.slug));
        new_name.insert(source.clone(), format!("{}.md", e.slug));
        entries.push((e, doc.body));
    }
    // Pages: Markdown files at the top level.
    let mut pages = Vec::new();
    for rel in markdown_files(fs, "") {
        let source = super::rel_str(Path::new(""), &rel);
        if source.starts_with('_') || source.contains("/_") || source.starts_with("vendor/") {
            continue;
        }
        let name = rel
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_lowercase();
        if ["readme.md", "license.md", "changelog.md", "contributing.md"].contains(&name.as_str()) {
            plan.skipped
                .push(skip(source, "file", "a repository file, not a page"));
            continue;
        }
        let (mut e, doc) = match read_entry(fs, &rel, "page") {
            Ok(r) => r,
            Err(item) => {
                plan.skipped.push(item);
                continue;
            }
        };
        e.page = true;
        let stem = rel.with_extension("").to_string_lossy().into_owned();
        if stem == "index" {
            plan.skipped
                .push(skip(source, "page", "the home page (the theme makes it)"));
            continue;
        }
        let path = str_field(&doc.front, &["permalink"]).unwrap_or(format!("/{stem}/"));
        e.page_path = path
            .trim_matches('/')
            .trim_end_matches(".html")
            .split('/')
            .map(|c| safe_slug(c, "page"))
            .collect::<Vec<_>>()
            .join("/");
        if e.title.is_empty() {
            e.title = stem.clone();
        }
        e.old_path = Some(path);
        new_name.insert(source.clone(), format!("../{}.md", e.page_path));
        pages.push((e, doc.body));
    }
    let link = |from_page: bool| {
        let new_name = &new_name;
        move |target: &str| -> String {
            let t = target.trim().trim_matches(['"', '\'']);
            let key = t.trim_start_matches("_posts/").trim_end_matches(".md");
            match new_name
                .get(t)
                .or_else(|| new_name.get(key))
                .or_else(|| new_name.get(&format!("_posts/{key}.md")))
            {
                Some(n) if from_page => n
                    .strip_prefix("../")
                    .map(str::to_string)
                    .unwrap_or(format!("posts/{n}")),
                Some(n) => n.clone(),
                // Not a post or page of the import: the tag stays as text
                // (its spaces keep Markdown from reading it as a link).
                None => format!("{{% link {t} %}}"),
            }
        }
    };
    for (mut e, body) in entries.into_iter().chain(pages) {
        let l = link(e.page);
        let body = liquid(&body, &site_url, &l, &mut e.warnings);
        e.body = kramdown_ials(&body, &mut e.warnings);
        if matches!(e.old_path.as_deref(), Some(p) if p.contains("://")) {
            e.old_path = super::url_path(e.old_path.as_deref().unwrap_or(""));
        }
        plan.entries.push(e);
    }
    term_redirects(&mut plan, &cfg);
    plan.files_from = Some(site_files(fs, ""));
    Ok(plan)
}

/// Jekyll's tag and category pages, as the jekyll-archives plugin makes
/// them (`/tag/:name/`, `/category/:name/`, or its configured
/// `permalinks`, for the kinds it has `enabled`), at Jekyll's slug of each
/// name. Jekyll itself makes none; the post URLs that `:categories` shapes
/// are each post's own old URL, kept as aliases.
fn term_redirects(plan: &mut Plan, cfg: &serde_json::Map<String, serde_json::Value>) {
    let archives = cfg.get("jekyll-archives").and_then(|a| a.as_object());
    let enabled = |kind: &str| match archives.and_then(|a| a.get("enabled")) {
        Some(serde_json::Value::Array(list)) => list.iter().any(|v| v.as_str() == Some(kind)),
        Some(serde_json::Value::String(s)) => s == "all" || s == kind,
        _ => true,
    };
    let permalink = |kind: &str, default: &str| -> String {
        archives
            .and_then(|a| a.get("permalinks"))
            .and_then(|p| p.get(kind))
            .and_then(|p| p.as_str())
            .unwrap_or(default)
            .replace(":name", ":slug")
    };
    let mut old = Vec::new();
    for (kind, singular, tk) in [
        ("categories", "category", TermKind::Categories),
        ("tags", "tag", TermKind::Tags),
    ] {
        let pattern = permalink(singular, &format!("/{singular}/:name/"));
        if !enabled(kind) || !pattern.contains(":slug") || !pattern.ends_with('/') {
            continue;
        }
        old.push(OldTerms {
            kind: tk,
            pattern,
            slugs: term_slugs(plan, tk, jekyll_slug),
            every: true,
        });
    }
    plan.term_redirects(&old);
}
