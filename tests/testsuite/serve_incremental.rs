//! The incremental rebuilds of `gen serve` produce exactly the output of a full
//! build of the same files, after every kind of change, and re-render only part
//! of the site for a content change.

use crate::support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use byline::load::LoadOptions;
use byline::render::{Content, Source};
use byline::serve::incremental::{Builder, Changed, Changes, Files, Outcome, Pending, Preview};
use std::sync::Arc;

const BASE: &str = "http://127.0.0.1:1111";

fn bytes(c: &Content) -> Vec<u8> {
    match c {
        Content::Text(s) => s.as_bytes().to_vec(),
        Content::Copy(Source::Embedded(b)) => b.to_vec(),
        Content::Bytes(b) => b.to_vec(),
        Content::Copy(Source::Disk(p)) => fs::read(p).unwrap_or_default(),
    }
}

fn incremental(files: &Files) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                bytes(&v.content().expect("the file reads back")),
            )
        })
        .collect()
}

fn full(root: &Path, drafts: bool) -> BTreeMap<String, Vec<u8>> {
    let opts = LoadOptions {
        drafts,
        future: false,
        base_url: Some(BASE),
    };
    let built = byline::build::build(root, opts).unwrap_or_else(|d| {
        panic!(
            "full build failed: {}",
            d.iter().map(|d| d.render_human(false)).collect::<String>()
        )
    });
    built
        .output
        .files
        .iter()
        .map(|(k, v)| (k.clone(), bytes(v)))
        .collect()
}

/// A fixture site with a builder that has built it once.
struct Fixture {
    site: support::Site,
    builder: Builder,
    drafts: bool,
}

/// Page templates that print their whole context, so that every value a page
/// is given shows in its output.
const DUMP_TEMPLATES: [&str; 9] = [
    "index.html",
    "post.html",
    "page.html",
    "authors.html",
    "author.html",
    "term.html",
    "terms.html",
    "404.html",
    "share.html",
];

impl Fixture {
    fn new(drafts: bool) -> Fixture {
        Fixture::with(drafts, false)
    }

    /// With templates that print their whole context.
    fn dumping() -> Fixture {
        Fixture::with(false, true)
    }

    fn with(drafts: bool, dump: bool) -> Fixture {
        let site = support::fixture("basic");
        if dump {
            for t in DUMP_TEMPLATES {
                site.write(&format!("templates/{t}"), "{{ __tera_context }}\n");
            }
        }
        let mut builder = Builder::new(&site.root, drafts, BASE);
        // As `gen serve` does: every comparison with a full build below also
        // checks the pages read back from the temporary file (where the
        // system allows it; in memory elsewhere).
        builder.keep_pages_on_disk();
        builder.build(&Changes::all()).expect("first build");
        let f = Fixture {
            site,
            builder,
            drafts,
        };
        f.assert_same("the first build");
        f
    }

    fn assert_same(&self, what: &str) {
        let inc = incremental(self.builder.files());
        let full = full(&self.site.root, self.drafts);
        let inc_keys: Vec<&String> = inc.keys().collect();
        let full_keys: Vec<&String> = full.keys().collect();
        assert_eq!(inc_keys, full_keys, "{what}: the output files differ");
        for (k, v) in &full {
            if inc[k] != *v {
                panic!(
                    "{what}: {k} differs from a full build\n--- incremental\n{}\n--- full\n{}",
                    String::from_utf8_lossy(&inc[k]),
                    String::from_utf8_lossy(v)
                );
            }
        }
    }

    /// Rebuilds after changes to `paths` and checks the output against a full build.
    fn rebuild(&mut self, what: &str, paths: &[&str]) -> Outcome {
        let changes = Changes::paths(paths.iter().map(PathBuf::from));
        let outcome = self.builder.build(&changes).unwrap_or_else(|d| {
            panic!(
                "{what}: rebuild failed: {}",
                d.iter().map(|d| d.render_human(false)).collect::<String>()
            )
        });
        self.assert_same(what);
        outcome
    }

    fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) {
        let text = self.site.read(rel);
        let new = f(text.clone());
        assert_ne!(text, new, "the edit of {rel} changes nothing");
        self.site.write(rel, new);
    }
}

const GUEST_POST: &str = "content/posts/2024-02-01-guest-hello.md";
const STAFF_POST: &str = "content/posts/2024-01-10-staff-intro.md";

