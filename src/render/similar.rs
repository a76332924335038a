//! "Writes about the same things": for each author, up to `[authors]
//! similar_limit` other authors who wrote about the same tags and categories,
//! best first, with the topics they share.
//!
//! The score of another author is the weighted number of terms both used: a
//! shared tag counts [`TAG_WEIGHT`], a shared category [`CATEGORY_WEIGHT`]
//! (categories are few and broad on most sites, so sharing one says less
//! than sharing a tag). How many posts each wrote with it does not count:
//! one guest post on a topic makes its author someone to meet. Equal scores
//! go by name (case-insensitive, then as written), then by slug, so every
//! build chooses the same.
//!
//! Made from the indices' lists, never from pairs of posts: [`Affinity`]
//! lists, once per build, the authors of each term (one pass over each
//! term's posts) and the terms of each author; an author's ranking then
//! visits, for each of their terms, the authors of that term. The whole site
//! costs the posts × their terms and authors once, plus, per author, the sum
//! of the author counts of their terms.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::Value;

use super::context::TermValue;
use super::{Indices, Prepared};
use crate::load::Site;
use crate::routes::Taxonomy;

/// What a shared tag adds to another author's score.
pub const TAG_WEIGHT: u32 = 2;
/// What a shared category adds.
pub const CATEGORY_WEIGHT: u32 = 1;
/// How many shared topics each similar author names.
pub const TOPICS: usize = 3;

/// The taxonomies that count, with their weights.
const COUNTED: [(Taxonomy, u32); 2] = [
    (Taxonomy::Tags, TAG_WEIGHT),
    (Taxonomy::Categories, CATEGORY_WEIGHT),
];

/// Another author who writes about the same things as one author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Similar<'a> {
    /// Their slug.
    pub slug: &'a str,
    /// The weighted number of shared terms.
    pub score: u32,
    /// Every shared term as (taxonomy, index in [`Indices::taxonomy`]),
    /// most telling first: tags before categories, then the terms fewer
    /// authors used, then by slug.
    pub shared: Vec<(Taxonomy, usize)>,
}

/// Another author's score so far and the terms they share, as found.
type Found = (u32, Vec<(Taxonomy, usize)>);

/// The authors of each term and the terms of each author, for the rankings.
pub struct Affinity<'a> {
    /// The authors with a profile, by slug (their ids are positions here).
    slugs: Vec<&'a str>,
    /// Each author's name as compared for ties: lowercased, then as written.
    names: Vec<(String, &'a str)>,
    /// Each author's terms, in (taxonomy, term index) order.
    terms_of: Vec<Vec<(Taxonomy, usize)>>,
    /// Per counted taxonomy (in [`COUNTED`] order), per term: the ids of
    /// its authors, sorted.
    authors_of: [Vec<Vec<usize>>; 2],
}

impl<'a> Affinity<'a> {
    /// One pass over the posts of each tag and category.
    pub fn new(site: &'a Site, indices: &Indices) -> Affinity<'a> {
        let authors: Vec<(&'a str, &'a str)> = site
            .authors
            .values()
            .map(|a| (a.slug.as_str(), a.name.as_str()))
            .collect();
        let ids: HashMap<&str, usize> = authors
            .iter()
            .enumerate()
            .map(|(i, (s, _))| (*s, i))
            .collect();
        let lists = COUNTED.map(|(t, _)| {
            indices
                .taxonomy(t)
                .iter()
                .map(|term| {
                    term.posts
                        .iter()
                        .flat_map(|&p| &site.posts[p].authors)
                        .filter_map(|a| ids.get(a.as_str()).copied())
                        .collect()
                })
                .collect()
        });
        Affinity::from_lists(authors, lists)
    }

    /// From the authors (slug and name, sorted by slug) and, per counted
    /// taxonomy and term, the ids (positions in `authors`) of its posts'
    /// authors, repeated or not.
    fn from_lists(authors: Vec<(&'a str, &'a str)>, mut lists: [Vec<Vec<usize>>; 2]) -> Self {
        let mut terms_of: Vec<Vec<(Taxonomy, usize)>> = vec![Vec::new(); authors.len()];
        for ((t, _), terms) in COUNTED.iter().zip(&mut lists) {
            for (ti, ids) in terms.iter_mut().enumerate() {
                ids.sort_unstable();
                ids.dedup();
                for &a in ids.iter() {
                    terms_of[a].push((*t, ti));
                }
            }
        }
        Affinity {
            slugs: authors.iter().map(|(s, _)| *s).collect(),
            names: authors
                .iter()
                .map(|(_, n)| (n.to_lowercase(), *n))
                .collect(),
            terms_of,
            authors_of: lists,
        }
    }

    fn authors(&self, t: Taxonomy, ti: usize) -> &[usize] {
        let k = usize::from(t != Taxonomy::Tags);
        &self.authors_of[k][ti]
    }

    /// Up to `limit` authors who write about the same things as `slug`,
    /// best first; never `slug` itself.
    pub fn similar(&self, slug: &str, limit: usize) -> Vec<Similar<'a>> {
        let Ok(me) = self.slugs.binary_search(&slug) else {
            return Vec::new();
        };
        if limit == 0 {
            return Vec::new();
        }
        let mut found: HashMap<usize, Found> = HashMap::new();
        for &(t, ti) in &self.terms_of[me] {
            let weight = if t == Taxonomy::Tags {
                TAG_WEIGHT
            } else {
                CATEGORY_WEIGHT
            };
            for &other in self.authors(t, ti) {
                if other != me {
                    let entry = found.entry(other).or_default();
                    entry.0 += weight;
                    entry.1.push((t, ti));
                }
            }
        }
        let mut ranked: Vec<(usize, Found)> = found.into_iter().collect();
        ranked.sort_unstable_by(|(a, (sa, _)), (b, (sb, _))| {
            (Reverse(sa), &self.names[*a], a).cmp(&(Reverse(sb), &self.names[*b], b))
        });
        ranked.truncate(limit);
        ranked
            .into_iter()
            .map(|(other, (score, mut shared))| {
                // In (taxonomy, slug) order already: the sort is stable.
                shared.sort_by_key(|&(t, ti)| (t, self.authors(t, ti).len()));
                Similar {
                    slug: self.slugs[other],
                    score,
                    shared,
                }
            })
            .collect()
    }

