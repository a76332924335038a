//! Byline: a static-site generator for blogs that publish guest authors.
//!
//! The pipeline is load → render → write ([`load`], [`render`], [`write`]), with
//! the commands in [`cmd`] around it. `ARCHITECTURE.md` describes how the parts fit.

// Diagnostics are returned by value on the error path only, where their size
// does not matter; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod check;
pub mod cmd;
pub mod config;
pub mod diag;
pub mod images;
pub mod import;
pub mod load;
pub mod markdown;
pub mod platforms;
pub mod render;
pub mod routes;
pub mod serve;
pub mod share;
pub mod sitefs;
pub mod text;
pub mod write;

/// The layers of the crate, checked: every `crate::<module>` reference in the
/// code under `src/` (in `use` lines and in paths) is an edge from the
/// top-level module that writes it to the one it names, and the edges may
/// form no circle; the leaf modules import nothing of the crate beyond what
/// they are allowed, and the preview library does not import the commands.
/// Comments and `#[cfg(test)]` items are not counted: a test may build a whole
/// site to check one part.
#[cfg(test)]
mod layers {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    /// Leaf modules and the only modules of the crate each may import.
    const LEAVES: &[(&str, &[&str])] = &[
        ("diag", &[]),
        ("platforms", &[]),
        ("routes", &[]),
        ("text", &["diag"]),
    ];

    /// Edges that must not exist, though they would make no circle today.
    const FORBIDDEN: &[(&str, &str)] = &[("serve", "cmd")];

    /// Edges known to point up, each with the reason it is still there. The
    /// circle check leaves them out; the test fails when one is gone, so that
    /// this list only shrinks.
    const KNOWN_UPWARD: &[(&str, &str, &str)] = &[];

    /// One reference to another top-level module: where it is written.
    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Ref {
        to: String,
        file: String,
        line: usize,
        text: String,
    }

