//! Writes a realistic, seeded guest-blog corpus for benchmarks: the same posts as a
//! Byline site (`OUT/gen`) and as a Hugo site with equivalent templates
//! (`OUT/hugo`), so both generators can be timed on the same input.
//!
//! Posts of 300–1,700 words, code blocks in half of them, tables and footnotes in
//! some, 60 authors (two thirds guests), 80 tags, 8 categories.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --posts 10000 --out /tmp/corpus [--seed 7] [--kits]
//! ```

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// xorshift64*: small, fast and deterministic for a given seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

const WORDS: &[&str] = &[
    "team",
    "guild",
    "mentor",
    "review",
    "people",
    "write",
    "meeting",
    "ritual",
    "onboarding",
    "culture",
    "trust",
    "question",
    "practice",
    "remote",
    "time",
    "shared",
    "notes",
    "decision",
    "kindness",
    "talk",
    "learn",
    "build",
    "ship",
    "listen",
    "habit",
    "manager",
    "engineer",
    "colleague",
    "document",
    "process",
    "feedback",
    "support",
    "week",
    "together",
    "small",
    "often",
    "clear",
    "honest",
    "simple",
    "quiet",
    "invite",
    "welcome",
    "growth",
    "project",
    "lunch",
    "demo",
    "pairing",
    "incident",
    "calendar",
    "channel",
    "the",
    "a",
    "and",
    "of",
    "to",
    "in",
    "for",
    "with",
    "is",
    "we",
    "our",
    "that",
    "it",
    "on",
    "was",
    "when",
    "how",
    "why",
    "what",
    "every",
    "first",
    "last",
    "new",
    "old",
    "good",
];

const CODE: &[(&str, &str)] = &[
    (
        "rust",
        "fn quiet_hours(start: u8, end: u8, hour: u8) -> bool {\n    if start <= end {\n        (start..end).contains(&hour)\n    } else {\n        hour >= start || hour < end\n    }\n}\n",
    ),
    (
        "python",
        "def rotate(people, week):\n    \"\"\"Pick this week's host.\"\"\"\n    return people[week % len(people)]\n\nprint(rotate([\"ana\", \"bo\", \"cy\"], 7))\n",
    ),
    (
        "yaml",
        "schedule:\n  - day: tuesday\n    slot: \"12:00\"\n    host: rotating\n  - day: thursday\n    slot: \"16:30\"\n",
    ),
    (
        "bash",
        "#!/usr/bin/env bash\nset -euo pipefail\nfor f in notes/*.md; do\n  wc -w \"$f\"\ndone | sort -n\n",
    ),
    (
        "toml",
        "[guild]\nname = \"Platform\"\nmeets = \"biweekly\"\nmembers = 14\n",
    ),
    (
        "javascript",
        "const hosts = ['ana', 'bo', 'cy'];\nexport function next(week) {\n  return hosts[week % hosts.length];\n}\n",
    ),
];

struct Args {
    posts: usize,
    out: PathBuf,
    seed: u64,
    /// Keep Byline's share kits on (Hugo has no equivalent, so the side-by-side
    /// comparison leaves them off).
    kits: bool,
}

fn args() -> Args {
    let mut a = Args {
        posts: 1000,
        out: PathBuf::from("corpus"),
        seed: 7,
        kits: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        if k == "--kits" {
            a.kits = true;
            continue;
        }
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--posts" => a.posts = v.parse().expect("--posts takes a number"),
            "--out" => a.out = PathBuf::from(v),
            "--seed" => a.seed = v.parse().expect("--seed takes a number"),
            other => panic!("unknown option {other}; use --posts N --out DIR [--seed S] [--kits]"),
        }
    }
    a
}

/// Every file this run wrote (or found already right).
static WRITTEN: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Writes `text` to `path` unless it already holds exactly that. A rerun with the
/// same arguments then touches nothing: deleting and recreating thousands of files
/// right before a timed build would slow that build's own file creation (ext4
/// checks recently freed inodes) and make the figures depend on the last run.
fn write(path: &Path, text: &str) {
    WRITTEN.lock().unwrap().push(path.to_path_buf());
    if fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return;
    }
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Removes the files under `dir` that this run did not write (a larger corpus
/// written there before, say).
fn remove_stale(dir: &Path) {
    let written: std::collections::HashSet<PathBuf> =
        WRITTEN.lock().unwrap().iter().cloned().collect();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if !written.contains(&p) {
                let _ = fs::remove_file(&p);
            }
        }
    }
}