    /// Every author's ranking, by slug.
    pub fn all(&self, limit: usize) -> BTreeMap<&'a str, Vec<Similar<'a>>> {
        self.slugs
            .iter()
            .map(|s| (*s, self.similar(s, limit)))
            .collect()
    }
}

/// One of `similar_authors` on `author.html`.
#[derive(Debug, Clone, Serialize)]
pub struct SimilarAuthorValue<'a> {
    /// The other author, as on the authors page.
    pub author: Value,
    /// The weighted number of shared terms.
    pub score: u32,
    /// How many tags and categories both used.
    pub shared_count: usize,
    /// Up to [`TOPICS`] of them, most telling first.
    pub topics: Vec<TopicValue<'a>>,
}

/// A shared tag or category: the term, and which taxonomy it is of.
#[derive(Debug, Clone, Serialize)]
pub struct TopicValue<'a> {
    #[serde(flatten)]
    pub term: TermValue<'a>,
    /// `"tags"` or `"categories"`.
    pub taxonomy: &'static str,
}

impl<'a> Prepared<'a> {
    /// The authors who write about the same things as `slug`, best first
    /// (`[authors] similar_limit` of them at most).
    pub fn similar_authors(&self, slug: &str) -> &[Similar<'a>] {
        let all = self.similar.get_or_init(|| {
            Affinity::new(self.site, &self.indices).all(self.site.config.similar_authors_limit)
        });
        all.get(slug).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The `similar_authors` value of an author page.
    pub fn similar_values(&self, similar: &[Similar<'_>]) -> Value {
        let config = &self.site.config;
        let values: Vec<SimilarAuthorValue<'_>> = similar
            .iter()
            .filter_map(|s| {
                let author = self.author_values.get(s.slug)?.clone();
                let topics = s
                    .shared
                    .iter()
                    .take(TOPICS)
                    .map(|&(t, ti)| {
                        let term = &self.indices.taxonomy(t)[ti];
                        TopicValue {
                            term: TermValue::new(
                                config,
                                t,
                                &term.name,
                                &term.slug,
                                term.posts.len(),
                            ),
                            taxonomy: t.name(),
                        }
                    })
                    .collect();
                Some(SimilarAuthorValue {
                    author,
                    score: s.score,
                    shared_count: s.shared.len(),
                    topics,
                })
            })
            .collect();
        super::context::to_value(&values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An affinity of `authors` (slug, name; sorted by slug) whose tags and
    /// categories were used by the authors listed for each term.
    fn affinity<'a>(
        authors: &[(&'a str, &'a str)],
        tags: &[&[&str]],
        categories: &[&[&str]],
    ) -> Affinity<'a> {
        let id = |s: &&str| authors.iter().position(|(a, _)| a == s).unwrap();
        let lists = [tags, categories].map(|terms| {
            terms
                .iter()
                .map(|users| users.iter().map(id).collect())
                .collect()
        });
        Affinity::from_lists(authors.to_vec(), lists)
    }

    const T: Taxonomy = Taxonomy::Tags;
    const C: Taxonomy = Taxonomy::Categories;

    fn ranking<'a>(a: &Affinity<'a>, slug: &str, limit: usize) -> Vec<(&'a str, u32)> {
        a.similar(slug, limit)
            .into_iter()
            .map(|s| (s.slug, s.score))
            .collect()
    }

    #[test]
    fn ranks_by_shared_tags_and_categories() {
        let a = affinity(
            &[("ada", "Ada"), ("bo", "Bo"), ("cy", "Cy"), ("di", "Di")],
            // rust, wasm, gardening; ada wrote two posts with rust.
            &[&["ada", "bo", "ada"], &["ada", "bo", "cy", "cy"], &["di"]],
            // Engineering, Life.
            &[&["ada", "cy"], &["di"]],
        );
        // bo: two tags (4); cy: a tag and a category (3); di: nothing.
        assert_eq!(ranking(&a, "ada", 10), [("bo", 4), ("cy", 3)]);
        let bo = &a.similar("ada", 1)[0];
        assert_eq!(bo.shared, [(T, 0), (T, 1)]);
        let cy = &a.similar("cy", 1)[0];
        assert_eq!(
            (cy.slug, cy.shared.as_slice()),
            ("ada", &[(T, 1), (C, 0)][..])
        );
        assert!(ranking(&a, "di", 10).is_empty());
    }

    #[test]
    fn never_lists_the_author_and_counts_co_authors() {
        // One post by both.
        let a = affinity(&[("ada", "Ada"), ("bo", "Bo")], &[&["ada", "bo"]], &[]);
        assert_eq!(ranking(&a, "ada", 3), [("bo", TAG_WEIGHT)]);
        assert_eq!(ranking(&a, "bo", 3), [("ada", TAG_WEIGHT)]);
        // Alone on a topic: nobody.
        let alone = affinity(&[("ada", "Ada")], &[&["ada"]], &[&["ada"]]);
        assert!(ranking(&alone, "ada", 3).is_empty());
    }

    #[test]
    fn ties_go_by_name_then_slug_and_the_limit_holds() {
        let authors = [
            ("a-slug", "alma"),
            ("b", "Bea"),
            ("c", "Cato"),
            ("me", "Me"),
            ("z-slug", "Alma"),
        ];
        let a = affinity(&authors, &[&["me", "c", "b", "z-slug", "a-slug"]], &[]);
        let slugs = |limit| -> Vec<&str> {
            ranking(&a, "me", limit)
                .into_iter()
                .map(|(s, _)| s)
                .collect()
        };
        // "Alma" and "alma" are equal ignoring case; then "Alma" < "alma".
        assert_eq!(slugs(10), ["z-slug", "a-slug", "b", "c"]);
        assert_eq!(slugs(2), ["z-slug", "a-slug"]);
        assert!(slugs(0).is_empty());
        assert!(ranking(&a, "nobody", 3).is_empty());
        // Same name and case: by slug.
        let twins = affinity(
            &[("me", "Me"), ("x", "Kim"), ("y", "Kim")],
            &[&["me", "y", "x"]],
            &[],
        );
        assert_eq!(ranking(&twins, "me", 3), [("x", 2), ("y", 2)]);
    }

    #[test]
    fn a_category_counts_less_than_a_tag() {
        let a = affinity(
            &[("ada", "Ada"), ("bo", "Bo"), ("cy", "Cy")],
            &[&["ada", "cy"]],
            &[&["ada", "bo"]],
        );
        assert_eq!(
            ranking(&a, "ada", 3),
            [("cy", TAG_WEIGHT), ("bo", CATEGORY_WEIGHT)]
        );
    }

    #[test]
    fn tags_first_then_rarer_topics() {
        let a = affinity(
            &[("ada", "Ada"), ("bo", "Bo"), ("cy", "Cy")],
            // common (three authors), rare (two).
            &[&["ada", "bo", "cy"], &["ada", "bo"]],
            // A category both used, rarer than either tag.
            &[&["ada", "bo"]],
        );
        let bo = &a.similar("ada", 1)[0];
        assert_eq!(bo.slug, "bo");
        assert_eq!(bo.score, 2 * TAG_WEIGHT + CATEGORY_WEIGHT);
        assert_eq!(bo.shared, [(T, 1), (T, 0), (C, 0)]);
    }

    #[test]
    fn all_ranks_every_author() {
        let a = affinity(&[("ada", "Ada"), ("bo", "Bo")], &[&["ada", "bo"]], &[]);
        let all = a.all(3);
        assert_eq!(all.keys().copied().collect::<Vec<_>>(), ["ada", "bo"]);
        assert_eq!(all["ada"][0].slug, "bo");
    }
}
