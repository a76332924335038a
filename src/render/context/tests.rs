//! `docs/templates.md` lists exactly the fields of each value: a sample of
//! every struct is serialized and its keys compared with the doc's table.
#![cfg(test)]

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::share::kit::{Audience, Kit, ShareLink, Snippet};

const DOC: &str = include_str!("../../../docs/templates.md");

/// The field names of each `### section` under `## Values`: the first cell
/// of each table row, when it is one backticked name.
fn doc_sections() -> BTreeMap<String, BTreeSet<String>> {
    let values = DOC
        .split_once("\n## Values\n")
        .map(|(_, rest)| rest)
        .expect("docs/templates.md has a `## Values` part");
    let values = values.split("\n## ").next().unwrap_or(values);
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in values.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            assert!(
                out.insert(h.trim().to_string(), BTreeSet::new()).is_none(),
                "two sections `{h}`"
            );
            current = Some(h.trim().to_string());
        } else if let (Some(sec), Some(row)) = (&current, line.strip_prefix("| `")) {
            let name = row.split('`').next().unwrap_or("");
            if row[name.len()..]
                .trim_start_matches('`')
                .trim_start()
                .starts_with('|')
            {
                out.get_mut(sec).map(|s| s.insert(name.to_string()));
            }
        }
    }
    out
}

fn keys(v: Value) -> BTreeSet<String> {
    match v {
        Value::Object(m) => m.keys().cloned().collect(),
        other => panic!("not an object: {other}"),
    }
}

