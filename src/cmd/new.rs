//! `gen new post` and `gen new author`: files with every field written out and
//! explained, so a first-time contributor only fills in the blanks.

use std::io::Write as _;
use std::path::Path;

use super::{Exit, Global};
use crate::diag::Diagnostic;
use crate::load::valid_slug;
use crate::text::slug::slugify;

#[derive(Debug, clap::Subcommand)]
pub enum NewCommand {
    /// A new post in content/posts/.
    Post(PostArgs),
    /// A new author profile in authors/.
    Author(AuthorArgs),
}

#[derive(Debug, clap::Args)]
pub struct PostArgs {
    /// The post's title.
    pub title: String,
    /// An author's slug (the name of their file in authors/); repeat for
    /// co-authors: --author a --author b.
    #[arg(long = "author", alias = "authors", required = true)]
    pub authors: Vec<String>,
    /// Create the profiles of authors that do not exist yet, as guests.
    #[arg(long)]
    pub guest: bool,
    /// A folder post, content/posts/<slug>/index.md, with room for its pictures.
    #[arg(long)]
    pub bundle: bool,
    /// Front matter in YAML (between --- lines) rather than TOML.
    #[arg(long)]
    pub yaml: bool,
    /// Mark the post as a draft (built only with --drafts).
    #[arg(long)]
    pub draft: bool,
}

#[derive(Debug, clap::Args)]
pub struct AuthorArgs {
    /// The author's slug, the name of their profile file (e.g. holly-powell): no spaces,
    /// slashes or quotes, and not another author's slug in other letter case.
    pub slug: String,
    /// The name readers see.
    #[arg(long)]
    pub name: String,
    /// A staff author rather than a guest.
    #[arg(long)]
    pub staff: bool,
}

impl NewCommand {
    pub fn run(self, g: &Global) -> Result<(), Exit> {
        match self {
            NewCommand::Post(a) => a.run(g),
            NewCommand::Author(a) => a.run(g),
        }
    }
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Writes a new file; an existing file (or anything else at that path) is
/// never overwritten.
fn write_new(g: &Global, rel: &Path, text: &str) -> Result<(), Exit> {
    let path = g.root.join(rel);
    let exists = || {
        g.report(&[Diagnostic::error("the file already exists")
            .in_file(rel)
            .hint("choose another title or slug, or edit the existing file")]);
        Err(Exit::SiteErrors)
    };
    if std::fs::symlink_metadata(&path).is_ok() {
        return exists();
    }
    let result = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
        })
        .and_then(|mut f| f.write_all(text.as_bytes()));
    if let Err(e) = result {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            return exists();
        }
        g.report(&[Diagnostic::error(format!("cannot write the file: {e}")).in_file(rel)]);
        return Err(Exit::SiteErrors);
    }
    if !g.quiet {
        eprintln!("created {}", rel.display());
    }
    Ok(())
}

/// The text of a new author profile.
pub fn author_template(name: &str, guest: bool) -> String {
    format!(
        r#"# Your author profile. The file name is your slug: posts name you with it.
name = {name}                  # required: the name readers see

# A few sentences about you. Markdown is allowed.
bio = ""

# A square picture of you: put it beside this file (authors/me.jpg) or under
# static/, and give its path here. Leave it out if you prefer no picture.
# avatar = "me.jpg"

guest = {guest}                 # true for guest contributors, false for staff

# Your own site and its feed, shown on your author page.
# website = "https://example.org"
# feed = "https://example.org/rss.xml"

# Your handles, used to credit you when posts are shared. Leave out any you
# don't use.
[social]
# x = "yourhandle"                      # without the @
# mastodon = "@you@mastodon.social"     # @user@server
# bluesky = "you.bsky.social"           # your domain handle
# linkedin = "in/yourname"
# github = "yourname"
"#,
        name = toml_string(name),
    )
}

/// Today's local date (for file names) and the local time with its UTC offset
/// (for `date`). A bare date would mean midnight UTC, which east of UTC is still
/// in the future: the new post would be left out of the build as future-dated.
/// "Now" is the build's clock ([`crate::load::dates::now`]: `SOURCE_DATE_EPOCH`
/// when set), so a new post is never in the future of the build that follows.
pub fn local_now() -> (String, String) {
    let now = crate::load::dates::now().with_timezone(&chrono::Local);
    (
        now.format("%Y-%m-%d").to_string(),
        now.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
    )
}

