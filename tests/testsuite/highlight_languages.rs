//! Code blocks in the languages blogs use come out highlighted, in the light
//! and the dark palette; fence names people write map to syntaxes; a site's
//! own `syntaxes/` are used; an unknown language is a warning at its fence.
//! All through the real binary on a copy of the `basic` fixture.

use std::collections::BTreeSet;

use crate::support::{Site, fixture};

/// The 40 languages most written on GitHub and in blogs, by the fence name
/// people write, each with a realistic snippet.
const LANGUAGES: &[(&str, &str)] = &[
    (
        "javascript",
        "import { readFile } from 'node:fs/promises';\nexport async function load(path) {\n  const text = await readFile(path, 'utf8');\n  return JSON.parse(text); // config\n}\n",
    ),
    (
        "typescript",
        "interface User { id: number; name: string }\nexport function greet(u: User): string {\n  return `Hello, ${u.name}`;\n}\n",
    ),
    (
        "python",
        "import json\n\ndef load(path: str) -> dict:\n    \"\"\"Read a config file.\"\"\"\n    with open(path) as f:\n        return json.load(f)  # parsed\n",
    ),
    (
        "java",
        "public class Hello {\n    public static void main(String[] args) {\n        System.out.println(\"Hello, \" + args.length);\n    }\n}\n",
    ),
    (
        "c",
        "#include <stdio.h>\n\nint main(void) {\n    int n = 42; /* answer */\n    printf(\"%d\\n\", n);\n    return 0;\n}\n",
    ),
    (
        "cpp",
        "#include <vector>\n\ntemplate <typename T>\nT sum(const std::vector<T>& v) {\n    T total{};\n    for (auto x : v) total += x;\n    return total;\n}\n",
    ),
    (
        "csharp",
        "using System;\n\npublic record Point(int X, int Y);\n\nclass Program {\n    static void Main() => Console.WriteLine(new Point(1, 2));\n}\n",
    ),
    (
        "go",
        "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n\t\tfmt.Println(\"hello\", i)\n\t}\n}\n",
    ),
    (
        "rust",
        "use std::collections::HashMap;\n\nfn count(words: &[&str]) -> HashMap<&str, usize> {\n    let mut m = HashMap::new();\n    for w in words { *m.entry(*w).or_insert(0) += 1; }\n    m\n}\n",
    ),
    (
        "php",
        "<?php\nfunction greet(string $name): string {\n    return \"Hello, $name\";\n}\necho greet('world');\n",
    ),
    (
        "ruby",
        "class Greeter\n  def initialize(name)\n    @name = name\n  end\n\n  def greet = \"Hello, #{@name}\"\nend\n",
    ),
    (
        "kotlin",
        "data class User(val id: Int, val name: String)\n\nfun main() {\n    val users = listOf(User(1, \"Ada\"))\n    println(users.map { it.name })\n}\n",
    ),
    (
        "swift",
        "struct User {\n    let name: String\n}\n\nfunc greet(_ user: User) -> String {\n    return \"Hello, \\(user.name)\"\n}\n",
    ),
    (
        "scala",
        "object Main extends App {\n  case class User(name: String)\n  val users = List(User(\"Ada\"))\n  println(users.map(_.name))\n}\n",
    ),
    (
        "bash",
        "#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.md; do\n  echo \"building $f\"\ndone\n",
    ),
    (
        "powershell",
        "$files = Get-ChildItem -Path . -Filter *.md\nforeach ($f in $files) {\n    Write-Host \"Building $($f.Name)\"\n}\n",
    ),
    (
        "sql",
        "SELECT a.name, COUNT(p.id) AS posts\nFROM authors a\nJOIN posts p ON p.author_id = a.id\nWHERE p.published = TRUE\nGROUP BY a.name;\n",
    ),
    (
        "html",
        "<!doctype html>\n<html lang=\"en\">\n  <body>\n    <a href=\"/about/\" class=\"nav\">About</a>\n  </body>\n</html>\n",
    ),
    (
        "css",
        ".nav a:hover {\n  color: #0366d6;\n  margin: 0 1rem;\n}\n@media (max-width: 600px) { .nav { display: none; } }\n",
    ),
    (
        "scss",
        "$accent: #0366d6;\n.nav {\n  a { color: $accent; &:hover { color: darken($accent, 10%); } }\n}\n",
    ),
    (
        "json",
        "{\n  \"name\": \"byline\",\n  \"version\": \"1.0.0\",\n  \"private\": true,\n  \"tags\": [\"blog\", 3]\n}\n",
    ),
    (
        "yaml",
        "name: CI\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest  # runner\n    steps:\n      - run: gen build\n",
    ),
    (
        "toml",
        "[package]\nname = \"byline\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n",
    ),
    (
        "xml",
        "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>Notes</title>\n  <!-- entries -->\n</feed>\n",
    ),
    (
        "markdown",
        "# Title\n\nSome *emphasis* and a [link](https://example.org).\n\n- item one\n- item two\n",
    ),
    (
        "dockerfile",
        "FROM rust:1.85 AS build\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\nENTRYPOINT [\"/src/target/release/gen\"]\n",
    ),
    (
        "makefile",
        "CFLAGS := -O2 -Wall\n\nall: app\n\napp: main.o util.o\n\t$(CC) $(CFLAGS) -o $@ $^\n",
    ),
    (
        "lua",
        "local function greet(name)\n  return \"Hello, \" .. name\nend\n\nfor i = 1, 3 do print(greet(\"Ada\")) end\n",
    ),
    (
        "perl",
        "use strict;\nmy %count;\nwhile (my $line = <STDIN>) {\n    $count{$_}++ for split /\\s+/, $line;\n}\nprint \"$_\\n\" for sort keys %count;\n",
    ),
    (
        "r",
        "library(dplyr)\nposts <- read.csv(\"posts.csv\")\nposts %>%\n  group_by(author) %>%\n  summarise(n = n())  # per author\n",
    ),
    (
        "haskell",
        "module Main where\n\nsquares :: [Int] -> [Int]\nsquares xs = [x * x | x <- xs]\n\nmain :: IO ()\nmain = print (squares [1, 2, 3])\n",
    ),
    (
        "elixir",
        "defmodule Greeter do\n  def greet(name) when is_binary(name) do\n    \"Hello, #{name}\"\n  end\nend\n",
    ),
    (
        "erlang",
        "-module(greeter).\n-export([greet/1]).\n\ngreet(Name) ->\n    io:format(\"Hello, ~s~n\", [Name]).\n",
    ),
    (
        "clojure",
        "(ns blog.core)\n\n(defn greet [name]\n  (str \"Hello, \" name))\n\n(println (greet \"Ada\"))\n",
    ),
    (
        "dart",
        "class User {\n  final String name;\n  User(this.name);\n}\n\nvoid main() {\n  print('Hello, ${User(\"Ada\").name}');\n}\n",
    ),
    (
        "zig",
        "const std = @import(\"std\");\n\npub fn main() !void {\n    const stdout = std.io.getStdOut().writer();\n    try stdout.print(\"Hello, {s}\\n\", .{\"Ada\"});\n}\n",
    ),
    (
        "nix",
        "{ pkgs ? import <nixpkgs> {} }:\npkgs.mkShell {\n  buildInputs = [ pkgs.cargo pkgs.rustc ];\n  shellHook = \"echo ready\";\n}\n",
    ),
    (
        "hcl",
        "resource \"aws_s3_bucket\" \"site\" {\n  bucket = \"blog-example\"\n  tags = {\n    env = \"prod\"\n  }\n}\n",
    ),
    (
        "graphql",
        "query Posts($first: Int = 10) {\n  posts(first: $first) {\n    title\n    author { name }\n  }\n}\n",
    ),
    (
        "diff",
        "--- a/gen.toml\n+++ b/gen.toml\n@@ -1,3 +1,3 @@\n title = \"Notes\"\n-paginate_by = 10\n+paginate_by = 20\n",
    ),
];

