//! Checks beyond what a build needs, for `gen check`: links in the built pages that
//! do not resolve, future dates, long descriptions, tags that look like typos of
//! other tags. They run on the in-memory output, so they see exactly what a build
//! would publish.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, did_you_mean};
use crate::load::Site;
use crate::load::frontmatter::{value_pos_after, value_start};
use crate::render::{Content, Output};

/// Descriptions longer than this are cut by most link previews.
pub const DESCRIPTION_MAX: usize = 300;

/// Runs the extra checks on a built site.
pub fn site_checks(site: &Site, output: &Output) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let now = crate::load::dates::now();
    for p in &site.posts {
        let at = |d: Diagnostic, key: &str| -> Diagnostic {
            let d = d.in_file(&p.source);
            match value_start(&p.text, key) {
                Some((line, col)) => d.at(&p.text, line, col),
                None => d,
            }
        };
        if p.date > now {
            out.push(
                at(
                    Diagnostic::warning(format!(
                        "the date {} is in the future: the post is left out of builds until then",
                        p.date.format("%Y-%m-%d")
                    )),
                    "date",
                )
                .hint("use today's date to publish now, or build with --future"),
            );
        }
        if let Some(d) = &p.description {
            let n = d.chars().count();
            if n > DESCRIPTION_MAX {
                out.push(at(
                    Diagnostic::warning(format!("`description` is {n} characters; previews cut it after about {DESCRIPTION_MAX}")),
                    "description",
                )
                .hint("shorten it to one or two sentences"));
            }
        }
    }
    out.extend(similar_terms(site));
    out.extend(unresolved_links(site, output));
    out
}

/// Tags used once that are one typo away from a tag used more often.
fn similar_terms(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (key, get) in [
        (
            "tags",
            (|p: &crate::load::Post| &p.tags) as fn(&crate::load::Post) -> &Vec<String>,
        ),
        ("categories", |p| &p.categories),
    ] {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for p in &site.posts {
            for t in get(p) {
                *counts.entry(t.to_lowercase()).or_default() += 1;
            }
        }
        for p in &site.posts {
            for t in get(p) {
                let lower = t.to_lowercase();
                if counts[&lower] > 1 {
                    continue;
                }
                let others = counts
                    .iter()
                    .filter(|(k, c)| **c > 1 && **k != lower)
                    .map(|(k, _)| k.as_str());
                if let Some(s) = did_you_mean(&lower, others) {
                    let mut d = Diagnostic::warning(format!(
                        "the {key} value \"{t}\" is used only here; did you mean \"{s}\"?"
                    ))
                    .in_file(&p.source)
                    .hint(format!(
                        "\"{s}\" is used by other posts; reuse it so readers find related posts"
                    ));
                    if let Some((line, col)) = value_pos_after(&p.text, key, &format!("\"{t}\""))
                        .or_else(|| value_pos_after(&p.text, key, t))
                    {
                        d = d.at(&p.text, line, col);
                    }
                    out.push(d);
                }
            }
        }
    }
    out
}

/// Every `href` and `src` in the output that points into the site but at no file.
fn unresolved_links(site: &Site, output: &Output) -> Vec<Diagnostic> {
    let base = &site.config.base_url;
    let files: BTreeSet<&str> = output.files.keys().map(String::as_str).collect();
    let mut broken: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (page, content) in &output.files {
        let Content::Text(html) = content else {
            continue;
        };
        if !page.ends_with(".html") {
            continue;
        }
        for link in links_in(html) {
            if let Some(target) = internal_target(base, &link)
                && !resolves(&files, &target)
            {
                broken.entry(page.clone()).or_default().insert(link);
            }
        }
    }
    broken
        .into_iter()
        .flat_map(|(page, links)| {
            links.into_iter().map(move |l| {
                Diagnostic::error(format!(
                    "the page {page} links to {l}, which is not in the built site"
                ))
                .hint("fix the link in the content or template that produces this page")
            })
        })
        .collect()
}

/// The values of `href="…"` and `src="…"` attributes in HTML.
pub fn links_in(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let before_ok = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
            rest = &rest[i + attr.len()..];
            let Some(end) = rest.find('"') else { break };
            if before_ok {
                out.push(rest[..end].replace("&amp;", "&"));
            }
            rest = &rest[end..];
        }
    }
    out
}

/// The output path a link points at, when it points into the site.
pub fn internal_target(base_url: &str, link: &str) -> Option<String> {
    let path = if let Some(rest) = link.strip_prefix(base_url) {
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        rest
    } else if link.starts_with('/') && !link.starts_with("//") {
        link
    } else {
        return None;
    };
    let path = path.split(['#', '?']).next().unwrap_or("");
    Some(
        percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// Whether an output path (from a link) names a file of the output.
pub fn resolves(files: &BTreeSet<&str>, path: &str) -> bool {
    let p = path.trim_start_matches('/');
    p.is_empty() && files.contains("index.html")
        || files.contains(p)
        || (p.ends_with('/') && files.contains(format!("{p}index.html").as_str()))
}