/// What a new post is made from.
pub struct PostOptions<'a> {
    pub title: &'a str,
    pub authors: &'a [String],
    /// `date`, as written (a date or an RFC 3339 datetime).
    pub date: &'a str,
    pub draft: bool,
    /// YAML front matter between `---` lines instead of TOML between `+++`.
    pub yaml: bool,
    /// A `slug` to write, when the file name would not give the right one.
    pub slug: Option<&'a str>,
}

/// A YAML string: double-quoted (JSON's escapes are YAML's).
fn yaml_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// The text of a new post.
pub fn post_template(o: &PostOptions<'_>) -> String {
    let quote = if o.yaml { yaml_string } else { toml_string };
    let authors = o
        .authors
        .iter()
        .map(|a| quote(a))
        .collect::<Vec<_>>()
        .join(", ");
    let (fence, eq) = if o.yaml { ("---", ":") } else { ("+++", " =") };
    let mut m = String::new();
    m.push_str(&format!("{fence}\n"));
    m.push_str(&format!("title{eq} {}\n", quote(o.title)));
    if let Some(slug) = o.slug {
        m.push_str(&format!(
            "slug{eq} {}  # the address of the post: /posts/<slug>/\n",
            quote(slug)
        ));
    }
    m.push_str(&format!(
        "date{eq} {}  # publication date: YYYY-MM-DD, or with a time as here\n",
        o.date
    ));
    m.push_str(&format!(
        "authors{eq} [{authors}]           # author slugs (files in authors/); add co-authors here\n"
    ));
    if o.draft {
        m.push_str(&format!(
            "draft{eq} true                 # built only with `gen build --drafts`; remove to publish\n"
        ));
    }
    // Optional fields are written commented out.
    let c = "# ";
    m.push_str(&format!(
        r#"
# One or two sentences for search results, feeds and share posts (optional:
# else the first paragraph is used).
{c}description{eq} ""

{c}tags{eq} ["a-topic"]           # a few topics; reuse existing tags where you can
{c}categories{eq} ["A category"]  # a broader grouping; reuse an existing one

# A cover picture: beside this post (in a folder post) or under static/.
# image_alt is required with image: describe the picture for readers who
# cannot see it.
{c}image{eq} "cover.jpg"
{c}image_alt{eq} ""
{c}image_credit{eq} "Photo: …"
"#
    ));
    if !o.draft {
        m.push_str(&format!(
            "\n{c}draft{eq} true                 # drafts are built only with `gen build --drafts`\n"
        ));
    }
    m.push_str(&format!(
        r#"{c}canonical_url{eq} "https://…"  # if this first appeared on your own blog
{fence}

Write your first paragraph here: it is the summary shown on the home page.

<!-- more -->

The rest of your post. Markdown works: **bold**, [links](https://example.com),
lists, tables, footnotes[^1] and code blocks with a language, like ```rust.

[^1]: Like this one.
"#
    ));
    m
}

/// The slug the build gives a post from its file or folder name: the name
/// without a leading `YYYY-MM-DD-` (the build's own rule).
fn slug_of_name(name: &str) -> &str {
    crate::load::strip_date_prefix(name)
}

/// The posts in `content/posts/` whose file or folder name gives `slug`.
fn posts_with_slug(root: &Path, slug: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root.join("content/posts")) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            let stem = if path.is_dir() {
                path.join("index.md").is_file().then(|| name.clone())
            } else {
                name.strip_suffix(".md")
                    .or_else(|| name.strip_suffix(".markdown"))
                    .map(str::to_string)
            }?;
            (slug_of_name(&stem) == slug).then(|| format!("content/posts/{name}"))
        })
        .collect();
    found.sort();
    found
}

impl PostArgs {
    fn run(self, g: &Global) -> Result<(), Exit> {
        let slug = slugify(&self.title);
        if slug.is_empty() {
            g.report(&[Diagnostic::error(
                "the title has no letters or digits to make a file name from",
            )
            .hint("give the post a title with words in it")]);
            return Err(Exit::Usage);
        }
        for author in &self.authors {
            if !valid_slug(author) {
                g.report(&[Diagnostic::error(format!(
                    "--author \"{author}\" is not an author slug"
                ))
                .hint(format!(
                    "an author slug is the name of their file in authors/, without spaces, \
                     slashes or quotes, e.g. \"{}\"",
                    slugify(author)
                ))]);
                return Err(Exit::Usage);
            }
        }
        let taken = posts_with_slug(&g.root, &slug);
        if !taken.is_empty() {
            g.report(&[Diagnostic::error(format!(
                "a post with the slug \"{slug}\" already exists"
            ))
            .in_file(&taken[0])
            .hint("choose another title, or edit the existing post")]);
            return Err(Exit::SiteErrors);
        }
        let missing: Vec<&String> = self
            .authors
            .iter()
            .filter(|a| !g.root.join(format!("authors/{a}.toml")).exists())
            .collect();
        if !missing.is_empty() && !self.guest {
            let a = missing[0];
            g.report(&[Diagnostic::error(format!("unknown author \"{a}\""))
                .in_file(format!("authors/{a}.toml"))
                .hint(format!(
                    "create the profile first with `gen new author {a} --name \"…\"`, or pass --guest to create it"
                ))]);
            return Err(Exit::SiteErrors);
        }
        for a in missing {
            let name = a.replace('-', " ");
            write_new(
                g,
                &Path::new("authors").join(format!("{a}.toml")),
                &author_template(&name, true),
            )?;
        }
        let (day, now) = local_now();
        let (rel, slug_field) = if self.bundle {
            // The build strips a leading date from a folder's name too: a title
            // that starts with one keeps it only through `slug`.
            let field = (slug_of_name(&slug) != slug).then_some(slug.as_str());
            (
                Path::new("content/posts").join(&slug).join("index.md"),
                field,
            )
        } else {
            (
                Path::new("content/posts").join(format!("{day}-{slug}.md")),
                None,
            )
        };
        let text = post_template(&PostOptions {
            title: &self.title,
            authors: &self.authors,
            date: &now,
            draft: self.draft,
            yaml: self.yaml,
            slug: slug_field,
        });
        write_new(g, &rel, &text)
    }
}