fn sentence(rng: &mut Rng, words: &mut usize) -> String {
    let n = 8 + rng.below(12);
    *words += n;
    let mut s = String::new();
    for i in 0..n {
        let w = rng.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            s.extend(c.next().map(|c| c.to_ascii_uppercase()));
            s.push_str(c.as_str());
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

/// The Markdown body of one post (the same for both generators).
fn body(rng: &mut Rng, i: usize) -> String {
    let target = 300 + rng.below(1400);
    let mut words = 0;
    let mut out = String::new();
    let with_code = i % 2 == 0;
    let with_table = i % 5 == 0;
    let with_note = i % 4 == 1;
    let mut section = 0;
    while words < target {
        if words > 0 && rng.below(4) == 0 {
            section += 1;
            let _ = writeln!(out, "## Part {section}: {}\n", rng.pick(WORDS));
        }
        let n = 3 + rng.below(4);
        for _ in 0..n {
            out.push_str(&sentence(rng, &mut words));
            out.push(' ');
        }
        if with_note && section == 1 && !out.contains("[^1]") {
            out.push_str("As noted before.[^1]");
        }
        out.push_str("\n\n");
        if with_code && section == 1 && !out.contains("```") {
            let (lang, code) = rng.pick(CODE);
            let _ = writeln!(out, "```{lang}\n{code}```\n");
        }
        if with_table && section == 2 && !out.contains("| ---") {
            out.push_str("| Practice | Cadence | Owner |\n| --- | --- | ---: |\n| Guild | biweekly | 3 |\n| Demo | monthly | 5 |\n| Retro | weekly | 2 |\n\n");
        }
    }
    if out.contains("[^1]") {
        out.push_str("[^1]: A footnote with a source and a little more context.\n");
    }
    out
}

fn main() {
    let a = args();
    let mut rng = Rng(a.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let gen_root = a.out.join("gen");
    let hugo_root = a.out.join("hugo");

    let epoch = chrono::NaiveDate::from_ymd_opt(2000, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let authors: Vec<String> = (0..60).map(|i| format!("author-{i:02}")).collect();
    let tags: Vec<String> = (0..80).map(|i| format!("topic-{i:02}")).collect();
    let cats: Vec<String> = (0..8).map(|i| format!("Section {i}")).collect();

    let share = if a.kits {
        ""
    } else {
        "[share]\nplatforms = []\n"
    };
    write(
        &gen_root.join("gen.toml"),
        &format!(
            "title = \"Corpus\"\nbase_url = \"https://corpus.example.org\"\ndescription = \"Benchmark corpus\"\npaginate_by = 10\nfeed_limit = 20\n[markdown]\nhighlight_code = true\n{share}"
        ),
    );
    write(&hugo_root.join("hugo.toml"), HUGO_CONFIG);
    for (path, text) in HUGO_LAYOUTS {
        write(&hugo_root.join("layouts").join(path), text);
    }
    for (i, slug) in authors.iter().enumerate() {
        let guest = i % 3 != 0;
        write(
            &gen_root.join(format!("authors/{slug}.toml")),
            &format!(
                "name = \"Author {i}\"\nbio = \"Writes about **teams** and practice number {i}.\"\nguest = {guest}\n[social]\nx = \"author{i}\"\nmastodon = \"@author{i}@mastodon.example\"\n"
            ),
        );
        write(
            &hugo_root.join(format!("content/authors/{slug}/_index.md")),
            &format!(
                "---\ntitle: \"Author {i}\"\n---\nWrites about **teams** and practice number {i}.\n"
            ),
        );
    }

    for i in 0..a.posts {
        // Spread over 2000–2024 whatever the count, so no post is in the future.
        let minutes = i as i64 * (13_000_000 / a.posts.max(1) as i64);
        let date = (epoch + chrono::Duration::minutes(minutes))
            .format("%Y-%m-%dT%H:%M:00Z")
            .to_string();
        let slug = format!("post-{i:05}");
        let mut post_authors = vec![rng.pick(&authors).clone()];
        if i % 10 == 0 {
            let second = rng.pick(&authors).clone();
            if second != post_authors[0] {
                post_authors.push(second);
            }
        }
        let mut post_tags: Vec<String> = Vec::new();
        for _ in 0..(1 + rng.below(4)) {
            let t = rng.pick(&tags).clone();
            if !post_tags.contains(&t) {
                post_tags.push(t);
            }
        }
        let cat = rng.pick(&cats).clone();
        let title = format!("{} {} notes {i}", rng.pick(WORDS), rng.pick(WORDS));
        let text = body(&mut rng, i);
        let list = |v: &[String]| {
            v.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        write(
            &gen_root.join(format!("content/posts/{slug}.md")),
            &format!(
                "+++\ntitle = \"{title}\"\ndate = {date}\nauthors = [{}]\ntags = [{}]\ncategories = [\"{cat}\"]\n+++\n\n{text}",
                list(&post_authors),
                list(&post_tags)
            ),
        );
        write(
            &hugo_root.join(format!("content/posts/{slug}.md")),
            &format!(
                "+++\ntitle = \"{title}\"\ndate = {date}\nslug = \"{slug}\"\nauthors = [{}]\ntags = [{}]\ncategories = [\"{cat}\"]\n+++\n\n{text}",
                list(&post_authors),
                list(&post_tags)
            ),
        );
    }
    for dir in [
        gen_root.join("content"),
        gen_root.join("authors"),
        hugo_root.join("content"),
        hugo_root.join("layouts"),
    ] {
        remove_stale(&dir);
    }
    println!(
        "wrote {} posts, 60 authors, 80 tags, 8 categories to {} (gen) and {} (hugo)",
        a.posts,
        gen_root.display(),
        hugo_root.display()
    );
}

const HUGO_CONFIG: &str = r#"baseURL = "https://corpus.example.org/"
title = "Corpus"
languageCode = "en"
disableKinds = []
paginate = 10
[pagination]
pagerSize = 10
[taxonomies]
tag = "tags"
category = "categories"
author = "authors"
[permalinks]
posts = "/posts/:slug/"
[services.rss]
limit = 20
[markup.highlight]
noClasses = false
codeFences = true
[outputs]
home = ["HTML", "RSS"]
taxonomy = ["HTML"]
term = ["HTML", "RSS"]
"#;

/// Hugo templates equivalent to Byline's default theme in the work they do: post
/// pages with bylines and author boxes, paginated home and term pages, feeds.
const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta property="og:title" content="{{ .Title }}"><meta property="og:url" content="{{ .Permalink }}">
<link rel="stylesheet" href="/style.css"></head><body><header><a href="/">{{ site.Title }}</a>
<nav><a href="/authors/">Authors</a> <a href="/tags/">Tags</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ site.Title }}</footer></body></html>"#,
    ),
    (
        "_default/single.html",
        r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>By {{ range $i, $a := .GetTerms "authors" }}{{ if $i }}, {{ end }}<a href="{{ $a.Permalink }}">{{ $a.Title }}</a>{{ end }}
 · <time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .ReadingTime }} min</p>
{{ .TableOfContents }}{{ .Content }}
<p>Tagged {{ range .GetTerms "tags" }}<a href="{{ .Permalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ range .GetTerms "authors" }}<aside><h2><a href="{{ .Permalink }}">{{ .Title }}</a></h2>{{ .Content }}</aside>{{ end }}
{{ with .PrevInSection }}<a href="{{ .Permalink }}">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a href="{{ .Permalink }}">{{ .Title }}</a>{{ end }}
</article>{{ end }}"#,
    ),
    (
        "_default/list.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
{{ $p := .Paginate (where .Pages "Section" "posts") }}{{ if eq .Kind "home" }}{{ $p = .Paginate (where site.RegularPages "Section" "posts") }}{{ end }}
{{ range $p.Pages }}<article><h2><a href="{{ .Permalink }}">{{ .Title }}</a></h2>
<p>{{ range $i, $a := .GetTerms "authors" }}{{ if $i }}, {{ end }}{{ $a.Title }}{{ end }} · {{ .Date.Format "2 January 2006" }}</p>
{{ .Summary }}</article>{{ end }}
{{ if $p.HasPrev }}<a href="{{ $p.Prev.URL }}">Newer</a>{{ end }}{{ if $p.HasNext }}<a href="{{ $p.Next.URL }}">Older</a>{{ end }}{{ end }}"#,
    ),
    // Full posts in every feed, as Byline's feeds have by default (Hugo's own
    // feed template carries summaries), with authors and tags.
    (
        "_default/rss.xml",
        r#"{{- $pages := where .Pages "Section" "posts" -}}
{{- if .IsHome }}{{ $pages = where site.RegularPages "Section" "posts" }}{{ end -}}
{{- printf "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>{{ .Title }} · {{ site.Title }}</title><link>{{ .Permalink }}</link><description>{{ .Title }}</description>
<language>en</language>{{ with .OutputFormats.Get "RSS" }}<atom:link href="{{ .Permalink }}" rel="self" type="application/rss+xml"/>{{ end }}
{{ range first 20 $pages }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate><guid>{{ .Permalink }}</guid>
{{ range .GetTerms "authors" }}<dc:creator>{{ .Title }}</dc:creator>{{ end }}{{ range .GetTerms "tags" }}<category>{{ .Title }}</category>{{ end }}
<description>{{ .Content | html }}</description></item>
{{ end }}</channel></rss>"#,
    ),
    (
        "_default/terms.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.Permalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}"#,
    ),
];