fn samples() -> Vec<(&'static str, Value)> {
    let s = || "x".to_string();
    let social = BTreeMap::new();
    let extra = toml::Table::new();
    let toc = vec![TocEntry {
        level: 2,
        id: s(),
        title: s(),
        children: Vec::new(),
    }];
    let summary = AuthorSummary {
        slug: "a",
        name: "A",
        path: s(),
        url: s(),
        guest: true,
        avatar: None,
        initials: s(),
        color_index: 0,
        feed_url: s(),
        post_count: 1,
    };
    let link = ProfileLink {
        platform: "website",
        label: "Website",
        handle: "h",
        url: s(),
        rel_me: true,
    };
    let author = AuthorValue {
        slug: "a",
        name: "A",
        path: s(),
        url: s(),
        guest: true,
        avatar: None,
        initials: s(),
        color_index: 0,
        bio: s(),
        website: None,
        feed: None,
        feed_url: s(),
        post_count: 1,
        social: &social,
        links: vec![link.clone()],
    };
    let image = ImageValue {
        url: s(),
        alt: "",
        credit: None,
        width: None,
        height: None,
        srcset: None,
        webp_srcset: None,
        sizes: None,
    };
    let post = PostValue {
        slug: "p",
        title: "P",
        path: "/p/",
        url: s(),
        date: s(),
        date_human: s(),
        updated: None,
        updated_human: None,
        year: s(),
        authors: Vec::new(),
        guest: false,
        tags: Vec::new(),
        categories: Vec::new(),
        description: "",
        summary: "",
        has_more: false,
        word_count: 0,
        reading_time: 1,
        image: Some(image.clone()),
        canonical_url: None,
        share_path: None,
    };
    let additions = PostPageAdditions {
        authors: Vec::new(),
        content: "",
        toc: &toc,
    };
    let term = TermValue {
        name: "t",
        slug: "t",
        path: s(),
        url: s(),
        feed_url: s(),
        post_count: 1,
    };
    let taxonomy = TaxonomyValue {
        name: "tags",
        singular: "tag",
        title: "Tags",
        url: s(),
        path: s(),
    };
    let page_entry = PaginatorPage {
        number: None,
        url: None,
        current: false,
        gap: true,
    };
    let paginator = PaginatorValue {
        current: 1,
        total_pages: 1,
        total_posts: 0,
        first: s(),
        last: s(),
        previous: None,
        next: None,
        pages: vec![page_entry.clone()],
    };
    let page = PageValue {
        title: "",
        path: "/",
        url: s(),
        description: None,
        content: "",
        toc: &toc,
        word_count: 0,
        reading_time: 1,
    };
    let config = ConfigValue {
        title: "",
        base_url: "",
        description: "",
        language: "en",
        paginate_by: 1,
        feed_limit: 1,
        social: &social,
        extra: &extra,
    };
    let site = SiteValue {
        feed_url: s(),
        feeds: Vec::new(),
        archive_url: s(),
        authors_url: s(),
        authors_opml_url: s(),
        tags_url: s(),
        categories_url: s(),
        series_url: s(),
        sitemap_url: s(),
        syntax_css_url: s(),
        build_year: None,
        has_tags: false,
        has_categories: false,
        has_series: false,
        write_url: None,
        search_url: Some(s()),
        search_bundle_url: Some(s()),
        search_host: s(),
        contributors_url: None,
        webmention_endpoint: None,
    };
    let meta = MetaValue {
        title: "",
        description: "",
        url: s(),
        kind: "website",
        image: None,
        image_alt: None,
        published_time: None,
        modified_time: None,
        authors: &[],
        author_urls: &[],
        tags: &[],
        twitter_site: None,
        twitter_creator: None,
        fediverse_creator: None,
        noindex: false,
        canonical_url: None,
        feed_url: None,
        feed_title: None,
        feeds: &[],
    };
    let snippet = Snippet {
        platform: "x",
        label: s(),
        audience: Audience::Owner,
        text: s(),
        subject: None,
        length: 1,
        limit: None,
        unit: "characters",
        intent_url: None,
        fits: true,
    };
    let share_link = ShareLink {
        label: "LinkedIn",
        url: s(),
    };
    let kit = Kit {
        slug: s(),
        title: s(),
        url: s(),
        snippets: vec![snippet.clone()],
        links: vec![share_link.clone()],
    };
    vec![
        ("config", to_value(&config)),
        ("site", to_value(&site)),
        ("meta", to_value(&meta)),
        ("post", to_value(&post)),
        ("post on post.html", to_value(&additions)),
        ("post.image", to_value(&image)),
        ("toc", to_value(&toc[0])),
        ("author", to_value(&author)),
        ("author in lists", to_value(&summary)),
        ("author.links", to_value(&link)),
        ("term", to_value(&term)),
        (
            "series",
            to_value(&SeriesValue {
                term: term.clone(),
                part: 1,
                parts: Value::Array(Vec::new()),
            }),
        ),
        ("taxonomy", to_value(&taxonomy)),
        ("paginator", to_value(&paginator)),
        ("paginator.pages", to_value(&page_entry)),
        ("page", to_value(&page)),
        ("kit", to_value(&kit)),
        (
            "contribution",
            to_value(&ContributionValue {
                title: "t",
                url: "https://a.example/t/",
                date: None,
                date_human: None,
                summary: "",
                author: &summary,
            }),
        ),
        ("kit.snippets", to_value(&snippet)),
        ("kit.links", to_value(&share_link)),
        (
            "archive",
            to_value(
                &crate::render::archives::ArchiveValue::<serde_json::Value> {
                    title: s(),
                    url: s(),
                    years: Vec::new(),
                },
            ),
        ),
        (
            "archive.years",
            to_value(&crate::render::archives::ArchiveYear::<serde_json::Value> {
                year: s(),
                url: None,
                post_count: 1,
                months: Vec::new(),
            }),
        ),
        (
            "archive.years.months",
            to_value(
                &crate::render::archives::ArchiveMonth::<serde_json::Value> {
                    month: s(),
                    name: "May",
                    url: None,
                    posts: Vec::new(),
                },
            ),
        ),
        (
            "site.feeds",
            to_value(&FeedLink {
                format: "rss",
                name: "RSS",
                mime_type: "application/rss+xml",
                url: s(),
            }),
        ),
        (
            "redirect",
            to_value(&RedirectValue {
                from: "/old/",
                url: s(),
            }),
        ),
        ("write", to_value(&write_sample())),
        (
            "similar_authors",
            to_value(&crate::render::similar::SimilarAuthorValue {
                author: Value::Null,
                score: 2,
                shared_count: 1,
                topics: Vec::new(),
            }),
        ),
        (
            "responses",
            to_value(&crate::render::context::ResponsesValue::new(
                &Default::default(),
            )),
        ),
        (
            "responses.replies",
            to_value(&crate::render::context::ReplyValue {
                author: &crate::load::responses::Actor::default(),
                url: None,
                date: None,
                date_human: None,
                text: "",
                source: crate::load::responses::ResponseSource::Comment,
            }),
        ),
        (
            "responses.picked_up_by",
            to_value(&crate::render::context::PickedUpValue {
                url: "",
                title: String::new(),
                author: None,
                date: None,
                date_human: None,
            }),
        ),
        (
            "responses.actor",
            to_value(&crate::load::responses::Actor::default()),
        ),
        (
            "similar_authors.topics",
            to_value(&crate::render::similar::TopicValue {
                term: term.clone(),
                taxonomy: "tags",
            }),
        ),
    ]
}