/// A full build renders `/archive/` last, from the posts' list values moved
/// into its context rather than copied; the preview renders it with the
/// other pages, from copies. The whole context must be the same.
#[test]
fn the_archive_made_from_moved_list_values_is_the_one_the_preview_makes() {
    let site = support::fixture("basic");
    site.write("templates/archive.html", "{{ __tera_context }}\n");
    let mut builder = Builder::new(&site.root, false, BASE);
    builder.build(&Changes::all()).expect("first build");
    let inc = incremental(builder.files());
    let full = full(&site.root, false);
    let page = "archive/index.html";
    assert!(
        full[page].len() > 1000 && String::from_utf8_lossy(&full[page]).contains("\"years\""),
        "the archive's context is dumped"
    );
    assert_eq!(
        String::from_utf8_lossy(&inc[page]),
        String::from_utf8_lossy(&full[page])
    );
    assert_eq!(inc, full);
}
#[test]
fn body_edit_renders_few_pages() {
    let mut f = Fixture::new(false);
    f.edit(GUEST_POST, |t| t + "\nA new closing paragraph.\n");
    let o = f.rebuild("body edit", &[GUEST_POST]);
    assert!(!o.full, "a body edit rendered everything");
    assert_eq!(o.bodies, 1, "only the edited body is rendered again");
    let total = f.builder.files().len();
    assert!(
        o.rendered * 2 < total,
        "a body edit rendered {} of {total} files",
        o.rendered
    );
    // Words swapped after the summary: the list value stays, the body changes.
    f.edit(GUEST_POST, |t| {
        t.replace("The footnote text.", "The footnote words.")
    });
    f.rebuild("body edit after the summary", &[GUEST_POST]);
    // Nothing changed: nothing rendered.
    let o = f.rebuild("no change", &[GUEST_POST]);
    assert_eq!(o.rendered, 0);
    assert!(o.changed.is_empty(), "{:?}", o.changed);
}

#[test]
fn title_change() {
    let mut f = Fixture::new(false);
    f.edit(GUEST_POST, |t| {
        t.replace("Hello from a guest", "Greetings from a guest")
    });
    f.rebuild("title change", &[GUEST_POST]);
}