/// Fence names people write for the languages above and others, which must
/// find a syntax (not plain, not a warning).
const FENCE_NAMES: &[&str] = &[
    "ts",
    "tsx",
    "js",
    "jsx",
    "mjs",
    "sh",
    "shell",
    "bash",
    "zsh",
    "console",
    "shell-session",
    "yml",
    "yaml",
    "dockerfile",
    "docker",
    "tf",
    "hcl",
    "terraform",
    "kt",
    "kts",
    "ps1",
    "powershell",
    "jsonc",
    "json5",
    "diff",
    "patch",
    "py",
    "rb",
    "rs",
    "golang",
    "c++",
    "cpp",
    "cs",
    "csharp",
    "objc",
    "ex",
    "exs",
    "md",
    "html",
    "xml",
    "svg",
    "toml",
    "ini",
    "conf",
    "nginx",
    "nix",
    "graphql",
    "gql",
    "vue",
    "svelte",
    "scss",
    "sass",
    "less",
    "sql",
    "psql",
    "Python",
    "RUST",
    "TypeScript",
];

/// A copy of the `basic` fixture with one more post holding `body`.
fn site_with_post(body: &str) -> Site {
    let site = fixture("basic");
    site.write(
        "content/posts/2024-10-01-code.md",
        format!(
            "+++\ntitle = \"Code\"\ndate = 2024-10-01\nauthors = [\"ada-staff\"]\n+++\n\n{body}"
        ),
    );
    site
}

