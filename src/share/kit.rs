//! Share kits: for each guest post, one snippet per configured platform and per
//! audience (the site announcing it, the guest announcing their own post),
//! rendered from the theme's `share/<platform>.txt` templates, fitted to the
//! platform's limit, and paired with its web-intent link.

use serde::Serialize;
use serde_json::Value;

use crate::diag::Diagnostic;
use crate::load::{Author, Post, ShareSetting, Site};
use crate::platforms::count::{self, CountUnit, Platform};
use crate::platforms::fit::{self, Slots};
use crate::platforms::intent;

/// Who posts a snippet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// The site's own account: "New guest post by …".
    Owner,
    /// The guest's account: "I wrote a guest post for …".
    Guest,
}

impl Audience {
    pub const BOTH: [Audience; 2] = [Audience::Owner, Audience::Guest];

    fn name(self) -> &'static str {
        match self {
            Audience::Owner => "owner",
            Audience::Guest => "guest",
        }
    }
}

/// One ready-to-post text.
#[derive(Debug, Clone, Serialize)]
pub struct Snippet {
    pub platform: &'static str,
    pub label: String,
    pub audience: Audience,
    pub text: String,
    /// The email subject (email only).
    pub subject: Option<String>,
    /// Length in the platform's own unit.
    pub length: usize,
    pub limit: Option<usize>,
    pub unit: &'static str,
    /// Opens the platform's composer with the text filled in.
    pub intent_url: Option<String>,
    /// False when the text could not be fitted even when shortened.
    pub fits: bool,
}

/// A link that takes only the URL (the preview comes from Open Graph tags).
#[derive(Debug, Clone, Serialize)]
pub struct ShareLink {
    pub label: &'static str,
    pub url: String,
}

/// Everything in a post's share kit.
#[derive(Debug, Clone, Serialize)]
pub struct Kit {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub snippets: Vec<Snippet>,
    pub links: Vec<ShareLink>,
}

/// Whether a post gets a share kit: it has a guest author, has not opted out,
/// and the site shares to at least one platform.
pub fn has_kit(site: &Site, post: &Post) -> bool {
    post.guest && post.share != ShareSetting::Off && !site.config.share_platforms.is_empty()
}

/// Why a post has no share kit, as an error naming its file and what would
/// give it one; `None` when it has a kit.
pub fn why_no_kit(site: &Site, post: &Post) -> Option<Diagnostic> {
    if has_kit(site, post) {
        return None;
    }
    let d = Diagnostic::error("").in_file(&post.source);
    Some(if site.config.share_platforms.is_empty() {
        Diagnostic {
            message: "no post has a share kit: `[share] platforms` in gen.toml is empty".into(),
            ..d
        }
        .hint("list the platforms to write snippets for, e.g. platforms = [\"x\", \"mastodon\", \"bluesky\"]")
    } else if !post.guest {
        let staff: Vec<String> = post.authors.iter().map(|a| format!("\"{a}\"")).collect();
        let files: Vec<String> = post
            .authors
            .iter()
            .map(|a| {
                site.authors
                    .get(a)
                    .map_or(format!("authors/{a}.toml"), |a| {
                        crate::diag::display_path(&a.source)
                    })
            })
            .collect();
        let (who, are) = if staff.len() == 1 {
            ("its author", "is")
        } else {
            ("its authors", "are")
        };
        Diagnostic {
            message: format!(
                "this post has no guest author ({who} {} {are} staff), so it has no share kit",
                join_names(&staff)
            ),
            ..d
        }
        .hint(match files.as_slice() {
            [file] => format!(
                "share kits are for guest posts: if {} is a guest, set `guest = true` in {file}",
                staff[0]
            ),
            _ => format!(
                "share kits are for guest posts: if one of them is a guest, set `guest = true` in their profile ({})",
                files.join(", ")
            ),
        })
    } else {
        Diagnostic {
            message: "this post has `share = false` in its front matter, so it has no share kit"
                .into(),
            ..d
        }
        .hint("remove `share = false` to give it one")
    })
}

