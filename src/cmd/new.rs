//! `gen new post` and `gen new author`: files with every field written out and
//! explained, so a first-time contributor only fills in the blanks.

use std::path::Path;

use super::{Exit, Global};
use crate::diag::Diagnostic;
use crate::load::paths::slugify;

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
    /// The author's slug (the name of their file in authors/).
    #[arg(long)]
    pub author: String,
    /// Create the author's profile as a guest if it does not exist yet.
    #[arg(long)]
    pub guest: bool,
}

#[derive(Debug, clap::Args)]
pub struct AuthorArgs {
    /// The author's slug: lowercase letters, digits and hyphens (e.g. holly-powell).
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

fn write_new(g: &Global, rel: &Path, text: &str) -> Result<(), Exit> {
    let path = g.root.join(rel);
    if path.exists() {
        g.report(&[Diagnostic::error("the file already exists")
            .in_file(rel)
            .hint("choose another title or slug, or edit the existing file")]);
        return Err(Exit::SiteErrors);
    }
    let result = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&path, text));
    if let Err(e) = result {
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

/// The text of a new post.
pub fn post_template(title: &str, author: &str, date: &str) -> String {
    format!(
        r#"+++
title = {title}
date = {date}  # publication date: YYYY-MM-DD, or with a time as here
authors = [{author}]           # author slugs (files in authors/); add co-authors here

# One or two sentences for search results, feeds and share posts (optional:
# else the first paragraph is used).
# description = ""

# tags = ["community"]         # a few topics; reuse existing tags where you can
# categories = ["Practices"]

# A cover picture: beside this post (in a folder post) or under static/.
# image_alt is required with image: describe the picture for readers who
# cannot see it.
# image = "/images/my-cover.jpg"
# image_alt = ""
# image_credit = "Photo: …"

# draft = true                 # drafts are built only with `gen build --drafts`
# canonical_url = "https://…"  # if this first appeared on your own blog
+++

Write your first paragraph here: it is the summary shown on the home page.

<!-- more -->

The rest of your post. Markdown works: **bold**, [links](https://example.org),
lists, tables, footnotes[^1] and code blocks with a language, like ```rust.

[^1]: Like this one.
"#,
        title = toml_string(title),
        author = toml_string(author),
    )
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
        let author_file = Path::new("authors").join(format!("{}.toml", self.author));
        if !g.root.join(&author_file).exists() {
            if self.guest {
                let name = self.author.replace('-', " ");
                write_new(g, &author_file, &author_template(&name, true))?;
            } else {
                g.report(&[Diagnostic::error(format!("unknown author \"{}\"", self.author))
                    .in_file(&author_file)
                    .hint(format!(
                        "create the profile first with `gen new author {} --name \"…\"`, or pass --guest to create it",
                        self.author
                    ))]);
                return Err(Exit::SiteErrors);
            }
        }
        let (day, now) = local_now();
        let rel = Path::new("content/posts").join(format!("{day}-{slug}.md"));
        write_new(g, &rel, &post_template(&self.title, &self.author, &now))
    }
}

impl AuthorArgs {
    fn run(self, g: &Global) -> Result<(), Exit> {
        if self.slug != slugify(&self.slug) {
            g.report(&[
                Diagnostic::error(format!("\"{}\" is not a slug", self.slug)).hint(format!(
                    "use lowercase letters, digits and hyphens, e.g. \"{}\"",
                    slugify(&self.slug)
                )),
            ]);
            return Err(Exit::Usage);
        }
        let rel = Path::new("authors").join(format!("{}.toml", self.slug));
        write_new(g, &rel, &author_template(&self.name, !self.staff))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_valid() {
        let a: toml::Table = toml::from_str(&author_template("Holly \"H\" Powell", true)).unwrap();
        assert_eq!(a["name"].as_str(), Some("Holly \"H\" Powell"));
        let p = post_template("Hello \"world\"", "holly", "2024-05-01");
        let s = crate::load::frontmatter::split(&p).unwrap();
        let t: toml::Table = toml::from_str(s.matter).unwrap();
        assert_eq!(t["title"].as_str(), Some("Hello \"world\""));
    }
}