/// One fenced block.
fn fence(lang: &str, code: &str) -> String {
    format!("```{lang}\n{code}```\n\n")
}

/// The `<pre>` blocks of a page: (data-lang, inner HTML).
fn code_blocks(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<pre class=\"code\"") {
        rest = &rest[i..];
        let open_end = rest.find('>').unwrap();
        let open = &rest[..open_end];
        let lang = open
            .split_once("data-lang=\"")
            .map(|(_, l)| l[..l.find('"').unwrap()].to_string())
            .unwrap_or_default();
        let end = rest.find("</pre>").unwrap();
        out.push((lang, rest[open_end + 1..end].to_string()));
        rest = &rest[end..];
    }
    out
}

/// Each highlighted token of a block: its classes, with those of the spans
/// around it (outermost first).
fn tokens(block: &str) -> Vec<Vec<BTreeSet<String>>> {
    let mut stack: Vec<BTreeSet<String>> = Vec::new();
    let mut out = Vec::new();
    let mut rest = block;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("<span class=\"") {
            let end = r.find('"').unwrap();
            stack.push(r[..end].split(' ').map(str::to_string).collect());
            rest = &r[end + 2..];
        } else if let Some(r) = rest.strip_prefix("</span>") {
            stack.pop();
            rest = r;
        } else {
            let next = rest.find('<').unwrap_or(rest.len()).max(1);
            let text = &rest[..next];
            if !text.trim().is_empty() && !stack.is_empty() {
                out.push(stack.clone());
            }
            rest = &rest[next..];
        }
    }
    out
}

/// The rules of one palette of `syntax.css`: (selectors, colour).
fn palette(css: &str, media: &str) -> Vec<(String, String)> {
    let start = css
        .find(media)
        .unwrap_or_else(|| panic!("no {media} in\n{css}"));
    let body = &css[start + css[start..].find('{').unwrap() + 1..];
    let body = &body[..body.find("}\n}").unwrap() + 1];
    body.split('}')
        .filter_map(|rule| {
            let (sel, decls) = rule.split_once('{')?;
            let color = decls
                .split(';')
                .filter_map(|d| d.split_once(':'))
                .find(|(k, _)| k.trim() == "color")?
                .1
                .trim()
                .to_string();
            Some((sel.trim().to_string(), color))
        })
        .collect()
}

