//! Checks beyond what a build needs, for `gen check`: links in the built pages that
//! do not resolve, future dates, long descriptions. They run on what the
//! pipeline renders (its file paths and the links of its pages, gathered as
//! it renders: [`LinkIndex`]), so they see exactly what a build would publish. Tags that look like
//! typos of other tags ([`similar_terms`]) need only the loaded site: every build
//! and check reports them, even when other files have errors.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use crate::diag::{Diagnostic, Kind};
use crate::load::Site;
use crate::render::{Content, Sink};
use crate::text::position::{value_pos_after, value_start};

pub use crate::load::DESCRIPTION_MAX;

/// Runs the extra checks on a built site.
pub fn site_checks(site: &Site, links: &LinkIndex) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let now = crate::load::dates::now();
    for p in &site.posts {
        let at = |d: Diagnostic, key: &str| -> Diagnostic {
            let d = d.in_file(&p.source);
            // Without the text (the file changed since), no line to show.
            let Ok(text) = p.text() else { return d };
            match value_start(&text, key) {
                Some((line, col)) => d.at(&text, line, col),
                None => d,
            }
        };
        if p.date > now {
            out.push(
                at(
                    Diagnostic::warning(format!(
                        "the date {} is in the future: the post is left out of builds until then",
                        p.date.format("%Y-%m-%d")
                    ))
                    .kind(Kind::FutureDate),
                    "date",
                )
                .hint("use today's date to publish now, or build with --future"),
            );
        }
        if let Some(d) = &p.description {
            let n = d.chars().count();
            if n > DESCRIPTION_MAX {
                out.push(at(
                    Diagnostic::warning(format!("`description` is {n} characters; previews cut it after about {DESCRIPTION_MAX}")).kind(Kind::LongDescription),
                    "description",
                )
                .hint("shorten it to one or two sentences"));
            }
        }
    }
    out.extend(unresolved_links(site, links));
    out
}

/// Tags and categories that look like a typo of one other posts use. The rule,
/// documented in docs/content.md:
///
/// - the suspect value is used by this post only, the other by at least two;
/// - they differ by one edit (a letter added, dropped or changed, or two
///   neighbours swapped), and the suspect has at least four characters (`ai`
///   and `ui` are different words);
/// - they do not differ only in digits (`rust-2023`, `rust-2024`) and neither
///   is a word of the other (`guest-writing` is a topic of its own, not a
///   misspelt `writing`).
///
/// Values compare without case. It needs only the loaded posts, so it runs with
/// every build and check, even one with errors elsewhere.
pub fn similar_terms(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (key, get) in [
        (
            "tags",
            (|p: &crate::load::Post| &p.tags) as fn(&crate::load::Post) -> &Vec<String>,
        ),
        ("categories", |p| &p.categories),
    ] {
        let what = if key == "tags" { "tag" } else { "category" };
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for p in &site.posts {
            let mine: BTreeSet<String> = get(p).iter().map(|t| t.to_lowercase()).collect();
            for t in mine {
                *counts.entry(t).or_default() += 1;
            }
        }
        for p in &site.posts {
            for t in get(p) {
                let lower = t.to_lowercase();
                if counts[&lower] > 1 {
                    continue;
                }
                let Some((s, n)) = counts
                    .iter()
                    .filter(|(k, c)| **c > 1 && looks_like_typo(&lower, k))
                    .map(|(k, c)| (k.as_str(), *c))
                    .min_by_key(|(k, c)| (strsim::damerau_levenshtein(&lower, k), usize::MAX - c))
                else {
                    continue;
                };
                let mut d = Diagnostic::warning(format!(
                    "the {what} \"{t}\" is used by this post only; did you mean \"{s}\" ({n} posts)?"
                ))
                .kind(Kind::SimilarTag)
                .in_file(&p.source)
                .hint(format!(
                    "write \"{s}\" so readers find the related posts; keep \"{t}\" if it is a new {what}"
                ));
                let text = p.text().unwrap_or_default();
                if let Some((line, col)) = value_pos_after(&text, key, &format!("\"{t}\""))
                    .or_else(|| value_pos_after(&text, key, t))
                {
                    d = d.at(&text, line, col);
                }
                out.push(d);
            }
        }
    }
    out
}