    /// The top-level modules: `src/x.rs` and `src/x/mod.rs`.
    fn top_modules(src: &Path) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for e in std::fs::read_dir(src).expect("src/ is readable").flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if path.is_dir() && path.join("mod.rs").is_file() {
                out.insert(name);
            } else if let Some(stem) = name.strip_suffix(".rs") {
                if stem != "lib" && stem != "main" {
                    out.insert(stem.to_string());
                }
            }
        }
        out
    }

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("src/ is readable")
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                rust_files(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }

    /// The code lines of a file, numbered from 1, with comments and the items
    /// marked `#[cfg(test)]` blanked out (an item ends at its `;`, or at the
    /// `}` indented as its first line); all blank for a `#![cfg(test)]` file.
    fn code_lines(text: &str) -> Vec<String> {
        let lines: Vec<&str> = text.lines().collect();
        // A file that is a test module of its own (`#![cfg(test)]` at its top
        // level, unindented) is all test.
        if lines.contains(&"#![cfg(test)]") {
            return vec![String::new(); lines.len()];
        }
        let mut out = Vec::with_capacity(lines.len());
        let mut i = 0;
        while i < lines.len() {
            let t = lines[i].trim_start();
            if t == "#[cfg(test)]" {
                // Skip the attribute, further attributes and the item.
                let mut j = i + 1;
                while j < lines.len() && lines[j].trim_start().starts_with("#[") {
                    j += 1;
                }
                if j < lines.len() {
                    let item = lines[j];
                    let indent = item.len() - item.trim_start().len();
                    let close = format!("{}}}", &item[..indent]);
                    if item.trim_end().ends_with('{') {
                        while j < lines.len() && lines[j].trim_end() != close {
                            j += 1;
                        }
                    } else {
                        while j < lines.len() && !lines[j].trim_end().ends_with(';') {
                            j += 1;
                        }
                    }
                }
                let end = j.min(lines.len() - 1);
                out.extend((i..=end).map(|_| String::new()));
                i = end + 1;
                continue;
            }
            let code = if t.starts_with("//") {
                ""
            } else {
                lines[i].split(" // ").next().unwrap_or_default()
            };
            out.push(code.to_string());
            i += 1;
        }
        out
    }

    /// The top-level modules a file's code names, each with its line: through
    /// `crate::x`, `crate::{x, y::z}` and `super::` chains that reach the
    /// crate root. `depth` is how deep the file's module is (1 for
    /// `src/x.rs` and `src/x/mod.rs`, 2 for `src/x/y.rs`).
    fn refs_in(text: &str, depth: usize) -> Vec<(String, usize)> {
        let lines = code_lines(text);
        let code = lines.join("\n");
        let line_at = |byte: usize| code[..byte].matches('\n').count() + 1;
        let ident = |s: &str| -> String {
            s.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        };
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(found) = code[at..].find("crate::") {
            let start = at + found;
            at = start + "crate::".len();
            let before = code[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            let rest = &code[at..];
            if let Some(group) = rest.strip_prefix('{') {
                // `crate::{a, b::c, d as e}`: the names at the first level.
                let mut level = 0;
                let mut expect_name = true;
                for (k, c) in group.char_indices() {
                    match c {
                        '{' => level += 1,
                        '}' if level == 0 => break,
                        '}' => level -= 1,
                        ',' if level == 0 => expect_name = true,
                        c if expect_name && level == 0 && (c.is_alphanumeric() || c == '_') => {
                            out.push((ident(&group[k..]), line_at(at + 1 + k)));
                            expect_name = false;
                        }
                        _ => {}
                    }
                }
            } else {
                out.push((ident(rest), line_at(start)));
            }
        }
        // `super::super::x` in `src/a/b.rs` is `crate::x`.
        let supers = "super::".repeat(depth);
        let mut at = 0;
        while let Some(found) = code[at..].find(&supers) {
            let start = at + found;
            at = start + supers.len();
            let before = code[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let name = ident(&code[at..]);
            if !name.is_empty() && !code[at..].starts_with("super") {
                out.push((name, line_at(start)));
            }
        }
        out
    }

    /// Every reference from one top-level module to another, by module.
    fn graph() -> BTreeMap<String, Vec<Ref>> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let tops = top_modules(&src);
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let mut graph: BTreeMap<String, Vec<Ref>> = BTreeMap::new();
        for path in files {
            let rel = path.strip_prefix(&src).expect("under src/");
            let parts: Vec<String> = rel
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            let from = parts[0].trim_end_matches(".rs").to_string();
            if !tops.contains(&from) {
                continue; // lib.rs, main.rs
            }
            let depth = parts.len() - usize::from(parts.last().is_some_and(|l| l == "mod.rs"));
            let text = std::fs::read_to_string(&path).expect("source is readable");
            let lines: Vec<&str> = text.lines().collect();
            for (to, line) in refs_in(&text, depth) {
                if to != from && tops.contains(&to) {
                    graph.entry(from.clone()).or_default().push(Ref {
                        to,
                        file: format!("src/{}", rel.display()),
                        line,
                        text: lines[line - 1].trim().to_string(),
                    });
                }
            }
        }
        graph
    }

    /// The first place of each edge `from → to`.
    fn edges(graph: &BTreeMap<String, Vec<Ref>>) -> BTreeMap<(String, String), &Ref> {
        let mut out = BTreeMap::new();
        for (from, refs) in graph {
            for r in refs {
                out.entry((from.clone(), r.to.clone())).or_insert(r);
            }
        }
        out
    }

    /// The circles among `edges`: for each edge `a → b` that some path leads
    /// back from, the circle `a → b → … → a`, each written once.
    fn circles(edges: &BTreeSet<(String, String)>) -> BTreeSet<Vec<String>> {
        let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (a, b) in edges {
            next.entry(a).or_default().push(b);
        }
        let mut found = BTreeSet::new();
        for (a, b) in edges {
            // Breadth first from b, remembering the way, until a.
            let mut came: BTreeMap<&str, &str> = BTreeMap::new();
            let mut queue = std::collections::VecDeque::from([b.as_str()]);
            let mut seen = BTreeSet::from([b.as_str()]);
            while let Some(m) = queue.pop_front() {
                if m == a {
                    let mut way = vec![a.to_string()];
                    let mut at = m;
                    while at != b {
                        at = came[at];
                        way.push(at.to_string());
                    }
                    way.reverse(); // b … a, then close at the start
                    let mut circle: Vec<String> = vec![a.clone()];
                    circle.extend(way.into_iter().take_while(|x| x != a));
                    // Start each circle at its smallest name, so it is found once.
                    let first = (0..circle.len()).min_by_key(|&i| &circle[i]).unwrap_or(0);
                    circle.rotate_left(first);
                    found.insert(circle);
                    break;
                }
                for &n in next.get(m).map(Vec::as_slice).unwrap_or_default() {
                    if seen.insert(n) {
                        came.insert(n, m);
                        queue.push_back(n);
                    }
                }
            }
        }
        found
    }

    /// The graph, one line per module, for failure messages.
    fn describe(edges: &BTreeMap<(String, String), &Ref>) -> String {
        let mut by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (a, b) in edges.keys() {
            by.entry(a).or_default().push(b);
        }
        by.iter()
            .map(|(a, bs)| format!("  {a} → {}", bs.join(", ")))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn modules_import_only_downwards() {
        let graph = graph();
        let all = edges(&graph);
        let mut problems = Vec::new();
        let at = |r: &Ref| format!("{}:{}: {}", r.file, r.line, r.text);

        for (leaf, allowed) in LEAVES {
            for r in graph.get(*leaf).into_iter().flatten() {
                if !allowed.contains(&r.to.as_str()) {
                    problems.push(format!(
                        "{leaf} is a leaf (it may import {}), but imports {}: {}",
                        if allowed.is_empty() {
                            "nothing of the crate".to_string()
                        } else {
                            allowed.join(", ")
                        },
                        r.to,
                        at(r)
                    ));
                }
            }
        }
        for (from, to) in FORBIDDEN {
            for r in graph
                .get(*from)
                .into_iter()
                .flatten()
                .filter(|r| r.to == *to)
            {
                problems.push(format!("{from} may not import {to}: {}", at(r)));
            }
        }
        for (from, to, why) in KNOWN_UPWARD {
            if !all.contains_key(&(from.to_string(), to.to_string())) {
                problems.push(format!(
                    "{from} → {to} no longer exists: remove it from KNOWN_UPWARD ({why})"
                ));
            }
        }
        let counted: BTreeSet<(String, String)> = all
            .keys()
            .filter(|(a, b)| !KNOWN_UPWARD.iter().any(|(f, t, _)| a == f && b == t))
            .cloned()
            .collect();
        for circle in circles(&counted) {
            let mut steps = Vec::new();
            for (i, a) in circle.iter().enumerate() {
                let b = &circle[(i + 1) % circle.len()];
                steps.push(format!("  {a} → {b}: {}", at(all[&(a.clone(), b.clone())])));
            }
            problems.push(format!(
                "import circle {} → {}:\n{}",
                circle.join(" → "),
                circle[0],
                steps.join("\n")
            ));
        }
        assert!(
            problems.is_empty(),
            "{}\n\nthe modules and what they import:\n{}",
            problems.join("\n"),
            describe(&all)
        );
    }

    #[test]
    fn finds_references_in_code_only() {
        let text = "//! crate::doc is not code\n\
                    use crate::diag::Diagnostic;\n\
                    use crate::{load::Site, render as r};\n\
                    fn f() { crate::text::slug::slugify(\"a\"); } // crate::comment\n\
                    let x = my_crate::no;\n\
                    use super::super::config::Config;\n\
                    #[cfg(test)]\n\
                    mod tests {\n    use crate::build;\n}\n\
                    #[cfg(test)]\n\
                    use crate::cmd;\n\
                    use crate::write;\n";
        let refs = refs_in(text, 2);
        let names: Vec<(&str, usize)> = refs.iter().map(|(n, l)| (n.as_str(), *l)).collect();
        assert_eq!(
            names,
            [
                ("diag", 2),
                ("load", 3),
                ("render", 3),
                ("text", 4),
                ("write", 13),
                ("config", 6)
            ]
        );
    }

    #[test]
    fn finds_circles() {
        let e = |pairs: &[(&str, &str)]| -> BTreeSet<(String, String)> {
            pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let none = e(&[("cmd", "serve"), ("serve", "load"), ("cmd", "load")]);
        assert!(circles(&none).is_empty());
        let one = e(&[("cmd", "serve"), ("serve", "load"), ("load", "cmd")]);
        assert_eq!(
            circles(&one).into_iter().collect::<Vec<_>>(),
            [vec!["cmd", "serve", "load"]]
        );
    }
}