/// Whether a compound selector (`.hl-a.hl-b`) matches a span's classes.
fn compound_matches(compound: &str, classes: &BTreeSet<String>) -> bool {
    compound
        .split('.')
        .filter(|c| !c.is_empty())
        .all(|c| classes.contains(c))
}

/// Whether one selector (`.hl-a .hl-b.hl-c`: descendant combinators only, as
/// syntect writes them) matches the innermost span of `chain`.
fn selector_matches(selector: &str, chain: &[BTreeSet<String>]) -> bool {
    let parts: Vec<&str> = selector.split_whitespace().collect();
    let Some((last, ancestors)) = parts.split_last() else {
        return false;
    };
    let Some((inner, outer)) = chain.split_last() else {
        return false;
    };
    if !compound_matches(last, inner) {
        return false;
    }
    // Each ancestor compound matches some span further out, in order.
    let mut i = outer.len();
    for part in ancestors.iter().rev() {
        match outer[..i].iter().rposition(|c| compound_matches(part, c)) {
            Some(j) => i = j,
            None => return false,
        }
    }
    true
}

/// The colour a palette gives a token: that of the last rule matching its
/// innermost span or, failing that, a span around it (colours inherit).
fn colour_of(rules: &[(String, String)], chain: &[BTreeSet<String>]) -> Option<String> {
    (1..=chain.len()).rev().find_map(|n| {
        let chain = &chain[..n];
        rules
            .iter()
            .rev()
            .find(|(sel, _)| sel.split(',').any(|s| selector_matches(s.trim(), chain)))
            .map(|(_, c)| c.clone())
    })
}

#[test]
fn forty_languages_are_highlighted_in_light_and_dark() {
    assert_eq!(LANGUAGES.len(), 40);
    let body: String = LANGUAGES.iter().map(|(l, c)| fence(l, c)).collect();
    let site = site_with_post(&body);
    let run = site.build_ok(&[]);
    assert!(
        !run.stderr.contains("unknown code language"),
        "{}",
        run.stderr
    );
    let html = site.read("public/posts/code/index.html");
    let css = site.read("public/syntax.css");
    let light = palette(&css, "@media not all and (prefers-color-scheme: dark)");
    let dark = palette(&css, "@media (prefers-color-scheme: dark)");
    let blocks = code_blocks(&html);
    assert_eq!(blocks.len(), LANGUAGES.len());
    for ((lang, block), (want, _)) in blocks.iter().zip(LANGUAGES) {
        assert_eq!(lang, want);
        let tokens = tokens(block);
        for (name, rules) in [("light", &light), ("dark", &dark)] {
            // Tokens of different kinds the palette colours, and in how many colours.
            let kinds: BTreeSet<&BTreeSet<String>> = tokens
                .iter()
                .filter(|chain| colour_of(rules, chain).is_some())
                .map(|chain| chain.last().unwrap())
                .collect();
            let colours: BTreeSet<String> =
                tokens.iter().filter_map(|c| colour_of(rules, c)).collect();
            assert!(
                kinds.len() >= 2 && colours.len() >= 2,
                "{lang} in the {name} palette: {} kinds of token coloured, in {} colours: {colours:?}\n{block}",
                kinds.len(),
                colours.len()
            );
        }
    }
}

#[test]
fn fence_names_people_write_find_a_syntax() {
    let code = "x = 1\n";
    let mut body: String = FENCE_NAMES.iter().map(|l| fence(l, code)).collect();
    // The first word of an info string names the language.
    body.push_str("```rust,ignore\nfn main() {}\n```\n\n```python {linenos=true}\nx = 1\n```\n\n");
    let site = site_with_post(&body);
    let run = site.run(&["check"]);
    run.assert_code(0);
    assert!(
        !run.stderr.contains("unknown code language"),
        "{}",
        run.stderr
    );
    site.build_ok(&[]);
    let html = site.read("public/posts/code/index.html");
    let blocks = code_blocks(&html);
    assert_eq!(blocks.len(), FENCE_NAMES.len() + 2);
    for (lang, block) in &blocks {
        assert!(
            block.starts_with("<code><span class=\"hl-"),
            "{lang}: {block}"
        );
    }
    assert_eq!(blocks[FENCE_NAMES.len()].0, "rust");
    assert_eq!(blocks[FENCE_NAMES.len() + 1].0, "python");
}