/// Whether `suspect` looks like a misspelling of `established` (both lowercase),
/// by the rule of [`similar_terms`].
pub fn looks_like_typo(suspect: &str, established: &str) -> bool {
    if suspect.chars().count() < 4
        || suspect == established
        || strsim::damerau_levenshtein(suspect, established) > 1
    {
        return false;
    }
    let strip = |s: &str| {
        s.chars()
            .filter(|c| !c.is_ascii_digit())
            .collect::<String>()
    };
    if strip(suspect) == strip(established) {
        return false;
    }
    let is_word_of = |whole: &str, part: &str| {
        whole
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == part)
    };
    !(is_word_of(suspect, established) || is_word_of(established, suspect))
}

/// Every `href` and `src` in the output that points into the site but at no file.
/// What `gen check` keeps of a build's output: the paths of its files and
/// the internal links of its HTML pages, not the pages themselves (a
/// 10,000-post site renders to gigabytes of HTML). A [`Sink`] the pipeline
/// renders into.
pub struct LinkIndex {
    base_url: String,
    state: Mutex<LinkState>,
}

#[derive(Default)]
struct LinkState {
    files: BTreeSet<String>,
    /// The HTML pages, by number.
    pages: Vec<String>,
    /// Each internal link as written (`&amp;` decoded), with the pages
    /// that have it.
    links: HashMap<String, Vec<u32>>,
}

impl LinkIndex {
    pub fn new(base_url: &str) -> LinkIndex {
        LinkIndex {
            base_url: base_url.to_string(),
            state: Mutex::new(LinkState::default()),
        }
    }
}

impl Sink for LinkIndex {
    fn put(&self, path: &str, content: Content) -> std::io::Result<()> {
        // Read outside the lock: pages come from every thread at once.
        let links: Vec<String> = match &content {
            Content::Text(html) if path.ends_with(".html") => links_in(html)
                .into_iter()
                .filter(|l| internal_target(&self.base_url, l).is_some())
                .collect(),
            _ => Vec::new(),
        };
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.files.insert(path.to_string());
        if path.ends_with(".html") && matches!(content, Content::Text(_)) {
            let page = state.pages.len() as u32;
            state.pages.push(path.to_string());
            for link in links {
                let on = state.links.entry(link).or_default();
                if on.last() != Some(&page) {
                    on.push(page);
                }
            }
        }
        Ok(())
    }
}

/// Links in built pages that name no file of the output.
fn unresolved_links(site: &Site, index: &LinkIndex) -> Vec<Diagnostic> {
    let base = &site.config.base_url;
    let state = index.state.lock().unwrap_or_else(|e| e.into_inner());
    let files: BTreeSet<&str> = state.files.iter().map(String::as_str).collect();
    let mut broken: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (link, pages) in &state.links {
        if let Some(target) = internal_target(base, link)
            && !resolves(&files, &target)
        {
            for &page in pages {
                broken
                    .entry(&state.pages[page as usize])
                    .or_default()
                    .insert(link);
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
                .kind(Kind::BrokenLink)
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

#[cfg(test)]
mod tests {
    use super::looks_like_typo;

    #[test]
    fn typos_of_established_tags() {
        for (suspect, established) in [
            ("comunity", "community"),
            ("comminity", "community"),
            ("mentorign", "mentoring"),
            ("rituls", "rituals"),
            ("documentaion", "documentation"),
            ("tool", "tools"),
        ] {
            assert!(
                looks_like_typo(suspect, established),
                "{suspect} {established}"
            );
        }
    }

    #[test]
    fn deliberate_tags_are_not_typos() {
        for (suspect, established) in [
            ("guest-writing", "writing"),
            ("writing", "guest-writing"),
            ("remote", "remote-first"),
            ("rust-2023", "rust-2024"),
            ("ai", "ui"),
            ("css", "cs"),
            ("guilds", "rituals"),
            ("onboarding", "offboarding"),
            ("community", "community"),
        ] {
            assert!(
                !looks_like_typo(suspect, established),
                "{suspect} {established}"
            );
        }
    }
}