fn unit_name(u: CountUnit) -> &'static str {
    match u {
        CountUnit::XWeighted => "weighted characters",
        CountUnit::MastodonLength => "characters",
        CountUnit::Graphemes => "characters",
        CountUnit::Utf16Units => "characters",
    }
}

/// The handle of an author on a platform, written as a mention there.
fn mention(author: &Author, platform: Platform) -> Option<String> {
    let key = match platform {
        Platform::X => "x",
        Platform::Mastodon => "mastodon",
        Platform::Bluesky => "bluesky",
        Platform::Threads => "threads",
        Platform::Linkedin | Platform::Email => return None,
    };
    let h = author.social.get(key)?.trim().trim_start_matches('@');
    if h.is_empty() {
        return None;
    }
    Some(format!("@{h}"))
}

/// "A", "A and B", "A, B and C".
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A hashtag as platforms parse it: `#` then letters, digits and `_`, not only digits.
pub fn hashtag(tag: &str) -> Option<String> {
    let body: String = tag
        .trim_start_matches('#')
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!body.is_empty() && !body.chars().all(|c| c.is_ascii_digit())).then(|| format!("#{body}"))
}

/// The `site` value of the share templates.
#[derive(Debug, Serialize)]
struct SiteValue<'a> {
    title: &'a str,
    url: String,
    /// The site's handle on the platform, else its title.
    mention: &'a str,
}

/// The site's handle on a platform, written as a mention there, else its
/// title: the templates' `site.mention`.
fn site_mention(config: &crate::config::Config, platform: Platform) -> String {
    config
        .social
        .get(match platform {
            Platform::X => "x",
            Platform::Mastodon => "mastodon",
            Platform::Bluesky => "bluesky",
            Platform::Threads => "threads",
            _ => "",
        })
        .map(|h| format!("@{}", h.trim_start_matches('@')))
        .unwrap_or_else(|| config.title.clone())
}

/// The `slots` value of the share templates: what the fitter may shorten.
#[derive(Debug, Serialize)]
struct SlotsValue<'a> {
    title: &'a str,
    description: &'a str,
    hashtags: &'a [String],
}