#[test]
fn plain_text_names_are_plain_without_a_warning() {
    let body: String = ["text", "txt", "plaintext", "TEXT", ""]
        .iter()
        .map(|l| fence(l, "<b>a & b</b>\n"))
        .collect();
    let site = site_with_post(&body);
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let html = site.read("public/posts/code/index.html");
    for (_, block) in code_blocks(&html) {
        assert_eq!(block, "<code>&lt;b&gt;a &amp; b&lt;/b&gt;\n</code>");
    }
}

#[test]
fn an_unknown_language_is_a_warning_at_its_fence_and_shown_plain() {
    let site = site_with_post(
        "Some code:\n\n```pyhton\nprint(\"<hi>\")\n```\n\n- a list\n\n  ~~~  zzqx {.wide}\n  x\n  ~~~\n",
    );
    for cmd in ["check", "build"] {
        let run = site.run(&[cmd]);
        run.assert_code(0);
        let code_md: Vec<&str> = run
            .headlines()
            .into_iter()
            .filter(|l| l.contains("2024-10-01-code.md"))
            .collect();
        assert_eq!(
            code_md,
            [
                "warning: content/posts/2024-10-01-code.md:9:4: unknown code language \"pyhton\": shown as plain text",
                "warning: content/posts/2024-10-01-code.md:15:8: unknown code language \"zzqx\": shown as plain text",
            ],
            "{cmd}:\n{}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("\n  = help: did you mean \"python\"?\n"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(
                "\n  = help: name a language as its file extension (`py`, `ts`, `sh`) or its name (`python`), add a .sublime-syntax file for it in syntaxes/, or write `text` for plain text\n"
            ),
            "{}",
            run.stderr
        );
    }
    let html = site.read("public/posts/code/index.html");
    let blocks = code_blocks(&html);
    assert_eq!(
        blocks[0],
        (
            "pyhton".to_string(),
            "<code>print(&quot;&lt;hi&gt;&quot;)\n</code>".to_string()
        )
    );
    let run = site.run(&["check", "--format", "github"]);
    assert!(
        run.stdout.contains(
            "::warning file=content/posts/2024-10-01-code.md,line=9,col=4,title=code language::unknown code language \"pyhton\": shown as plain text. Did you mean \"python\"?"
        ),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
}

/// A small Sublime syntax: `key = value` lines, `#` comments.
const KV_SYNTAX: &str = "%YAML 1.2\n---\nname: KeyValue\nfile_extensions: [kv]\nscope: source.kv\ncontexts:\n  main:\n    - match: '#.*$'\n      scope: comment.line.kv\n    - match: '^\\w+'\n      scope: keyword.other.kv\n    - match: '\"[^\"]*\"'\n      scope: string.quoted.kv\n";

#[test]
fn a_sites_own_syntax_highlights_its_fences() {
    let site = site_with_post("```kv\nname = \"Ada\" # who\n```\n\n```KeyValue\nx = \"y\"\n```\n");
    site.write("syntaxes/kv.sublime-syntax", KV_SYNTAX);
    // Other files in the folder are not syntaxes.
    site.write("syntaxes/README.md", "Our syntaxes.\n");
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let html = site.read("public/posts/code/index.html");
    let blocks = code_blocks(&html);
    assert_eq!(
        blocks[0].1,
        "<code><span class=\"hl-source hl-kv\"><span class=\"hl-keyword hl-other hl-kv\">name</span> = <span class=\"hl-string hl-quoted hl-kv\">&quot;Ada&quot;</span> <span class=\"hl-comment hl-line hl-kv\"># who</span>\n</span></code>"
    );
    assert!(
        blocks[1].1.contains("hl-keyword hl-other hl-kv"),
        "{}",
        blocks[1].1
    );
}

#[test]
fn a_site_syntax_overrides_a_built_in_one_of_the_same_name() {
    let site = site_with_post("```toml\nname = \"Ada\"\n```\n");
    site.write(
        "syntaxes/toml.sublime-syntax",
        KV_SYNTAX
            .replace("name: KeyValue", "name: TOML")
            .replace("[kv]", "[toml]"),
    );
    site.build_ok(&[]);
    let html = site.read("public/posts/code/index.html");
    assert!(
        code_blocks(&html)[0]
            .1
            .contains("hl-keyword hl-other hl-kv"),
        "{html}"
    );
}

#[test]
fn a_site_syntax_that_does_not_compile_is_an_error_at_its_line() {
    let site = site_with_post("```kv\nx = 1\n```\n");
    site.write(
        "syntaxes/broken.sublime-syntax",
        "%YAML 1.2\n---\nname: Broken\nscope: source.broken\ncontexts:\n  main:\n    - match: '[a-'\n      scope: keyword.broken\n",
    );
    site.write("syntaxes/kv.sublime-syntax", KV_SYNTAX);
    for cmd in ["check", "build"] {
        let run = site.run(&[cmd]);
        run.assert_code(1);
        assert_eq!(
            run.headlines(),
            [
                "error: syntaxes/broken.sublime-syntax:7:15: cannot compile syntax definition: Error while compiling regex '[a-': Oniguruma error: premature end of char-class"
            ],
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("\n  = help: a site syntax is a Sublime Text .sublime-syntax file (YAML with `name`, `scope`, `file_extensions` and a `main` context); fix it or move it out of syntaxes/\n"),
            "{}",
            run.stderr
        );
    }
    // Invalid YAML: the line and column the YAML reader gives.
    site.write(
        "syntaxes/broken.sublime-syntax",
        "name: Broken\nscope: source.broken\ncontexts:\n  main: [\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert!(
        run.headlines()[0]
            .starts_with("error: syntaxes/broken.sublime-syntax:5:1: cannot compile syntax definition: Invalid YAML file syntax: "),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_syntax_linked_from_outside_the_site_is_refused() {
    let site = site_with_post("```kv\nx = 1\n```\n");
    let outside = site.outside("kv.sublime-syntax");
    std::fs::write(&outside, KV_SYNTAX).unwrap();
    std::fs::create_dir_all(site.path("syntaxes")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("syntaxes/kv.sublime-syntax")).unwrap();
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.headlines()
            .into_iter()
            .filter(|l| l.starts_with("error"))
            .collect::<Vec<_>>(),
        [
            "error: syntaxes/kv.sublime-syntax: \"syntaxes/kv.sublime-syntax\" is a symbolic link that leads outside the site folder"
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn serve_rebuilds_with_a_syntax_added_to_syntaxes() {
    use byline::render::{Content, Source};
    use byline::serve::incremental::{Builder, Changes};
    let site = site_with_post("```kv\nname = \"Ada\"\n```\n");
    let mut builder = Builder::new(&site.root, false, "http://127.0.0.1:1111");
    builder.build(&Changes::all()).expect("first build");
    let page = |b: &Builder| match b
        .files()
        .content("posts/code/index.html")
        .map(|c| c.expect("the page reads back"))
    {
        Some(Content::Text(s)) => s,
        Some(Content::Copy(Source::Embedded(b))) => String::from_utf8_lossy(b).into_owned(),
        other => panic!("no page: {other:?}"),
    };
    assert!(!page(&builder).contains("hl-kv"));
    site.write("syntaxes/kv.sublime-syntax", KV_SYNTAX);
    builder
        .build(&Changes::paths([std::path::PathBuf::from(
            "syntaxes/kv.sublime-syntax",
        )]))
        .expect("rebuild");
    assert!(page(&builder).contains("hl-keyword hl-other hl-kv"));
}
