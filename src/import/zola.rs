//! Zola sites: `config.toml` (title, base_url, description), `+++` TOML
//! front matter, the `path` field (the old URL, and the date when it holds
//! one), `[taxonomies] authors` and `[extra]` author fields, `@/path.md`
//! internal links and `{{ shortcode() }}` / `{% body() %}` shortcodes. The
//! content tree is read as Hugo's is (`hugo::content_tree`).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::Plan;
use super::folder::{config, site_fields, site_files};
use super::hugo::{Flavor, content_tree};
use super::terms::{OldTerms, TermKind, author_names, term_slugs};
use crate::diag::Diagnostic;
use crate::sitefs::SiteFs;

/// Reads the Zola site in `fs` into a plan.
pub fn read(fs: &SiteFs) -> Result<Plan, Diagnostic> {
    if !fs.is_file(Path::new("config.toml")) && !fs.is_file(Path::new("zola.toml")) {
        return Err(Diagnostic::error("not a Zola site: no config.toml")
            .in_file(fs.root())
            .hint("give the folder that holds config.toml and content/"));
    }
    let cfg = config(fs, &["zola.toml", "config.toml"])?;
    let mut plan = Plan {
        kind: "zola",
        ..Plan::default()
    };
    site_fields(&mut plan, &cfg, &["base_url"]);
    let params: BTreeMap<String, String> = cfg
        .get("extra")
        .and_then(|p| p.as_object())
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.to_lowercase(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    content_tree(fs, &mut plan, Flavor::Zola, &BTreeMap::new(), &params);
    term_redirects(&mut plan, &cfg);
    plan.files_from = Some(site_files(fs, "static"));
    Ok(plan)
}

/// Zola's taxonomy pages: `/<name>/<slug>/` for each `[[taxonomies]]` of
/// the config, the slug made as `[slugify] taxonomies` says (`on`, the
/// default: ASCII; `safe`; `off`). Kept working where they differ from
/// Byline's pages.
fn term_redirects(plan: &mut Plan, cfg: &Map<String, Value>) {
    let strategy = cfg
        .get("slugify")
        .and_then(|s| s.get("taxonomies"))
        .and_then(|s| s.as_str())
        .unwrap_or("on")
        .to_string();
    let old_slug = |name: &str| -> String {
        match strategy.as_str() {
            "off" => name.to_string(),
            // Characters that are unsafe in paths go, whitespace is a hyphen.
            "safe" => name
                .trim()
                .chars()
                .filter(|c| !"<>:/|?*#\\\"".contains(*c))
                .map(|c| if c.is_whitespace() { '-' } else { c })
                .collect(),
            _ => slug::slugify(name),
        }
    };
    let names: Vec<String> = match cfg.get("taxonomies") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|t| t.get("name")?.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let mut old = Vec::new();
    for name in names {
        let pattern = format!("/{name}/:slug/");
        let (kind, slugs) = match name.as_str() {
            "tags" => (TermKind::Tags, term_slugs(plan, TermKind::Tags, old_slug)),
            "categories" => (
                TermKind::Categories,
                term_slugs(plan, TermKind::Categories, old_slug),
            ),
            "authors" => (
                TermKind::Authors,
                author_names(plan)
                    .into_iter()
                    .map(|(slug, n)| (slug, old_slug(&n)))
                    .collect(),
            ),
            _ => continue,
        };
        old.push(OldTerms {
            kind,
            pattern,
            slugs,
            every: true,
        });
    }
    plan.term_redirects(&old);
}