/// A `write` value (`render::write`), with a repository of each field.
fn write_sample() -> crate::render::write::WriteValue<'static> {
    static REPO: std::sync::LazyLock<crate::config::GuestRepository> =
        std::sync::LazyLock::new(|| crate::config::GuestRepository {
            host: crate::config::GuestHost::Github,
            repository: "acme/blog".into(),
            branch: "main".into(),
        });
    crate::render::write::WriteValue {
        data_url: String::new(),
        repository: crate::render::write::RepositoryValue::new(&REPO),
        categories: Vec::new(),
        tags: Vec::new(),
        authors: Vec::new(),
        description_max: 300,
        smart_punctuation: true,
    }
}

#[test]
fn docs_list_exactly_the_fields_of_each_value() {
    let mut doc = doc_sections();
    let mut problems = Vec::new();
    for (section, value) in samples() {
        let fields = keys(value);
        let Some(documented) = doc.remove(section) else {
            problems.push(format!("no section `### {section}`"));
            continue;
        };
        for f in fields.difference(&documented) {
            problems.push(format!("`### {section}` does not list the field `{f}`"));
        }
        for f in documented.difference(&fields) {
            problems.push(format!("`### {section}` lists `{f}`, which is no field"));
        }
    }
    for section in doc.keys() {
        problems.push(format!("`### {section}` documents no value of the program"));
    }
    assert!(
        problems.is_empty(),
        "docs/templates.md does not match the values:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_doc_parser_finds_each_table() {
    // The parser must find rows, or the check above would pass vacuously.
    let doc = doc_sections();
    assert!(doc["post"].contains("description"));
    assert!(doc["paginator.pages"].contains("gap"));
    assert!(!doc["post"].contains("content"));
    assert!(doc["post on post.html"].contains("content"));
}

#[test]
fn initials_colours_depend_on_the_name_only() {
    // Fixed values: a change to the hash would recolour every site's authors.
    assert_eq!(color_index("Tobiah Venn"), 5);
    assert_eq!(color_index("Ada Lovelace"), 6);
    let all: BTreeSet<usize> = [
        "Ada Lovelace",
        "Grace Hopper",
        "Tobiah Venn",
        "Marisol Quenby",
        "Rafi del Arroyo",
        "Oona Castellane",
        "Wren Achterberg",
        "Katherine Johnson",
        "Margaret Hamilton",
        "Radia Perlman",
    ]
    .iter()
    .map(|n| color_index(n))
    .collect();
    assert!(all.iter().all(|&i| i < INITIALS_COLORS), "{all:?}");
    // Ten names spread over several colours, not one.
    assert!(all.len() >= 4, "{all:?}");
}