/// Builds the share kit of post `i` from the values its pages show: the
/// post's list value (`post_value`, the templates' `post`) and its
/// `description`. Warnings name snippets that do not fit.
pub fn build(
    site: &Site,
    tera: &tera::Tera,
    post_value: &Value,
    description: &str,
    i: usize,
) -> Result<(Kit, Vec<Diagnostic>), Diagnostic> {
    let config = &site.config;
    let post = &site.posts[i];
    let url = config.url(&post.path);
    let authors: Vec<&Author> = post
        .authors
        .iter()
        .filter_map(|a| site.authors.get(a))
        .collect();
    // Guests are named as the post's writers, staff as their co-authors:
    // a staff co-author is never called a guest.
    let (guests, staff): (Vec<&Author>, Vec<&Author>) = authors.iter().partition(|a| a.guest);
    let guest_count = guests.len();
    let (pitch, tags) = match &post.share {
        ShareSetting::Custom { text, hashtags } => (text.clone(), hashtags.clone()),
        _ => (None, None),
    };
    let description = pitch.unwrap_or_else(|| description.to_string());
    let hashtags: Vec<String> = tags
        .unwrap_or_else(|| config.share_hashtags.clone())
        .iter()
        .filter_map(|t| hashtag(t))
        .collect();
    let mut snippets = Vec::new();
    let mut warnings = Vec::new();
    // One context for every rendering of this kit: the fitter renders each
    // snippet a dozen times, and the post is serialized into a context once.
    let ctx = std::cell::RefCell::new(tera::Context::new());
    ctx.borrow_mut().insert("post", post_value);
    ctx.borrow_mut().insert("guest_count", &guest_count);
    for name in &config.share_platforms {
        let Some(platform) = Platform::from_name(name) else {
            continue;
        };
        let template = format!("share/{name}.txt");
        let named = |list: &[&Author]| {
            join_names(
                &list
                    .iter()
                    .map(|a| mention(a, platform).unwrap_or_else(|| a.name.clone()))
                    .collect::<Vec<_>>(),
            )
        };
        let byline = named(&authors);
        let guest_names = named(&guests);
        let staff_names = named(&staff);
        let site_mention = site_mention(config, platform);
        for audience in Audience::BOTH {
            {
                let mut c = ctx.borrow_mut();
                c.insert("audience", audience.name());
                c.insert("platform", name);
                c.insert("byline", &byline);
                c.insert("guests", &guest_names);
                c.insert("staff", &staff_names);
                c.insert(
                    "site",
                    &SiteValue {
                        title: &config.title,
                        url: config.url("/"),
                        mention: &site_mention,
                    },
                );
            }
            let render = |slots: &Slots| -> Result<String, tera::Error> {
                ctx.borrow_mut().insert(
                    "slots",
                    &SlotsValue {
                        title: &slots.title,
                        description: &slots.description,
                        hashtags: &slots.hashtags,
                    },
                );
                tera.render(&template, &ctx.borrow())
                    .map(|t| t.trim().to_string())
            };
            let slots = Slots {
                title: post.title.clone(),
                description: description.clone(),
                hashtags: hashtags.clone(),
            };
            render(&slots).map_err(|e| {
                Diagnostic::error(format!(
                    "cannot render the {name} share snippet of {}: {}",
                    post.slug,
                    crate::diag::error_chain(&e)
                ))
                .in_file(format!("templates/{template}"))
                .hint("check the template against docs/share.md")
            })?;
            let plain = |s: &Slots| render(s).unwrap_or_default();
            let (full, fits) = match fit::fit(platform, plain, slots) {
                Ok(text) => (text, true),
                Err(e) => {
                    warnings.push(
                        Diagnostic::warning(e.to_string()).kind(crate::diag::Kind::Share)
                            .in_file(&post.source)
                            .hint("shorten the title, or set a shorter `share.text` in the front matter"),
                    );
                    (e.shortest, false)
                }
            };
            let (subject, text) = match platform {
                Platform::Email => match full.strip_prefix("Subject:") {
                    Some(rest) => {
                        let (s, body) = rest.split_once('\n').unwrap_or((rest, ""));
                        (Some(s.trim().to_string()), body.trim().to_string())
                    }
                    None => (Some(post.title.clone()), full),
                },
                _ => (None, full),
            };
            let intent_url = Some(match platform {
                Platform::X => intent::x_intent(&text),
                Platform::Mastodon => {
                    intent::mastodon_intent(&text, config.mastodon_instance.as_deref())
                }
                Platform::Bluesky => intent::bluesky_intent(&text),
                Platform::Threads => intent::threads_intent(&text),
                Platform::Linkedin => intent::linkedin_intent(&url),
                Platform::Email => intent::email_intent(subject.as_deref().unwrap_or(""), &text),
            });
            let limit = platform.limit();
            snippets.push(Snippet {
                platform: platform.name(),
                label: platform.to_string(),
                audience,
                length: match platform {
                    Platform::Email => text.chars().count(),
                    _ => count::length(platform, &text),
                },
                limit: limit.map(|l| l.max),
                unit: limit.map(|l| unit_name(l.unit)).unwrap_or("characters"),
                text,
                subject,
                intent_url,
                fits,
            });
        }
    }
    let links = vec![
        ShareLink {
            label: "LinkedIn",
            url: intent::linkedin_intent(&url),
        },
        ShareLink {
            label: "Facebook",
            url: intent::facebook_intent(&url),
        },
        ShareLink {
            label: "Hacker News",
            url: intent::hacker_news_intent(&url, &post.title),
        },
        ShareLink {
            label: "Reddit",
            url: intent::reddit_intent(&url, &post.title),
        },
    ];
    Ok((
        Kit {
            slug: post.slug.clone(),
            title: post.title.clone(),
            url,
            snippets,
            links,
        },
        warnings,
    ))
}