impl AuthorArgs {
    fn run(self, g: &Global) -> Result<(), Exit> {
        if !valid_slug(&self.slug) {
            g.report(&[
                Diagnostic::error(format!("\"{}\" is not a slug", self.slug)).hint(format!(
                    "use letters, digits and hyphens, without spaces, slashes or quotes, e.g. \"{}\"",
                    slugify(&self.slug)
                )),
            ]);
            return Err(Exit::Usage);
        }
        // The build refuses two profiles whose slugs differ only in case (one
        // file on macOS and Windows), so `gen new` does not make the second one.
        if let Some(other) = author_with_slug_ignoring_case(&g.root, &self.slug) {
            g.report(&[Diagnostic::error(format!(
                "an author profile {other} already exists for \"{}\" (slugs that differ only in case are one author)",
                self.slug
            ))
            .hint("edit that profile, or choose another slug")]);
            return Err(Exit::Usage);
        }
        let rel = Path::new("authors").join(format!("{}.toml", self.slug));
        write_new(g, &rel, &author_template(&self.name, !self.staff))
    }
}

/// The existing profile `authors/<name>.toml` whose name equals `slug` ignoring case.
fn author_with_slug_ignoring_case(root: &Path, slug: &str) -> Option<String> {
    let entries = std::fs::read_dir(root.join("authors")).ok()?;
    entries.flatten().find_map(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        let stem = name.strip_suffix(".toml")?;
        (stem != slug && stem.to_lowercase() == slug.to_lowercase())
            .then(|| format!("authors/{name}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_valid() {
        let a: toml::Table = toml::from_str(&author_template("Holly \"H\" Powell", true)).unwrap();
        assert_eq!(a["name"].as_str(), Some("Holly \"H\" Powell"));
        let authors = ["holly".to_string(), "sam".to_string()];
        for (yaml, draft, slug) in [
            (false, false, None),
            (true, false, None),
            (false, true, Some("2024-recap")),
            (true, true, Some("2024-recap")),
        ] {
            let p = post_template(&PostOptions {
                title: "Hello \"world\": a: b",
                authors: &authors,
                date: "2024-05-01",
                draft,
                yaml,
                slug,
            });
            let s = crate::load::frontmatter::split(&p).unwrap();
            let t: serde_json::Value = if yaml {
                serde_norway::from_str(s.matter).unwrap()
            } else {
                serde_json::to_value(toml::from_str::<toml::Table>(s.matter).unwrap()).unwrap()
            };
            assert_eq!(t["title"], "Hello \"world\": a: b", "{p}");
            assert_eq!(t["authors"], serde_json::json!(["holly", "sam"]));
            assert_eq!(t["draft"].as_bool(), draft.then_some(true));
            assert_eq!(t["slug"].as_str(), slug);
        }
    }
}
