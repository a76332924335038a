//! The "cached" variant: the corpus this generator wrote before it was made
//! realistic. Each code block is one of six short fixed snippets and the prose
//! repeats 75 short words, so after a few posts every block is a highlight
//! cache hit: it measures the cache, not highlighting. Kept for contrast with
//! figures measured on it (`--variant cached`).

use std::fmt::Write as _;

use super::{Args, Rng, remove_stale, write, write_configs};

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

fn sentence(rng: &Rng, words: &mut usize) -> String {
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
fn body(rng: &Rng, i: usize) -> String {
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

/// Writes the cached variant: the corpus as it was before code blocks were made
/// unique, for contrast with the realistic one.
pub fn write_corpus(a: &Args) {
    let rng = Rng::new(a.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let gen_root = a.out.join("gen");
    let hugo_root = a.out.join("hugo");

    let epoch = chrono::NaiveDate::from_ymd_opt(2000, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let authors: Vec<String> = (0..60).map(|i| format!("author-{i:02}")).collect();
    let tags: Vec<String> = (0..80).map(|i| format!("topic-{i:02}")).collect();
    let cats: Vec<String> = (0..8).map(|i| format!("Section {i}")).collect();

    write_configs(&gen_root, &hugo_root, a.kits, a.no_search);
    for (i, slug) in authors.iter().enumerate() {
        let guest = i % 3 != 0;
        write(
            &gen_root.join(format!("authors/{slug}.toml")),
            format!(
                "name = \"Author {i}\"\nbio = \"Writes about **teams** and practice number {i}.\"\nguest = {guest}\n[social]\nx = \"author{i}\"\nmastodon = \"@author{i}@mastodon.example\"\n"
            ),
        );
        write(
            &hugo_root.join(format!("content/authors/{slug}/_index.md")),
            format!(
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
        let text = body(&rng, i);
        let list = |v: &[String]| {
            v.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        write(
            &gen_root.join(format!("content/posts/{slug}.md")),
            format!(
                "+++\ntitle = \"{title}\"\ndate = {date}\nauthors = [{}]\ntags = [{}]\ncategories = [\"{cat}\"]\n+++\n\n{text}",
                list(&post_authors),
                list(&post_tags)
            ),
        );
        write(
            &hugo_root.join(format!("content/posts/{slug}.md")),
            format!(
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