#[test]
fn date_change_reorders() {
    let mut f = Fixture::new(false);
    // The oldest post becomes the newest.
    f.edit(STAFF_POST, |t| {
        t.lines()
            .map(|l| {
                if l.starts_with("date") {
                    "date = 2024-12-24".to_string()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
    f.rebuild("date change", &[STAFF_POST]);
}

#[test]
fn new_deleted_and_renamed_posts() {
    let mut f = Fixture::new(false);
    let new = "content/posts/2024-10-01-new-one.md";
    f.site.write(
        new,
        "+++\ntitle = \"A new one\"\ndate = 2024-10-01\nauthors = [\"gina-guest\"]\ntags = [\"rust\", \"fresh\"]\n+++\n\nNew words.\n",
    );
    f.rebuild("new post", &[new]);
    fs::remove_file(f.site.path(new)).unwrap();
    f.rebuild("deleted post", &[new]);
    fs::remove_file(f.site.path(GUEST_POST)).unwrap();
    f.rebuild("deleted linked-to post", &[GUEST_POST]);
    let old = "content/posts/2024-06-01-staff-more.md";
    let renamed = "content/posts/2024-06-01-staff-renamed.md";
    fs::rename(f.site.path(old), f.site.path(renamed)).unwrap();
    f.rebuild("renamed post", &[old, renamed]);
    // A post that links to a post by its file name follows the rename of its
    // slug.
    f.site.write(
        GUEST_POST,
        "+++\ntitle = \"Back\"\ndate = 2024-02-01\nauthors = [\"gus-guest\"]\n+++\n\nSee [more](2024-06-01-staff-renamed.md).\n",
    );
    f.rebuild("guest post back", &[GUEST_POST]);
    f.edit(renamed, |t| {
        t.replacen("+++\n", "+++\nslug = \"more-from-staff\"\n", 1)
    });
    f.rebuild("slug change of a linked-to post", &[renamed]);
}

#[test]
fn author_profile_changes() {
    let mut f = Fixture::new(false);
    let gus = "authors/gus-guest.toml";
    f.edit(gus, |t| t.replace("name = ", "name = \"Augustus\"\n#"));
    f.rebuild("author name", &[gus]);
    f.edit(gus, |t| t + "\nbio = \"Writes *often*.\"\n");
    f.rebuild("author bio", &[gus]);
    // A handle: share kits are made again, not reused, and name the new one.
    f.edit(gus, |t| t.replace("x = \"gusx\"", "x = \"gus_new\""));
    f.rebuild("author handle", &[gus]);
    let kit = &incremental(f.builder.files())["share/guest-hello/snippets.json"];
    assert!(String::from_utf8_lossy(kit).contains("@gus_new"));
    // Staff now: posts are no longer sanitized as a guest's.
    f.edit(gus, |t| {
        if t.contains("guest = true") {
            t.replace("guest = true", "guest = false")
        } else {
            t + "\nguest = false\n"
        }
    });
    f.rebuild("author becomes staff", &[gus]);
    let new = "authors/nia-new.toml";
    f.site.write(new, "name = \"Nia New\"\n");
    f.rebuild("new author", &[new]);
    fs::remove_file(f.site.path(new)).unwrap();
    f.rebuild("author removed", &[new]);
}

#[test]
fn tags_pages_static_and_drafts() {
    let mut f = Fixture::new(false);
    f.edit(STAFF_POST, |t| {
        t.replace(
            "tags = [\"Rust Lang\"",
            "tags = [\"brand-new-tag\", \"Rust Lang\"",
        )
    });
    f.rebuild("tag added", &[STAFF_POST]);
    f.edit("content/about.md", |t| t + "\nMore about us.\n");
    f.rebuild("page edit", &["content/about.md"]);
    f.site.write("static/notes.txt", "plain");
    f.rebuild("static file added", &["static/notes.txt"]);
    f.site.write("static/notes.txt", "plain, changed");
    let o = f.rebuild("static file edited", &["static/notes.txt"]);
    assert_eq!(o.rendered, 0);
    fs::remove_file(f.site.path("static/notes.txt")).unwrap();
    f.rebuild("static file removed", &["static/notes.txt"]);
    // A static file where a page is: two sources for one path, an error;
    // when the page goes, the file is published; when it is back, the error
    // is back until the file goes.
    let shadow = "static/posts/staff-more/index.html";
    let clash = |f: &mut Fixture, path: &str| {
        let result = f.builder.build(&Changes::paths([PathBuf::from(path)]));
        assert!(
            result.is_err_and(|d| d
                .iter()
                .any(|d| d.message.starts_with("two sources for /posts/staff-more/"))),
            "a static file at a post's path is an error"
        );
    };
    f.site.write(shadow, "<p>static</p>");
    clash(&mut f, shadow);
    let post = "content/posts/2024-06-01-staff-more.md";
    let text = f.site.read(post);
    fs::remove_file(f.site.path(post)).unwrap();
    f.rebuild("the page goes, the file shows", &[post]);
    f.site.write(post, &text);
    clash(&mut f, post);
    fs::remove_file(f.site.path(shadow)).unwrap();
    f.rebuild("the page is back", &[shadow]);
    // A bundle post with its pictures.
    f.site.write(
        "content/posts/new-bundle/index.md",
        "+++\ntitle = \"Bundled\"\ndate = 2024-03-03\nauthors = [\"ada-staff\"]\n+++\n\n![A picture](pic.png)\n",
    );
    // A real picture: one that cannot be decoded is an error at its line.
    let png = fs::read(support::fixtures_dir().join("basic/content/posts/bundle-post/cover.png"))
        .unwrap();
    f.site.write("content/posts/new-bundle/pic.png", png);
    f.rebuild(
        "bundle added",
        &[
            "content/posts/new-bundle/index.md",
            "content/posts/new-bundle/pic.png",
        ],
    );
    fs::remove_file(f.site.path("content/posts/new-bundle/pic.png")).unwrap();
    f.site.write(
        "content/posts/new-bundle/index.md",
        "+++\ntitle = \"Bundled\"\ndate = 2024-03-03\nauthors = [\"ada-staff\"]\n+++\n\nNo picture now.\n",
    );
    f.rebuild(
        "bundle picture removed",
        &[
            "content/posts/new-bundle/index.md",
            "content/posts/new-bundle/pic.png",
        ],
    );
    let draft = "content/posts/2024-08-01-secret-draft.md";
    f.edit(draft, |t| t.replace("draft = true", "draft = false"));
    f.rebuild("draft published", &[draft]);
}

#[test]
fn drafts_included() {
    let mut f = Fixture::new(true);
    let draft = "content/posts/2024-08-01-secret-draft.md";
    f.edit(draft, |t| t + "\nStill writing.\n");
    f.rebuild("draft edit", &[draft]);
}

#[test]
fn templates_and_config() {
    let mut f = Fixture::new(false);
    let footer = "templates/partials/footer.html";
    f.site.write(
        footer,
        "<footer class=\"site-footer\">Overridden footer</footer>\n",
    );
    let o = f.rebuild("template override", &[footer]);
    // Every page shows the footer; the share kits' JSON does not.
    let changed = changed_paths(&o);
    let pages: Vec<String> = f
        .builder
        .files()
        .keys()
        .filter(|k| k.ends_with(".html"))
        .map(|k| k.to_string())
        .collect();
    for page in &pages {
        assert!(changed.contains(page), "{page} kept the old footer");
    }
    assert_eq!(o.rendered, pages.len(), "only the pages render again");
    f.edit("gen.toml", |t| {
        t.replace("paginate_by = 2", "paginate_by = 3")
    });
    f.rebuild("config change", &["gen.toml"]);
    fs::remove_file(f.site.path(footer)).unwrap();
    f.rebuild("template override removed", &[footer]);
}

/// The output paths a rebuild changed.
fn changed_paths(o: &Outcome) -> std::collections::BTreeSet<String> {
    match &o.changed {
        Changed::Paths(p) => p.clone(),
        Changed::All => panic!("expected a partial rebuild"),
    }
}

#[test]
fn a_template_change_renders_only_the_pages_made_with_it() {
    let mut f = Fixture::new(false);
    // Listing cards: the home, author, tag and category listings, not posts.
    let card = "templates/partials/post_card.html";
    f.site.write(
        card,
        "<article class=\"card\"><a href=\"{{ post.url }}\">{{ post.title }}</a></article>\n",
    );
    let o = f.rebuild("card template override", &[card]);
    let changed = changed_paths(&o);
    assert!(changed.contains("index.html"), "{changed:?}");
    assert!(
        changed.iter().any(|p| p.starts_with("tags/")),
        "{changed:?}"
    );
    assert!(
        !changed
            .iter()
            .any(|p| p.starts_with("posts/") || p.starts_with("share/")),
        "{changed:?}"
    );
    assert!(!o.full);

    // A snippet template: the share kits and nothing else.
    let x = "templates/share/x.txt";
    f.site
        .write(x, "{{ slots.title }} by {{ byline }} {{ post.url }}\n");
    let o = f.rebuild("snippet template override", &[x]);
    let changed = changed_paths(&o);
    assert!(!changed.is_empty());
    assert!(
        changed.iter().all(|p| p.starts_with("share/")),
        "{changed:?}"
    );
    let kits = f
        .builder
        .files()
        .keys()
        .filter(|k| k.starts_with("share/"))
        .count();
    assert_eq!(o.rendered, kits, "the kits' pages and JSON, nothing more");

    // Back to the theme's own templates.
    fs::remove_file(f.site.path(card)).unwrap();
    fs::remove_file(f.site.path(x)).unwrap();
    f.rebuild("overrides removed", &[card, x]);
}

#[test]
fn broken_then_fixed() {
    let mut f = Fixture::new(false);
    let before = f.site.read(GUEST_POST);
    f.site
        .write(GUEST_POST, before.replace("title = ", "title = = "));
    let changes = Changes::paths([PathBuf::from(GUEST_POST)]);
    let errors = f.builder.build(&changes).expect_err("broken front matter");
    assert!(
        errors
            .iter()
            .any(|d| d.is_error() && d.path.as_deref() == Some(Path::new(GUEST_POST))),
        "{errors:?}"
    );
    // The last good output stays.
    assert!(
        f.builder
            .files()
            .contains_key("posts/guest-hello/index.html")
    );
    f.site
        .write(GUEST_POST, before.replace("Gus says hello", "Gus says hi"));
    f.rebuild("fixed", &[GUEST_POST]);

    // A static file replaced by a link out of the site, then restored.
    let hero = "static/images/hero.jpg";
    let picture = fs::read(f.site.path(hero)).unwrap();
    let outside = f.site.outside("elsewhere.jpg");
    fs::write(&outside, "not in the site").unwrap();
    fs::remove_file(f.site.path(hero)).unwrap();
    std::os::unix::fs::symlink(&outside, f.site.path(hero)).unwrap();
    f.builder
        .build(&Changes::paths([PathBuf::from(hero)]))
        .expect_err("a link out of the site");
    fs::remove_file(f.site.path(hero)).unwrap();
    fs::write(f.site.path(hero), &picture).unwrap();
    f.rebuild("picture restored", &[hero]);

    // A broken template, then fixed.
    let post = "templates/post.html";
    f.site.write(post, "{% block nope %}");
    f.builder
        .build(&Changes::paths([PathBuf::from(post)]))
        .expect_err("broken template");
    fs::remove_file(f.site.path(post)).unwrap();
    f.rebuild("template fixed", &[post]);
}

#[test]
fn every_context_value_stays_up_to_date() {
    let mut f = Fixture::dumping();
    f.edit(GUEST_POST, |t| t + "\nA new closing paragraph.\n");
    let o = f.rebuild("body edit", &[GUEST_POST]);
    assert!(!o.full);
    f.edit(GUEST_POST, |t| t.replace("Hello from a guest", "Greetings"));
    f.rebuild("title change", &[GUEST_POST]);
    let new = "content/posts/2024-10-01-new-one.md";
    f.site.write(
        new,
        "+++\ntitle = \"A new one\"\ndate = 2024-10-01\nauthors = [\"gina-guest\", \"sam-staff\"]\ntags = [\"rust\", \"fresh\"]\ncategories = [\"Guest Posts\"]\n+++\n\nNew words.\n",
    );
    f.rebuild("new post with tags", &[new]);
    f.edit(STAFF_POST, |t| {
        t.replace("tags = [\"Rust Lang\"", "tags = [\"fresh\", \"Rust Lang\"")
    });
    f.rebuild("tag added", &[STAFF_POST]);
    let gina = "authors/gina-guest.toml";
    f.edit(gina, |t| t.replace("Gina Guest", "Gina G."));
    f.rebuild("author renamed", &[gina]);
    f.edit(new, |t| t.replace("date = 2024-10-01", "date = 2023-01-01"));
    f.rebuild("date change", &[new]);
    fs::remove_file(f.site.path(new)).unwrap();
    f.rebuild("post deleted", &[new]);
    f.edit("content/about.md", |t| {
        t.replace("What Fixture Notes is.", "About us.")
    });
    f.rebuild("page front matter", &["content/about.md"]);
}

/// A preview that records what each build published, with the pages it
/// says are open.
struct Recorder {
    open: Vec<String>,
    published: Vec<Published>,
}

impl Preview for Recorder {
    fn open_pages(&self) -> Vec<String> {
        self.open.clone()
    }

    fn publish(&mut self, files: &Arc<Files>, changed: &Changed, pending: Option<&Arc<Pending>>) {
        self.published
            .push((files.clone(), changed.clone(), pending.cloned()));
    }
}

/// What one build publishes: the output, what changed, what is pending.
type Published = (Arc<Files>, Changed, Option<Arc<Pending>>);

impl Fixture {
    /// Rebuilds after `path` changed with no page open, checks the result
    /// against a full build (`what` names the change), and returns what the
    /// build published, in order.
    fn rebuild_recorded(&mut self, path: &str, what: &str) -> Vec<Published> {
        let mut rec = Recorder {
            open: Vec::new(),
            published: Vec::new(),
        };
        self.builder
            .build_for(&Changes::paths([PathBuf::from(path)]), &mut rec)
            .expect("the rebuild");
        self.assert_same(what);
        rec.published
    }
}

fn text_of(files: &Files, key: &str) -> String {
    String::from_utf8(bytes(
        &files
            .content(key)
            .unwrap_or_else(|| panic!("no {key}"))
            .expect("the page reads back"),
    ))
    .unwrap()
}

#[test]
fn a_template_change_publishes_the_open_pages_first() {
    let mut f = Fixture::new(false);
    f.builder.set_early_after(1);
    let before = f.builder.files().clone();
    let base = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"),
    )
    .unwrap();
    f.site.write(
        "templates/base.html",
        base.replacen("<head>", "<head><!-- marked -->", 1),
    );
    let mut rec = Recorder {
        open: vec!["authors/index.html".to_string()],
        published: Vec::new(),
    };
    f.builder
        .build_for(
            &Changes::paths([PathBuf::from("templates/base.html")]),
            &mut rec,
        )
        .expect("the rebuild");
    f.assert_same("base.html marked");
    assert_eq!(
        rec.published.len(),
        3,
        "the open page first, then the rest, then the search index"
    );
    let (first, changed, pending) = &rec.published[0];
    let pending = pending
        .as_ref()
        .expect("the first publish names the pages still to make");
    assert_eq!(
        changed,
        &Changed::Paths(["authors/index.html".to_string()].into()),
        "only the open page is new at first"
    );
    assert!(text_of(first, "authors/index.html").contains("<!-- marked -->"));
    // Every other page is pending, and still the last build's meanwhile.
    assert!(pending.contains("index.html"));
    assert!(!pending.contains("authors/index.html"));
    assert_eq!(text_of(first, "index.html"), text_of(&before, "index.html"));
    let (last, changed, pending) = &rec.published[1];
    assert!(pending.is_none(), "the second publish is the whole build");
    assert!(text_of(last, "index.html").contains("<!-- marked -->"));
    let Changed::Paths(changed) = changed else {
        panic!("a template change names the pages it changed");
    };
    assert!(changed.contains("index.html"));
    assert!(
        !changed.contains("authors/index.html"),
        "the open page reloads once"
    );
    // The post pages changed: the search index is made again, last.
    assert_search_publish(&rec.published[2]);
}

/// A publish of the search index alone, made again after the pages.
#[allow(clippy::type_complexity)]
fn assert_search_publish((_, changed, pending): &(Arc<Files>, Changed, Option<Arc<Pending>>)) {
    assert!(
        pending.is_none(),
        "the search index comes with a whole build"
    );
    let Changed::Paths(changed) = changed else {
        panic!("the search index names the files it changed");
    };
    assert!(
        !changed.is_empty() && changed.iter().all(|p| p.starts_with("pagefind/")),
        "{changed:?}"
    );
}

#[test]
fn an_edited_post_is_published_first() {
    let mut f = Fixture::new(false);
    f.builder.set_early_after(1);
    f.edit(GUEST_POST, |t| {
        t.replace(
            "title = \"Hello from a guest\"",
            "title = \"Hello again from a guest\"",
        )
    });
    let published = f.rebuild_recorded(GUEST_POST, "a title edit");
    assert_eq!(
        published.len(),
        4,
        "the post, the pages still to make named, the rest, the search index"
    );
    assert_search_publish(&published[3]);
    let page = "posts/guest-hello/index.html";
    let (first, changed, pending) = &published[0];
    assert_eq!(changed, &Changed::Paths([page.to_string()].into()));
    assert!(text_of(first, page).contains("Hello again from a guest"));
    // Published before the rest is planned: nothing is known to be pending
    // yet, and the listings are still the last build's.
    let pending = pending.as_ref().expect("the build goes on");
    assert!(pending.is_empty(), "{pending:?}");
    assert!(!text_of(first, "tags/rust/index.html").contains("Hello again from a guest"));
    // Then the listings that show the title are named as still to come; the
    // post's page, made already, does not reload again.
    let (second, changed, pending) = &published[1];
    assert_eq!(changed, &Changed::Paths(Default::default()));
    assert_eq!(text_of(second, page), text_of(first, page));
    let pending = pending.as_ref().expect("the build goes on");
    assert!(pending.contains("tags/rust/index.html"), "{pending:?}");
    assert!(!pending.contains(page), "{pending:?}");
    let (last, changed, pending) = &published[2];
    assert!(pending.is_none(), "the third publish is the whole build");
    assert!(text_of(last, "tags/rust/index.html").contains("Hello again from a guest"));
    let Changed::Paths(changed) = changed else {
        panic!("a post edit names the pages it changed");
    };
    assert!(changed.contains("tags/rust/index.html"), "{changed:?}");
    assert!(!changed.contains(page), "the post's page reloads once");
}

/// Without a page to publish early (fewer stale pages than `early_after`),
/// the edited post's page still goes first, and reloads once.
#[test]
fn an_edited_post_goes_first_even_when_nothing_else_would() {
    let mut f = Fixture::new(false);
    f.builder.set_early_after(usize::MAX);
    f.edit(GUEST_POST, |t| {
        t.replace("Gus says hello.", "Gus says hello again.")
    });
    let published = f.rebuild_recorded(GUEST_POST, "a body edit");
    let page = "posts/guest-hello/index.html";
    let (first, changed, pending) = &published[0];
    assert_eq!(changed, &Changed::Paths([page.to_string()].into()));
    assert!(pending.as_ref().is_some_and(|p| p.is_empty()));
    let (last, changed, pending) = &published[1];
    assert!(pending.is_none(), "then the whole build");
    assert_eq!(text_of(last, page), text_of(first, page));
    let Changed::Paths(changed) = changed else {
        panic!("a post edit names the pages it changed");
    };
    assert!(!changed.contains(page), "the post's page reloads once");
}

/// Aliases added, moved to another post, retargeted by a slug change and
/// removed: the redirect pages and `/_redirects` follow, as in a full build.
#[test]
fn aliases_follow_their_pages() {
    let mut f = Fixture::new(false);
    f.edit(GUEST_POST, |t| {
        t.replacen(
            "+++\n\n",
            "aliases = [\"/2024/02/01/guest-hello/\", \"/hello.html\"]\n+++\n\n",
            1,
        )
    });
    f.rebuild("aliases added", &[GUEST_POST]);
    assert!(f.builder.files().contains_key("hello.html"));
    f.edit(GUEST_POST, |t| {
        t.replace(
            "title = \"Hello from a guest\"",
            "title = \"Hello from a guest\"\nslug = \"hello-again\"",
        )
    });
    f.rebuild("the target moved", &[GUEST_POST]);
    f.edit(GUEST_POST, |t| t.replace(", \"/hello.html\"", ""));
    f.edit(STAFF_POST, |t| {
        t.replacen("+++\n\n", "aliases = [\"/hello.html\"]\n+++\n\n", 1)
    });
    f.rebuild("an alias moved to another post", &[GUEST_POST, STAFF_POST]);
    f.edit(GUEST_POST, |t| {
        t.replace("aliases = [\"/2024/02/01/guest-hello/\"]\n", "")
    });
    f.edit(STAFF_POST, |t| {
        t.replace("aliases = [\"/hello.html\"]\n", "")
    });
    f.rebuild("aliases removed", &[GUEST_POST, STAFF_POST]);
    assert!(!f.builder.files().contains_key("_redirects"));
}

/// With a dated permalink pattern, year and month listings appear, move and
/// disappear with the posts' dates, as in a full build.
#[test]
fn archives_follow_the_dates() {
    let site = support::fixture("basic");
    site.edit("gen.toml", "/posts/:slug/", "/:year/:month/:slug/");
    let mut builder = Builder::new(&site.root, false, BASE);
    builder.build(&Changes::all()).expect("first build");
    let mut f = Fixture {
        site,
        builder,
        drafts: false,
    };
    f.assert_same("the first build");
    assert!(f.builder.files().contains_key("2024/02/index.html"));
    f.edit(GUEST_POST, |t| {
        t.replace("date = 2024-02-01T09:30:00+02:00", "date = 2023-11-05")
    });
    f.rebuild("a post moved to another year", &[GUEST_POST]);
    assert!(f.builder.files().contains_key("2023/11/index.html"));
    assert!(!f.builder.files().contains_key("2024/02/index.html"));
    f.edit(GUEST_POST, |t| {
        t.replace("title = \"Hello from a guest\"", "title = \"Hello again\"")
    });
    f.rebuild("a title in the archive changed", &[GUEST_POST]);
}

/// A post's related posts follow the tags of the others, as in a full build.
#[test]
fn related_posts_follow_the_tags() {
    let mut f = Fixture::new(false);
    f.edit(STAFF_POST, |t| {
        t.replace(
            "tags = [\"Rust Lang\", \"meta\"]",
            "tags = [\"Rust Lang\", \"meta\", \"rust\", \"community\"]",
        )
    });
    f.rebuild("a post gained tags", &[STAFF_POST]);
    f.edit(GUEST_POST, |t| {
        t.replace("tags = [\"rust\", \"community\"]", "tags = [\"pictures\"]")
    });
    f.rebuild("a post lost its tags", &[GUEST_POST]);
    f.edit(GUEST_POST, |t| {
        t.replace(
            "title = \"Hello from a guest\"",
            "title = \"Hello, related\"",
        )
    });
    f.rebuild("a related post's title changed", &[GUEST_POST]);
}

/// The parts of a series follow one another: joining, a part's new title and
/// leaving render what a full build renders.
#[test]
fn series_parts_follow_each_other() {
    let mut f = Fixture::new(false);
    f.edit(STAFF_POST, |t| {
        t.replace(
            "tags = [\"Rust Lang\", \"meta\"]",
            "tags = [\"Rust Lang\", \"meta\"]\nseries = \"Getting started\"",
        )
    });
    f.edit(GUEST_POST, |t| {
        t.replace(
            "tags = [\"rust\", \"community\"]",
            "tags = [\"rust\", \"community\"]\nseries = \"Getting started\"",
        )
    });
    f.rebuild("two posts joined a series", &[STAFF_POST, GUEST_POST]);
    f.edit(GUEST_POST, |t| {
        t.replace(
            "title = \"Hello from a guest\"",
            "title = \"Hello, part two\"",
        )
    });
    f.rebuild("a part's title changed", &[GUEST_POST]);
    f.edit(STAFF_POST, |t| {
        t.replace("series = \"Getting started\"", "series = \"Other\"")
    });
    f.rebuild("a part left the series", &[STAFF_POST]);
}

/// The search index follows an edit: made again from the pages the preview
/// holds, the same bytes as a full build's, with the new words in it; and a
/// rebuild that changes no indexed page keeps it.
#[test]
fn search_index_follows_an_edit() {
    let mut f = Fixture::new(false);
    let index = |f: &Fixture| -> Vec<String> {
        f.builder
            .files()
            .iter()
            .map(|(k, _)| k.to_string())
            .filter(|k| k.starts_with("pagefind/"))
            .collect()
    };
    let first = index(&f);
    assert!(first.iter().any(|k| k.ends_with(".pf_fragment")));
    f.edit(GUEST_POST, |t| t + "\nA word like quokkaberry.\n");
    let o = f.rebuild("a post's body", &[GUEST_POST]);
    assert!(
        changed_paths(&o).iter().any(|p| p.starts_with("pagefind/")),
        "{:?}",
        o.changed
    );
    assert_ne!(index(&f), first, "the edited post's fragment is new");
    // An author's bio shows on post pages, which are indexed; a change to
    // no page at all keeps the index.
    let o = f.rebuild("nothing", &[GUEST_POST]);
    assert!(o.changed.is_empty(), "{:?}", o.changed);
    // A post removed leaves the index.
    fs::remove_file(f.site.path(GUEST_POST)).unwrap();
    f.rebuild("a post deleted", &[GUEST_POST]);
    // Search turned off takes the index and the search page away.
    f.edit("gen.toml", |t| t + "\n[search]\nenabled = false\n");
    f.rebuild("search off", &["gen.toml"]);
    assert!(index(&f).is_empty());
    f.edit("gen.toml", |t| {
        t.replace("enabled = false", "enabled = true")
    });
    f.rebuild("search on", &["gen.toml"]);
}

/// "Writes about the same things" on the author pages and the OPML file
/// follow the tags, categories, names and feeds they show, as in a full
/// build.
#[test]
fn similar_authors_and_the_opml_file_follow_the_site() {
    let mut f = Fixture::new(false);
    f.edit(STAFF_POST, |t| {
        t.replace(
            "tags = [\"Rust Lang\", \"meta\"]",
            "tags = [\"Rust Lang\", \"meta\", \"rust\"]",
        )
    });
    f.rebuild("an author took up another's tag", &[STAFF_POST]);
    f.edit(GUEST_POST, |t| {
        t.replace("categories = [\"Guest Posts\"]", "categories = [\"News\"]")
    });
    f.rebuild("a post changed its category", &[GUEST_POST]);
    f.edit("authors/sam-staff.toml", |t| {
        t.replace("name = \"Sam Staff\"", "name = \"Aaron Staff\"")
    });
    f.rebuild("a similar author's name", &["authors/sam-staff.toml"]);
    f.edit("authors/gina-guest.toml", |t| {
        t.replace(
            "guest = true",
            "guest = true\nfeed = \"https://gina.example/feed.xml\"",
        )
    });
    f.rebuild("an author's own feed", &["authors/gina-guest.toml"]);
    f.site.write(
        "content/posts/2025-01-01-newest.md",
        "+++\ntitle = \"Newest\"\ndate = 2025-01-01\nauthors = [\"gina-guest\"]\ntags = [\"meta\"]\n+++\n\nNew.\n",
    );
    f.rebuild("a newer post", &["content/posts/2025-01-01-newest.md"]);
}

/// The contributors' pages and the author pages follow `data/contributors.json`
/// (written by `gen fetch`): added, edited, broken and removed.
#[test]
fn contributors_follow_the_data_file() {
    let mut f = Fixture::new(false);
    let data = |title: &str| {
        format!(
            r#"{{"authors": {{"gus-guest": {{"feed": {{"url": "https://gus.example/rss.xml"}}, "entries": [
{{"title": "{title}", "link": "https://gus.example/a/", "date": "2024-03-01T10:00:00Z", "summary": "S."}},
{{"title": "Second", "link": "https://gus.example/b/", "summary": ""}}]}}}}}}"#
        )
    };
    f.site.write("data/contributors.json", data("First"));
    f.rebuild("a data file added", &["data/contributors.json"]);
    assert!(f.builder.files().contains_key("contributors/index.html"));
    assert!(f.builder.files().contains_key("contributors/rss.xml"));
    assert!(text_of(f.builder.files(), "authors/gus-guest/index.html").contains("First"));
    f.site.write("data/contributors.json", data("Renamed"));
    let o = f.rebuild("an entry renamed", &["data/contributors.json"]);
    let changed = changed_paths(&o);
    assert!(changed.contains("contributors/index.html"), "{changed:?}");
    assert!(
        changed.contains("authors/gus-guest/index.html"),
        "{changed:?}"
    );
    assert!(
        !changed.contains("authors/ada-staff/index.html"),
        "{changed:?}"
    );
    f.edit("authors/gus-guest.toml", |t| {
        t.replace("name = \"Gus Guest\"", "name = \"Gus G.\"")
    });
    f.rebuild("the author renamed", &["authors/gus-guest.toml"]);
    assert!(text_of(f.builder.files(), "contributors/index.html").contains("Gus G."));
    f.site.write("data/contributors.json", "{ broken");
    f.rebuild("the data file broken", &["data/contributors.json"]);
    assert!(!f.builder.files().contains_key("contributors/index.html"));
    f.site.write("data/contributors.json", data("Back"));
    f.rebuild("the data file mended", &["data/contributors.json"]);
    std::fs::remove_file(f.site.path("data/contributors.json")).unwrap();
    f.rebuild("the data file removed", &["data/contributors.json"]);
    assert!(!f.builder.files().contains_key("contributors/index.html"));
}