/// Where a draft's parts go in a [`Marked`] snippet: private-use characters
/// no title, name or address holds.
pub mod marks {
    /// The post's title (the `title` slot, and `post.title`).
    pub const TITLE: char = '\u{E000}';
    /// Its description (the `description` slot, and `post.description`).
    pub const DESCRIPTION: char = '\u{E001}';
    /// The guest, by handle or name (`guests` and `byline`).
    pub const GUEST: char = '\u{E002}';
    /// The post's slug (`post.slug`, and in `post.url`, percent-encoded).
    pub const SLUG: char = '\u{E003}';
}

/// One rendering of a platform's snippet for a post by one guest that is
/// not written yet: the write page puts the draft's parts in place of the
/// [`marks`] and counts it as the build would.
#[derive(Debug, Clone, Serialize)]
pub struct Marked {
    pub audience: Audience,
    /// Rendered with a description (else without one: the template may
    /// leave out the line that holds it).
    pub description: bool,
    /// How many of the site's hashtags it keeps (the fitter drops them last
    /// first).
    pub hashtags: usize,
    pub text: String,
}

/// Every rendering of `platform`'s snippet the fitter can reach for a post
/// by one guest, with [`marks`] for the draft's parts: per audience, with
/// and without a description, with each number of the site's hashtags.
/// `post_url` is the post's address with [`marks::SLUG`] for its slug.
/// `None` when the site does not share to the platform, or its template
/// needs more of a post than a draft has (the build reports that one).
pub fn marked_snippets(
    site: &Site,
    tera: &tera::Tera,
    platform: Platform,
    post_url: &str,
) -> Option<Vec<Marked>> {
    let config = &site.config;
    let name = platform.name();
    if !config.share_platforms.iter().any(|p| p == name) {
        return None;
    }
    let template = format!("share/{name}.txt");
    let mark = |c: char| c.to_string();
    let hashtags: Vec<String> = config
        .share_hashtags
        .iter()
        .filter_map(|t| hashtag(t))
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert(
        "post",
        &serde_json::json!({
            "title": mark(marks::TITLE),
            "description": mark(marks::DESCRIPTION),
            "url": post_url,
            "slug": mark(marks::SLUG),
        }),
    );
    ctx.insert("guest_count", &1);
    ctx.insert("platform", name);
    ctx.insert("byline", &mark(marks::GUEST));
    ctx.insert("guests", &mark(marks::GUEST));
    ctx.insert("staff", "");
    ctx.insert(
        "site",
        &SiteValue {
            title: &config.title,
            url: config.url("/"),
            mention: &site_mention(config, platform),
        },
    );
    let (title, description) = (mark(marks::TITLE), mark(marks::DESCRIPTION));
    let mut out = Vec::new();
    for audience in Audience::BOTH {
        ctx.insert("audience", audience.name());
        for with_description in [true, false] {
            for kept in (0..=hashtags.len()).rev() {
                ctx.insert(
                    "slots",
                    &SlotsValue {
                        title: &title,
                        description: if with_description { &description } else { "" },
                        hashtags: &hashtags[..kept],
                    },
                );
                let text = tera.render(&template, &ctx).ok()?;
                out.push(Marked {
                    audience,
                    description: with_description,
                    hashtags: kept,
                    text: text.trim().to_string(),
                });
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_tags() {
        assert_eq!(join_names(&["a".into()]), "a");
        assert_eq!(
            join_names(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
        assert_eq!(
            hashtag("engineering culture").as_deref(),
            Some("#engineeringculture")
        );
        assert_eq!(hashtag("#on-call").as_deref(), Some("#oncall"));
        assert_eq!(hashtag("2024"), None);
    }
}
