//! `gen report AUTHOR`: what an editor sends a guest a week after their post
//! went out — per post its views and visitors (from an analytics export, when
//! given), its top referrers, its share kit and the author's own snippets —
//! and, to end, the contributors they should meet. No network: everything
//! comes from the site and the files named on the command line.

pub mod analytics;

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::ValueEnum;
use serde::Serialize;

use super::{Exit, Global};
use crate::diag::Diagnostic;
use crate::load::Site;
use crate::render::Indices;
use crate::render::similar::Affinity;
use crate::routes::Route;
use crate::share::kit::{self, Audience};

/// How many contributors the report suggests meeting.
pub const MEET: usize = 3;
/// How many referrers each post lists.
pub const REFERRERS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Markdown,
    Html,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The author's slug (their profile's file name in authors/).
    pub author: String,
    /// Only posts dated on or after this date (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// An analytics export: Plausible's pages.csv or sources.csv,
    /// GoatCounter's CSV export, or a path,views CSV.
    #[arg(long)]
    pub analytics: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
}

/// The whole report; its JSON field names are stable (docs/community.md).
#[derive(Debug, Serialize)]
pub struct Report {
    pub author: AuthorInfo,
    /// `--since` (YYYY-MM-DD).
    pub since: Option<String>,
    /// The analytics file and its format; null without `--analytics`.
    pub analytics: Option<AnalyticsInfo>,
    pub posts: Vec<PostReport>,
    /// Site-wide referrers (Plausible's sources export), most first.
    pub site_referrers: Vec<Referrer>,
    /// The contributors to meet, best first.
    pub meet: Vec<Meet>,
}