/// A post's page follows its `data/mentions/<slug>.json` and
/// `data/comments/<slug>.json`: added, edited, broken and removed; other
/// posts' pages are not made again.
#[test]
fn responses_follow_their_data_files() {
    let mut f = Fixture::new(false);
    let file = "data/mentions/staff-intro.json";
    let data = |name: &str| {
        format!(
            r#"{{"mentions": [{{"id": "1", "kind": "reply", "author": {{"name": "{name}"}}, "url": "https://r.example/1", "content": "Hi."}},
{{"id": "2", "kind": "like", "author": {{"name": "L", "photo": "https://r.example/l.png"}}}}]}}"#
        )
    };
    f.site.write(file, data("Rae"));
    let o = f.rebuild("a mentions file added", &[file]);
    let changed = changed_paths(&o);
    let page = changed
        .iter()
        .find(|p| p.contains("staff-intro") && p.ends_with("index.html"))
        .cloned()
        .unwrap_or_else(|| panic!("the post's page is made again: {changed:?}"));
    assert!(text_of(f.builder.files(), &page).contains("Rae"));
    assert!(
        !changed.iter().any(|p| p.contains("guest-hello")),
        "{changed:?}"
    );
    f.site.write(file, data("Ray"));
    let o = f.rebuild("a reply's author renamed", &[file]);
    assert!(changed_paths(&o).contains(&page));
    f.site.write(
        "data/comments/staff-intro.json",
        r#"[{"id": "9", "author": "Cam", "date": "2024-01-11T00:00:00Z", "kind": "comment", "content": "<p>Yes</p>"}]"#,
    );
    f.rebuild("a comments file added", &["data/comments/staff-intro.json"]);
    assert!(text_of(f.builder.files(), &page).contains("3 responses"));
    f.site.write(file, "{ broken");
    f.rebuild("the mentions file broken", &[file]);
    assert!(text_of(f.builder.files(), &page).contains("1 response"));
    std::fs::remove_file(f.site.path(file)).unwrap();
    std::fs::remove_file(f.site.path("data/comments/staff-intro.json")).unwrap();
    f.rebuild(
        "the data files removed",
        &[file, "data/comments/staff-intro.json"],
    );
    assert!(!text_of(f.builder.files(), &page).contains("responses-heading"));
}
