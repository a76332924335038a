//! The old site's tag, category and author pages, kept working: each source
//! says where its generator put them (WordPress `/tag/x/`, Jekyll's archive
//! pages, Hugo's and Zola's taxonomies) and which slug each term had there;
//! this makes the `[redirects]` entries, for every source alike. A pattern
//! entry (`tags = "/tag/:slug/"`) where the old shape differs from Byline's,
//! and one entry per term whose old slug is not Byline's. No entry points at
//! itself, and none takes the path of one of the site's own term pages.

use std::collections::BTreeSet;

use super::Plan;
use crate::routes::{Route, Taxonomy, redirect_pattern_path};

/// Which pages: the key of `[redirects]` and Byline's pages of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    Authors,
    Categories,
    Tags,
}

impl TermKind {
    /// The `[redirects]` key.
    fn key(self) -> &'static str {
        match self {
            TermKind::Authors => "authors",
            TermKind::Categories => "categories",
            TermKind::Tags => "tags",
        }
    }

    /// Byline's page of a term (or author) slug.
    fn page(self, slug: &str) -> String {
        match self {
            TermKind::Authors => Route::Author(slug.to_string(), 1).path(),
            TermKind::Categories => Route::Term(Taxonomy::Categories, slug.to_string(), 1).path(),
            TermKind::Tags => Route::Term(Taxonomy::Tags, slug.to_string(), 1).path(),
        }
    }
}

/// How the old site addressed one kind of page.
#[derive(Debug, Clone)]
pub struct OldTerms {
    pub kind: TermKind,
    /// The old page of a term, with `:slug` (`/tag/:slug/`).
    pub pattern: String,
    /// Each term: Byline's slug, and the slug the old site used.
    pub slugs: Vec<(String, String)>,
    /// Whether every term of the kind had an old page (a pattern entry
    /// covers them) or only those in `slugs` (one entry each).
    pub every: bool,
}

impl Plan {
    /// Adds the `[redirects]` entries that keep the old term pages working:
    /// the patterns first, then the single paths.
    pub fn term_redirects(&mut self, old: &[OldTerms]) {
        let mut singles: Vec<(String, String)> = Vec::new();
        let mut seen: BTreeSet<String> = self.redirects.iter().map(|r| r.0.clone()).collect();
        for o in old {
            let ours_pattern = o.kind.page(":slug");
            let differs = o.pattern != ours_pattern;
            // The site's own pages of this kind, and the old-shape paths the
            // pattern makes: a single entry may take none of them.
            let mut taken: BTreeSet<String> =
                o.slugs.iter().map(|(ours, _)| o.kind.page(ours)).collect();
            if differs && o.every {
                taken.extend(
                    o.slugs
                        .iter()
                        .map(|(ours, _)| redirect_pattern_path(&o.pattern, ours)),
                );
                if seen.insert(o.kind.key().to_string()) {
                    self.redirects
                        .push((o.kind.key().to_string(), o.pattern.clone()));
                }
            }
            for (ours, olds) in &o.slugs {
                if olds.is_empty() || ours.is_empty() || (differs && o.every && olds == ours) {
                    continue;
                }
                let from = redirect_pattern_path(&o.pattern, olds);
                let to = o.kind.page(ours);
                if from == to || taken.contains(&from) || !seen.insert(from.clone()) {
                    continue;
                }
                singles.push((from, to));
            }
        }
        self.redirects.extend(singles);
    }
}

/// The tags (`kind` Tags) or categories of every entry: Byline's slug of
/// each name, and the old site's (`old` of the name).
pub fn term_slugs(
    plan: &Plan,
    kind: TermKind,
    old: impl Fn(&str) -> String,
) -> Vec<(String, String)> {
    plan.entries
        .iter()
        .flat_map(|e| match kind {
            TermKind::Tags => e.tags.iter(),
            _ => e.categories.iter(),
        })
        .map(|t| (crate::text::slug::slugify(t), old(t)))
        .collect()
}

/// Every author of the plan by slug and name: the profiles, and the names
/// posts give that have none yet (their profiles are made by `finish`).
pub fn author_names(plan: &Plan) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = plan
        .profiles
        .iter()
        .map(|p| (p.slug.clone(), p.name.clone()))
        .collect();
    for e in &plan.entries {
        for (slug, name) in &e.new_authors {
            // `slug\0website` carries a link, not a name.
            if !slug.contains('\0') && !out.iter().any(|(s, _)| s == slug) {
                out.push((slug.clone(), name.clone()));
            }
        }
    }
    out
}

/// Jekyll's `slugify` in its default mode, which archive pages use:
/// lowercase, every run of characters other than letters and digits a
/// hyphen, none at the ends.
pub fn jekyll_slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn only_where_the_old_page_differs() {
        let mut plan = Plan::default();
        plan.term_redirects(&[
            OldTerms {
                kind: TermKind::Tags,
                pattern: "/tag/:slug/".into(),
                slugs: pairs(&[("team-rituals", "rituals-of-teams"), ("rust", "rust")]),
                every: true,
            },
            OldTerms {
                kind: TermKind::Categories,
                pattern: "/categories/:slug/".into(),
                // The same shape: only the term whose slug differs; an old
                // slug that is another category's page is not taken over.
                slugs: pairs(&[("café", "cafe"), ("cafe", "cafe"), ("news", "news")]),
                every: true,
            },
        ]);
        assert_eq!(
            plan.redirects,
            pairs(&[
                ("tags", "/tag/:slug/"),
                ("/tag/rituals-of-teams/", "/tags/team-rituals/"),
            ])
        );
        let mut plan = Plan::default();
        plan.term_redirects(&[OldTerms {
            kind: TermKind::Categories,
            pattern: "/categories/:slug/".into(),
            slugs: pairs(&[("café", "cafe"), ("news", "news")]),
            every: true,
        }]);
        assert_eq!(
            plan.redirects,
            pairs(&[("/categories/cafe/", "/categories/café/")])
        );
        // Only some authors had a page: one entry each, no pattern.
        let mut plan = Plan::default();
        plan.term_redirects(&[OldTerms {
            kind: TermKind::Authors,
            pattern: "/author/:slug/".into(),
            slugs: pairs(&[("ana", "ana")]),
            every: false,
        }]);
        assert_eq!(plan.redirects, pairs(&[("/author/ana/", "/authors/ana/")]));
    }

    #[test]
    fn jekyll_slugs() {
        assert_eq!(jekyll_slug("C'est la vie!"), "c-est-la-vie");
        assert_eq!(jekyll_slug("  Café Notes "), "café-notes");
    }
}