#[derive(Debug, Serialize)]
pub struct AuthorInfo {
    pub slug: String,
    pub name: String,
    /// Their author page.
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct AnalyticsInfo {
    pub file: String,
    pub format: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Referrer {
    pub name: String,
    pub count: u64,
}

#[derive(Debug, Serialize)]
pub struct PostReport {
    pub title: String,
    pub url: String,
    /// YYYY-MM-DD.
    pub date: String,
    /// Null when unknown (no analytics, or no row for the post).
    pub views: Option<u64>,
    /// Null when unknown (also with a path,views file).
    pub visitors: Option<u64>,
    /// Null when the export has no referrers per page.
    pub referrers: Option<Vec<Referrer>>,
    /// Webmentions and imported comments (`Site::responses`).
    pub responses: ResponsesOut,
    /// The share kit page; null when the post has none.
    pub share_kit: Option<String>,
    /// The snippets written for the author to post themselves.
    pub snippets: Vec<SnippetOut>,
    /// What the report could not know about this post.
    pub unknown: Vec<String>,
}

/// What answered a post: counts, and the pages that picked it up.
#[derive(Debug, Default, Serialize)]
pub struct ResponsesOut {
    pub replies: usize,
    pub likes: usize,
    pub reposts: usize,
    pub picked_up_by: Vec<PickedUpOut>,
}

impl ResponsesOut {
    /// "1 reply, 2 likes, 0 reposts".
    pub fn counts(&self) -> String {
        let n =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{}, {}, {}",
            n(self.replies, "reply", "replies"),
            n(self.likes, "like", "likes"),
            n(self.reposts, "repost", "reposts")
        )
    }
}

/// A page elsewhere that links to the post.
#[derive(Debug, Serialize)]
pub struct PickedUpOut {
    pub url: String,
    pub title: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SnippetOut {
    pub platform: &'static str,
    pub label: String,
    pub text: String,
    pub intent_url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Meet {
    pub slug: String,
    pub name: String,
    /// Their author page here.
    pub url: String,
    pub website: Option<String>,
    pub feed: Option<String>,
    /// The tags and categories both wrote about, most telling first.
    pub topics: Vec<String>,
}

/// Makes the report of `slug`'s posts (those on or after `since`, newest
/// first). Errors: the author is unknown, or the share kits cannot be made.
pub fn make(
    site: &Site,
    slug: &str,
    since: Option<chrono::DateTime<chrono::FixedOffset>>,
    analytics: Option<(&str, &analytics::Analytics)>,
) -> Result<(Report, Vec<Diagnostic>), Vec<Diagnostic>> {
    let Some(author) = site.authors.get(slug) else {
        let mut d = Diagnostic::error(format!("unknown author \"{slug}\""));
        d = match crate::diag::did_you_mean(slug, site.authors.keys().map(String::as_str)) {
            Some(s) => d.hint(format!("did you mean \"{s}\"?")),
            None => d.hint("name an author by the file name of their profile in authors/"),
        };
        return Err(vec![d]);
    };
    let config = &site.config;
    let mut chosen: Vec<usize> = (0..site.posts.len())
        .filter(|&i| site.posts[i].authors.iter().any(|a| a == slug))
        .filter(|&i| since.is_none_or(|d| site.posts[i].date >= d))
        .collect();
    chosen.sort_by(|&a, &b| {
        let (pa, pb) = (&site.posts[a], &site.posts[b]);
        pb.date.cmp(&pa.date).then(pa.slug.cmp(&pb.slug))
    });
    let with_kit: Vec<usize> = chosen
        .iter()
        .copied()
        .filter(|&i| kit::has_kit(site, &site.posts[i]))
        .collect();
    let (kits, warnings) = crate::render::share_kits(site, &with_kit)?;
    let mut posts = Vec::new();
    for &i in &chosen {
        let p = &site.posts[i];
        let mut unknown = Vec::new();
        let stats = analytics.and_then(|(_, a)| a.page(&p.path));
        match analytics {
            None => unknown.push("views and visitors: no analytics file was given".to_string()),
            Some((_, a)) if !a.has_pages() => unknown.push(format!(
                "views and visitors: a {} export has no pages",
                a.format.name()
            )),
            Some(_) if stats.is_none() => unknown.push(format!(
                "views and visitors: the analytics file has no row for {}",
                p.path
            )),
            _ => {}
        }
        if let Some((_, a)) = analytics {
            if !a.has_page_referrers() {
                unknown.push(format!(
                    "referrers: a {} export has none per page",
                    a.format.name()
                ));
            }
        }
        let referrers = analytics.filter(|(_, a)| a.has_page_referrers()).map(|_| {
            let mut r: Vec<Referrer> = stats
                .map(|s| {
                    s.referrers
                        .iter()
                        .map(|(name, &count)| Referrer {
                            name: name.clone(),
                            count,
                        })
                        .collect()
                })
                .unwrap_or_default();
            r.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
            r.truncate(REFERRERS);
            r
        });
        let k = kits.iter().find(|k| k.slug == p.slug);
        posts.push(PostReport {
            title: p.title.clone(),
            url: config.url(&p.path),
            date: p.date.format("%Y-%m-%d").to_string(),
            views: stats.map(|s| s.views),
            visitors: stats.and_then(|s| s.visitors),
            referrers,
            responses: site
                .responses
                .get(&p.slug)
                .map(|r| ResponsesOut {
                    replies: r.replies.len(),
                    likes: r.likes.len(),
                    reposts: r.reposts.len(),
                    picked_up_by: r
                        .picked_up_by
                        .iter()
                        .map(|u| PickedUpOut {
                            url: u.url.clone(),
                            title: u.title.clone(),
                        })
                        .collect(),
                })
                .unwrap_or_default(),
            share_kit: k.map(|_| config.url(&Route::ShareKit(p.slug.clone()).path())),
            snippets: k
                .map(|k| {
                    k.snippets
                        .iter()
                        .filter(|s| s.audience == Audience::Guest)
                        .map(|s| SnippetOut {
                            platform: s.platform,
                            label: s.label.clone(),
                            text: s.text.clone(),
                            intent_url: s.intent_url.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            unknown,
        });
    }
    let indices = Indices::build(site);
    let affinity = Affinity::new(site, &indices);
    let meet = affinity
        .similar(slug, MEET)
        .into_iter()
        .filter_map(|s| {
            let a = site.authors.get(s.slug)?;
            Some(Meet {
                slug: a.slug.clone(),
                name: a.name.clone(),
                url: config.url(&Route::Author(a.slug.clone(), 1).path()),
                website: a.website.clone(),
                feed: a.feed.clone(),
                topics: s
                    .shared
                    .iter()
                    .take(crate::render::similar::TOPICS)
                    .map(|&(t, ti)| indices.taxonomy(t)[ti].name.clone())
                    .collect(),
            })
        })
        .collect();
    let report = Report {
        author: AuthorInfo {
            slug: author.slug.clone(),
            name: author.name.clone(),
            url: config.url(&Route::Author(author.slug.clone(), 1).path()),
        },
        since: since.map(|d| d.format("%Y-%m-%d").to_string()),
        analytics: analytics.map(|(file, a)| AnalyticsInfo {
            file: file.to_string(),
            format: a.format.name(),
        }),
        posts,
        site_referrers: analytics
            .map(|(_, a)| {
                a.site_referrers
                    .iter()
                    .take(REFERRERS)
                    .map(|(name, count)| Referrer {
                        name: name.clone(),
                        count: *count,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        meet,
    };
    Ok((report, warnings))
}

fn number(n: Option<u64>) -> String {
    n.map_or("unknown".to_string(), |n| n.to_string())
}

/// Markdown link text: brackets would end it.
fn md_text(s: &str) -> String {
    s.replace(['[', ']'], "")
}

/// The report in Markdown, readable pasted in an email.
pub fn as_markdown(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Your posts on the blog, {}\n", md_text(&r.author.name));
    if let Some(a) = &r.analytics {
        let _ = writeln!(o, "Numbers from {} ({}).\n", a.file, a.format);
    }
    if r.posts.is_empty() {
        o.push_str("No posts in this period.\n\n");
    }
    for p in &r.posts {
        let _ = writeln!(o, "## [{}]({})\n", md_text(&p.title), p.url);
        let _ = writeln!(o, "Published {}.\n", p.date);
        let _ = writeln!(
            o,
            "- Views: {}\n- Visitors: {}",
            number(p.views),
            number(p.visitors)
        );
        if let Some(refs) = &p.referrers {
            if refs.is_empty() {
                o.push_str("- Referrers: none\n");
            } else {
                o.push_str("- Referrers:\n");
                for f in refs {
                    let _ = writeln!(o, "  - {} ({})", f.name, f.count);
                }
            }
        }
        let rs = &p.responses;
        let _ = writeln!(o, "- Responses: {}", rs.counts());
        if !rs.picked_up_by.is_empty() {
            o.push_str("- Picked up by:\n");
            for u in &rs.picked_up_by {
                match &u.title {
                    Some(t) => {
                        let _ = writeln!(o, "  - [{}]({})", md_text(t), u.url);
                    }
                    None => {
                        let _ = writeln!(o, "  - {}", u.url);
                    }
                }
            }
        }
        match &p.share_kit {
            Some(u) => {
                let _ = writeln!(o, "- Share kit: {u}");
            }
            None => o.push_str("- Share kit: none for this post\n"),
        }
        o.push('\n');
        if !p.snippets.is_empty() {
            o.push_str("### Ready to post\n\n");
            for s in &p.snippets {
                let fence = if s.text.contains("```") {
                    "````"
                } else {
                    "```"
                };
                let _ = writeln!(o, "{}:\n\n{fence}text\n{}\n{fence}\n", s.label, s.text);
            }
        }
        if !p.unknown.is_empty() {
            o.push_str("Not known:\n\n");
            for u in &p.unknown {
                let _ = writeln!(o, "- {u}");
            }
            o.push('\n');
        }
    }
    if !r.site_referrers.is_empty() {
        o.push_str("## Where readers of the whole site came from\n\n");
        for f in &r.site_referrers {
            let _ = writeln!(o, "- {} ({})", f.name, f.count);
        }
        o.push('\n');
    }
    if !r.meet.is_empty() {
        o.push_str("## People you should meet\n\n");
        for m in &r.meet {
            let _ = write!(o, "- [{}]({})", md_text(&m.name), m.url);
            if !m.topics.is_empty() {
                let _ = write!(o, ", who also writes about {}", kit::join_names(&m.topics));
            }
            if let Some(w) = &m.website {
                let _ = write!(o, "; their blog: {w}");
            }
            if let Some(f) = &m.feed {
                let _ = write!(o, " (feed: {f})");
            }
            o.push('\n');
        }
    }
    o
}

fn esc(s: &str) -> String {
    tera::escape_html(s)
}

/// The report as a complete HTML document, everything escaped.
pub fn as_html(r: &Report) -> String {
    let mut o = String::new();
    let title = format!("Your posts on the blog, {}", r.author.name);
    let _ = writeln!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n<body>\n<h1>{}</h1>",
        esc(&title),
        esc(&title)
    );
    if let Some(a) = &r.analytics {
        let _ = writeln!(
            o,
            "<p>Numbers from {} ({}).</p>",
            esc(&a.file),
            esc(a.format)
        );
    }
    if r.posts.is_empty() {
        o.push_str("<p>No posts in this period.</p>\n");
    }
    for p in &r.posts {
        let _ = writeln!(
            o,
            "<h2><a href=\"{}\">{}</a></h2>\n<p>Published {}.</p>\n<ul>\n<li>Views: {}</li>\n<li>Visitors: {}</li>",
            esc(&p.url),
            esc(&p.title),
            esc(&p.date),
            number(p.views),
            number(p.visitors)
        );
        if let Some(refs) = &p.referrers {
            if refs.is_empty() {
                o.push_str("<li>Referrers: none</li>\n");
            } else {
                o.push_str("<li>Referrers:\n<ul>\n");
                for f in refs {
                    let _ = writeln!(o, "<li>{} ({})</li>", esc(&f.name), f.count);
                }
                o.push_str("</ul>\n</li>\n");
            }
        }
        let rs = &p.responses;
        let _ = writeln!(o, "<li>Responses: {}</li>", rs.counts());
        if !rs.picked_up_by.is_empty() {
            o.push_str("<li>Picked up by:\n<ul>\n");
            for u in &rs.picked_up_by {
                let text = u.title.as_deref().unwrap_or(&u.url);
                let _ = writeln!(o, "<li><a href=\"{}\">{}</a></li>", esc(&u.url), esc(text));
            }
            o.push_str("</ul>\n</li>\n");
        }
        match &p.share_kit {
            Some(u) => {
                let _ = writeln!(
                    o,
                    "<li>Share kit: <a href=\"{}\">{}</a></li>",
                    esc(u),
                    esc(u)
                );
            }
            None => o.push_str("<li>Share kit: none for this post</li>\n"),
        }
        o.push_str("</ul>\n");
        if !p.snippets.is_empty() {
            o.push_str("<h3>Ready to post</h3>\n");
            for s in &p.snippets {
                let _ = writeln!(o, "<p>{}:</p>\n<pre>{}</pre>", esc(&s.label), esc(&s.text));
            }
        }
        if !p.unknown.is_empty() {
            o.push_str("<p>Not known:</p>\n<ul>\n");
            for u in &p.unknown {
                let _ = writeln!(o, "<li>{}</li>", esc(u));
            }
            o.push_str("</ul>\n");
        }
    }
    if !r.site_referrers.is_empty() {
        o.push_str("<h2>Where readers of the whole site came from</h2>\n<ul>\n");
        for f in &r.site_referrers {
            let _ = writeln!(o, "<li>{} ({})</li>", esc(&f.name), f.count);
        }
        o.push_str("</ul>\n");
    }
    if !r.meet.is_empty() {
        o.push_str("<h2>People you should meet</h2>\n<ul>\n");
        for m in &r.meet {
            let _ = write!(o, "<li><a href=\"{}\">{}</a>", esc(&m.url), esc(&m.name));
            if !m.topics.is_empty() {
                let _ = write!(
                    o,
                    ", who also writes about {}",
                    esc(&kit::join_names(&m.topics))
                );
            }
            if let Some(w) = &m.website {
                let _ = write!(o, "; their blog: <a href=\"{}\">{}</a>", esc(w), esc(w));
            }
            o.push_str("</li>\n");
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</body>\n</html>\n");
    o
}

impl Args {
    pub fn run(self, g: &Global) -> Result<(), Exit> {
        let since = match &self.since {
            None => None,
            Some(s) => match crate::load::dates::parse_date(s).filter(|_| s.len() == 10) {
                Some(d) => Some(d),
                None => {
                    g.report(&[Diagnostic::error(format!("\"{s}\" is not a date"))
                        .hint("pass --since a date like 2024-05-01")]);
                    return Err(Exit::Usage);
                }
            },
        };
        let site = g.load_site(false)?;
        let mut diags = Vec::new();
        let read = match &self.analytics {
            None => None,
            Some(path) => match analytics::read(path) {
                Ok((a, w)) => {
                    diags.extend(w);
                    Some((crate::diag::display_path(path), a))
                }
                Err(d) => {
                    g.report(&[d]);
                    return Err(Exit::Usage);
                }
            },
        };
        let made = make(
            &site,
            &self.author,
            since,
            read.as_ref().map(|(f, a)| (f.as_str(), a)),
        );
        let report = match made {
            Ok((r, w)) => {
                diags.extend(w);
                r
            }
            Err(d) => {
                g.report(&d);
                return Err(Exit::Usage);
            }
        };
        g.report(&diags);
        let text = match self.format {
            Format::Markdown => as_markdown(&report),
            Format::Html => as_html(&report),
            Format::Json => serde_json::to_string_pretty(&report).unwrap_or_default() + "\n",
        };
        print!("{text}");
        Ok(())
    }
}
