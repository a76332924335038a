//! Zola sites: `config.toml` (title, base_url, description), `+++` TOML
//! front matter, the `path` field (the old URL, and the date when it holds
//! one), `[taxonomies] authors` and `[extra]` author fields, `@/path.md`
//! internal links and `{{ shortcode() }}` / `{% body() %}` shortcodes. The
//! content tree is read as Hugo's is (`hugo::content_tree`).

use std::collections::BTreeMap;
use std::path::Path;

use super::Plan;
use super::folder::{config, site_fields, site_files};
use super::hugo::{Flavor, content_tree};
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
    plan.files_from = Some(site_files(fs, "static"));
    Ok(plan)
}
