//! Code blocks as blogs have them: every block different (its identifiers,
//! values and structure are drawn anew), 5–60 lines, in the languages tech blogs
//! write, under the fence names people type (`sh`, `ts`, `yml`, …). A corpus of
//! repeated snippets would measure a highlight cache instead of highlighting.

use std::fmt::Write as _;

use super::Rng;

const NOUNS: &[&str] = &[
    "user", "order", "item", "cache", "token", "config", "request", "response", "queue", "worker",
    "payload", "session", "record", "event", "metric", "bucket", "node", "cluster", "build", "job",
    "report", "invoice", "account", "message", "channel", "batch", "entry", "index", "shard",
    "lease", "route", "handler", "client", "server", "store", "snapshot", "artifact", "release",
    "tenant", "price", "cart", "ticket", "asset", "upload", "feed", "post", "comment", "author",
    "tag", "schema", "row", "column", "field", "key", "limit", "offset", "timeout", "backoff",
    "window", "span", "trace", "alert", "rule", "policy", "role", "group", "team", "project",
    "repo", "branch", "commit", "file", "path", "chunk", "buffer", "stream", "frame", "packet",
    "socket", "port", "host", "region", "zone", "volume", "disk", "pool", "thread", "task",
    "timer", "date", "count", "total", "score", "rank", "weight", "profile", "invite", "digest",
    "manifest", "plugin", "widget", "layout", "theme",
];
const VERBS: &[&str] = &[
    "get",
    "fetch",
    "load",
    "parse",
    "build",
    "send",
    "merge",
    "update",
    "compute",
    "render",
    "resolve",
    "validate",
    "sync",
    "flush",
    "retry",
    "create",
    "delete",
    "list",
    "find",
    "check",
    "apply",
    "collect",
    "encode",
    "decode",
    "format",
    "normalize",
    "filter",
    "sort",
    "group",
    "split",
    "read",
    "write",
    "open",
    "close",
    "start",
    "stop",
    "schedule",
    "dispatch",
    "publish",
    "refresh",
    "expire",
    "prune",
    "migrate",
    "restore",
    "export",
    "ingest",
    "hydrate",
    "reconcile",
    "throttle",
    "drain",
];
const ADJS: &[&str] = &[
    "pending", "active", "remote", "local", "stale", "cached", "default", "max", "min", "next",
    "last", "raw", "parsed", "current", "dirty", "primary", "shadow", "failed", "total", "recent",
    "queued", "signed", "public", "internal",
];
const HOSTS: &[&str] = &[
    "api", "db", "cache", "queue", "auth", "cdn", "metrics", "search", "build", "registry",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "internal.example.net",
    "corp.example",
    "svc.local",
];
const WORDS: &[&str] = &[
    "the", "a", "to", "of", "and", "in", "for", "is", "not", "when", "we", "this", "only", "every",
    "first", "before", "after", "user", "cache", "value", "request", "empty", "missing", "retry",
    "again", "later", "keep", "skip", "old", "new", "rows", "wait",
];

fn pick<'a>(rng: &Rng, v: &'a [&'a str]) -> &'a str {
    v[rng.below(v.len())]
}

/// A snake_case identifier: `user`, `pending_order`, `fetch_token`, `shard_count`.
fn ident(rng: &Rng) -> String {
    let mut s = match rng.below(6) {
        0 => pick(rng, NOUNS).to_string(),
        1 | 2 => format!("{}_{}", pick(rng, ADJS), pick(rng, NOUNS)),
        3 => format!("{}_{}", pick(rng, NOUNS), pick(rng, NOUNS)),
        _ => format!("{}_{}", pick(rng, VERBS), pick(rng, NOUNS)),
    };
    match rng.below(12) {
        0 => s.push_str("_id"),
        1 => s.push('s'),
        2 => s.push_str("_count"),
        3 => {
            let _ = write!(s, "{}", 2 + rng.below(3));
        }
        _ => {}
    }
    s
}

/// A function name: always starts with a verb.
fn func(rng: &Rng) -> String {
    format!("{}_{}", pick(rng, VERBS), pick(rng, NOUNS))
}

fn camel(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('_').enumerate() {
        if i == 0 {
            out.push_str(part);
        } else {
            out.push_str(&pascal(part));
        }
    }
    out
}

fn pascal(s: &str) -> String {
    s.split('_')
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn upper(s: &str) -> String {
    s.to_ascii_uppercase()
}

fn num(rng: &Rng) -> u64 {
    match rng.below(4) {
        0 => rng.below(10) as u64,
        1 => 10 + rng.below(90) as u64,
        2 => [60, 100, 128, 256, 300, 500, 1000, 1024, 3600, 8080][rng.below(10)],
        _ => rng.below(100_000) as u64,
    }
}

fn host(rng: &Rng) -> String {
    format!(
        "{}-{}.{}",
        pick(rng, HOSTS),
        rng.below(40),
        pick(rng, DOMAINS)
    )
}

fn path(rng: &Rng) -> String {
    let mut p = String::new();
    for _ in 0..1 + rng.below(3) {
        p.push('/');
        p.push_str(pick(rng, NOUNS));
        if rng.below(3) == 0 {
            p.push('s');
        }
    }
    p
}

fn file(rng: &Rng, ext: &str) -> String {
    format!(
        "{}/{}.{ext}",
        pick(rng, &["src", "lib", "app", "internal", "scripts", "config"]),
        ident(rng)
    )
}

fn version(rng: &Rng) -> String {
    format!("{}.{}.{}", rng.below(4), rng.below(30), rng.below(20))
}

fn phrase(rng: &Rng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(pick(rng, WORDS));
    }
    s
}

fn hex(rng: &Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from_digit(rng.below(16) as u32, 16).unwrap())
        .collect()
}

/// A language as a share of all code blocks, with the fence names people use for
/// it (the first most often).
struct Lang {
    weight: usize,
    fences: &'static [&'static str],
    make: fn(&Rng, usize) -> String,
}

/// Shares loosely follow what tech blogs publish: shell and Python first, then
/// JavaScript/TypeScript, configuration formats, Rust and Go.
const LANGS: &[Lang] = &[
    Lang {
        weight: 14,
        fences: &["bash", "sh", "shell"],
        make: shell,
    },
    Lang {
        weight: 3,
        fences: &["console", "shell-session"],
        make: console,
    },
    Lang {
        weight: 14,
        fences: &["python", "py"],
        make: python,
    },
    Lang {
        weight: 8,
        fences: &["js", "javascript", "jsx"],
        make: js,
    },
    Lang {
        weight: 8,
        fences: &["ts", "typescript", "tsx"],
        make: ts,
    },
    Lang {
        weight: 7,
        fences: &["rust", "rs"],
        make: rust,
    },
    Lang {
        weight: 7,
        fences: &["go", "golang"],
        make: go,
    },
    Lang {
        weight: 9,
        fences: &["yaml", "yml"],
        make: yaml,
    },
    Lang {
        weight: 6,
        fences: &["json", "jsonc"],
        make: json,
    },
    Lang {
        weight: 4,
        fences: &["toml"],
        make: toml,
    },
    Lang {
        weight: 4,
        fences: &["dockerfile", "Dockerfile", "docker"],
        make: dockerfile,
    },
    Lang {
        weight: 5,
        fences: &["sql", "postgresql"],
        make: sql,
    },
    Lang {
        weight: 3,
        fences: &["diff", "patch"],
        make: diff,
    },
    Lang {
        weight: 3,
        fences: &["html"],
        make: html,
    },
    Lang {
        weight: 3,
        fences: &["css", "scss"],
        make: css,
    },
    Lang {
        weight: 2,
        fences: &["", "text"],
        make: text,
    },
];

/// How many lines a block should have: 5–60, most of them short.
fn lines_wanted(rng: &Rng) -> usize {
    let u = rng.below(1000) as f64 / 1000.0;
    5 + (55.0 * u * u) as usize
}

/// One code block's fence name and text (ending in a newline).
pub fn block(rng: &Rng) -> (&'static str, String) {
    let total: usize = LANGS.iter().map(|l| l.weight).sum();
    let mut r = rng.below(total);
    let lang = LANGS
        .iter()
        .find(|l| {
            if r < l.weight {
                true
            } else {
                r -= l.weight;
                false
            }
        })
        .unwrap();
    // The first fence name is the one most people write.
    let fence = if rng.below(3) == 0 {
        lang.fences[rng.below(lang.fences.len())]
    } else {
        lang.fences[0]
    };
    let want = lines_wanted(rng);
    let mut code = (lang.make)(rng, want);
    // Keep 5–60 lines: generators stop at a unit's end, so they can overshoot.
    let lines: Vec<&str> = code.lines().collect();
    if lines.len() > 60 {
        code = lines[..60].join("\n") + "\n";
    }
    (fence, code)
}

/// Lines of code in `s`.
fn count(s: &str) -> usize {
    s.lines().count()
}

// ---------------------------------------------------------------- shell

fn shell_command(rng: &Rng) -> String {
    let id = ident(rng);
    match rng.below(18) {
        0 => format!(
            "git checkout -b {}/{}",
            pick(rng, &["fix", "feat", "chore"]),
            id.replace('_', "-")
        ),
        1 => format!(
            "docker build -t {}/{}:{} .",
            pick(rng, HOSTS),
            id.replace('_', "-"),
            version(rng)
        ),
        2 => format!(
            "kubectl -n {} rollout restart deployment/{}",
            pick(rng, NOUNS),
            id.replace('_', "-")
        ),
        3 => format!(
            "curl -fsSL https://{}{} -o {}.json",
            host(rng),
            path(rng),
            id
        ),
        4 => format!("cargo build --release --bin {}", id.replace('_', "-")),
        5 => format!(
            "npm install --save-dev {}@^{}",
            id.replace('_', "-"),
            version(rng)
        ),
        6 => format!("mkdir -p \"${{{}}}/{}\"", upper(&ident(rng)), id),
        7 => format!(
            "rsync -az --delete {}/ {}:/srv/{}/",
            id,
            host(rng),
            ident(rng)
        ),
        8 => format!(
            "grep -rn \"{}\" {} | wc -l",
            camel(&id),
            pick(rng, &["src", "lib", "."])
        ),
        9 => format!(
            "ssh deploy@{} 'sudo systemctl restart {}'",
            host(rng),
            id.replace('_', "-")
        ),
        10 => format!(
            "psql -h {} -U {} -c \"SELECT count(*) FROM {};\"",
            host(rng),
            pick(rng, NOUNS),
            id
        ),
        11 => format!(
            "aws s3 cp {}.tar.gz s3://{}-{}/{}/",
            id,
            pick(rng, NOUNS),
            rng.below(900),
            version(rng)
        ),
        12 => format!(
            "terraform plan -var \"{}={}\" -out {}.plan",
            id,
            num(rng),
            pick(rng, NOUNS)
        ),
        13 => format!("pip install \"{}=={}\"", id.replace('_', "-"), version(rng)),
        14 => format!("tar -czf {}-$(date +%F).tar.gz {}/", id, ident(rng)),
        15 => format!(
            "echo \"{} ${{{}}}\" >> \"$LOG\"",
            phrase(rng, 3),
            upper(&ident(rng))
        ),
        16 => format!(
            "jq -r '.{}[] | .{}' {}.json",
            camel(&id),
            camel(&ident(rng)),
            ident(rng)
        ),
        _ => format!("sleep {}", 1 + rng.below(30)),
    }
}

fn shell(rng: &Rng, want: usize) -> String {
    let mut s = String::new();
    if rng.below(2) == 0 {
        s.push_str("#!/usr/bin/env bash\nset -euo pipefail\n\n");
    }
    for _ in 0..rng.below(4) {
        let value = match rng.below(3) {
            0 => host(rng),
            1 => ident(rng),
            _ => version(rng),
        };
        let _ = writeln!(s, "{}=\"{value}\"", upper(&ident(rng)));
    }
    while count(&s) < want {
        match rng.below(7) {
            0 => {
                let v = pick(rng, &["f", "svc", "host", "dir", "name", "n"]);
                let list = (0..2 + rng.below(3))
                    .map(|_| ident(rng).replace('_', "-"))
                    .collect::<Vec<_>>()
                    .join(" ");
                let _ = writeln!(s, "for {v} in {list}; do");
                for _ in 0..1 + rng.below(3) {
                    let _ = match rng.below(6) {
                        0 => writeln!(s, "  echo \"{} ${v}\"", phrase(rng, 2)),
                        1 => writeln!(s, "  cp \"${v}\" \"{}/\"", ident(rng)),
                        2 => writeln!(s, "  kubectl -n {} delete pod \"${v}\"", pick(rng, NOUNS)),
                        3 => writeln!(s, "  git -C \"${v}\" pull --ff-only"),
                        4 => writeln!(s, "  {} \"${v}\" || true", func(rng)),
                        _ => writeln!(s, "  wc -l \"${v}\" >> {}.txt", ident(rng)),
                    };
                }
                s.push_str("done\n");
            }
            1 => {
                let _ = writeln!(
                    s,
                    "if [ ! -f \"{}\" ]; then",
                    file(rng, pick(rng, &["conf", "lock", "env", "json"]))
                );
                let _ = writeln!(s, "  echo \"{}\" >&2", phrase(rng, 4 + rng.below(4)));
                let _ = writeln!(s, "  exit {}", 1 + rng.below(3));
                s.push_str("fi\n");
            }
            2 => {
                let f = func(rng);
                let _ = writeln!(s, "{f}() {{");
                let _ = writeln!(s, "  local {}=\"$1\"", ident(rng));
                for _ in 0..1 + rng.below(3) {
                    let _ = writeln!(s, "  {}", shell_command(rng));
                }
                s.push_str("}\n");
            }
            3 => {
                let _ = writeln!(s, "# {}", phrase(rng, 3 + rng.below(6)));
            }
            _ => {
                let c = shell_command(rng);
                if rng.below(5) == 0 {
                    let _ = writeln!(
                        s,
                        "{c} \\\n  --{} {}",
                        ident(rng).replace('_', "-"),
                        num(rng)
                    );
                } else {
                    let _ = writeln!(s, "{c}");
                }
            }
        }
    }
    s
}

fn console(rng: &Rng, want: usize) -> String {
    let mut s = String::new();
    while count(&s) < want {
        let _ = writeln!(s, "$ {}", shell_command(rng));
        for _ in 0..rng.below(5) {
            match rng.below(4) {
                0 => {
                    let _ = writeln!(
                        s,
                        "   Compiling {} v{}",
                        ident(rng).replace('_', "-"),
                        version(rng)
                    );
                }
                1 => {
                    let _ = writeln!(s, "{:>8}  {}", num(rng), file(rng, "rs"));
                }
                2 => {
                    let _ = writeln!(
                        s,
                        "{}: {} ({} ms)",
                        pick(rng, &["ok", "done", "warning", "error"]),
                        phrase(rng, 4),
                        num(rng)
                    );
                }
                _ => {
                    let _ = writeln!(
                        s,
                        "{}  {}  {}",
                        hex(rng, 12),
                        pick(rng, NOUNS),
                        rng.below(100)
                    );
                }
            }
        }
    }
    s
}

// ---------------------------------------------------------------- python

fn py_expr(rng: &Rng) -> String {
    match rng.below(10) {
        0 => format!("{}.get(\"{}\", {})", ident(rng), ident(rng), num(rng)),
        1 => format!("len({})", ident(rng)),
        2 => {
            let x = pick(rng, &["x", "item", "row", "e"]);
            format!(
                "[{x}.{} for {x} in {} if {x}.{}]",
                ident(rng),
                ident(rng),
                ident(rng)
            )
        }
        3 => num(rng).to_string(),
        4 => format!("\"{}\"", phrase(rng, 2 + rng.below(3))),
        5 => format!("{}({}, {})", func(rng), ident(rng), ident(rng)),
        6 => format!("{} * {} + {}", ident(rng), num(rng), ident(rng)),
        7 => format!(
            "{{\"{}\": {}, \"{}\": {}}}",
            ident(rng),
            ident(rng),
            ident(rng),
            num(rng)
        ),
        8 => format!(
            "os.environ.get(\"{}\", \"{}\")",
            upper(&ident(rng)),
            host(rng)
        ),
        _ => format!("f\"{}{{{}}}\"", path(rng), ident(rng)),
    }
}

fn py_stmts(rng: &Rng, s: &mut String, depth: usize, n: usize) {
    let pad = "    ".repeat(depth);
    for _ in 0..n {
        match rng.below(if depth < 3 { 9 } else { 4 }) {
            0 | 1 => {
                let _ = writeln!(s, "{pad}{} = {}", ident(rng), py_expr(rng));
            }
            2 => {
                let _ = writeln!(s, "{pad}{}.append({})", ident(rng), py_expr(rng));
            }
            3 => {
                let _ = writeln!(
                    s,
                    "{pad}log.info(\"{} %s\", {})",
                    phrase(rng, 3),
                    ident(rng)
                );
            }
            4 | 5 => {
                let _ = writeln!(s, "{pad}for {} in {}:", ident(rng), ident(rng));
                py_stmts(rng, s, depth + 1, 1 + rng.below(3));
            }
            6 => {
                let op = pick(rng, &[">", "<", "==", ">=", "!="]);
                let _ = writeln!(s, "{pad}if {} {op} {}:", ident(rng), num(rng));
                py_stmts(rng, s, depth + 1, 1 + rng.below(2));
                if rng.below(2) == 0 {
                    let _ = writeln!(s, "{pad}else:");
                    py_stmts(rng, s, depth + 1, 1);
                }
            }
            7 => {
                let _ = writeln!(s, "{pad}try:");
                py_stmts(rng, s, depth + 1, 1 + rng.below(2));
                let _ = writeln!(
                    s,
                    "{pad}except {} as err:",
                    pick(rng, &["KeyError", "ValueError", "OSError", "TimeoutError"])
                );
                let _ = writeln!(
                    s,
                    "{pad}    raise {}Error(\"{}\") from err",
                    pascal(&ident(rng)),
                    phrase(rng, 4)
                );
            }
            _ => {
                let _ = writeln!(s, "{pad}with open(\"{}\") as fh:", file(rng, "json"));
                py_stmts(rng, s, depth + 1, 1 + rng.below(2));
            }
        }
    }
}

fn python(rng: &Rng, want: usize) -> String {
    let mut s = String::new();
    let imports = [
        "import os",
        "import json",
        "import logging",
        "from pathlib import Path",
        "from dataclasses import dataclass",
        "import asyncio",
        "from typing import Optional",
        "import re",
        "import time",
        "from collections import defaultdict",
        "import requests",
    ];
    for _ in 0..rng.below(4) {
        let _ = writeln!(s, "{}", imports[rng.below(imports.len())]);
    }
    if !s.is_empty() {
        s.push('\n');
    }
    while count(&s) < want {
        match rng.below(4) {
            0 => {
                let _ = writeln!(s, "@dataclass\nclass {}:", pascal(&ident(rng)));
                for _ in 0..2 + rng.below(4) {
                    let ty = pick(
                        rng,
                        &["str", "int", "float", "bool", "list[str]", "Optional[int]"],
                    );
                    let _ = writeln!(
                        s,
                        "    {}: {ty} = {}",
                        ident(rng),
                        match ty {
                            "str" => format!("\"{}\"", pick(rng, NOUNS)),
                            "int" => num(rng).to_string(),
                            "float" => format!("{}.{}", rng.below(10), rng.below(100)),
                            "bool" => pick(rng, &["True", "False"]).to_string(),
                            _ => "None".to_string(),
                        }
                    );
                }
            }
            _ => {
                let args = (0..rng.below(4)).map(|_| ident(rng)).collect::<Vec<_>>();
                let prefix = if rng.below(5) == 0 {
                    "async def"
                } else {
                    "def"
                };
                let _ = writeln!(s, "{prefix} {}({}):", func(rng), args.join(", "));
                if rng.below(3) == 0 {
                    let _ = writeln!(s, "    \"\"\"{}.\"\"\"", phrase(rng, 4 + rng.below(6)));
                }
                py_stmts(rng, &mut s, 1, 2 + rng.below(4));
                let _ = writeln!(s, "    return {}", py_expr(rng));
            }
        }
        s.push('\n');
    }
    if rng.below(3) == 0 {
        let _ = writeln!(s, "if __name__ == \"__main__\":\n    {}()", func(rng));
    }
    s
}

// ---------------------------------------------------------------- C-like languages

/// The syntax of one brace language, for a shared statement generator.
struct Flavor {
    decl: fn(&Rng, &str, &str) -> String,
    cond: fn(&str) -> String,
    each: fn(&str, &str) -> String,
    len: fn(&str) -> String,
    semi: &'static str,
    name: fn(&str) -> String,
    log: fn(&str, &str) -> String,
}

fn c_expr(rng: &Rng, f: &Flavor) -> String {
    let id = (f.name)(&ident(rng));
    match rng.below(7) {
        0 => num(rng).to_string(),
        1 => format!("\"{}\"", phrase(rng, 2 + rng.below(3))),
        2 => (f.len)(&id),
        3 => format!(
            "{}({}, {})",
            (f.name)(&func(rng)),
            id,
            (f.name)(&ident(rng))
        ),
        4 => format!("{id} * {} + {}", num(rng), (f.name)(&ident(rng))),
        5 => format!("{id}.{}({})", (f.name)(&func(rng)), num(rng)),
        _ => format!("\"https://{}{}\"", host(rng), path(rng)),
    }
}

fn c_stmts(rng: &Rng, f: &Flavor, s: &mut String, depth: usize, n: usize) {
    let pad = "    ".repeat(depth);
    let semi = f.semi;
    for _ in 0..n {
        match rng.below(if depth < 3 { 8 } else { 4 }) {
            0 | 1 => {
                let e = c_expr(rng, f);
                let _ = writeln!(
                    s,
                    "{pad}{}{semi}",
                    (f.decl)(rng, &(f.name)(&ident(rng)), &e)
                );
            }
            2 => {
                let _ = writeln!(
                    s,
                    "{pad}{}{semi}",
                    (f.log)(&phrase(rng, 3 + rng.below(3)), &(f.name)(&ident(rng)))
                );
            }
            3 => {
                let _ = writeln!(s, "{pad}// {}", phrase(rng, 3 + rng.below(7)));
            }
            4 | 5 => {
                let c = format!(
                    "{} {} {}",
                    (f.name)(&ident(rng)),
                    pick(rng, &[">", "<", "==", "!="]),
                    num(rng)
                );
                let _ = writeln!(s, "{pad}{}", (f.cond)(&c));
                c_stmts(rng, f, s, depth + 1, 1 + rng.below(2));
                let _ = writeln!(s, "{pad}}}");
            }
            _ => {
                let _ = writeln!(
                    s,
                    "{pad}{}",
                    (f.each)(&(f.name)(&ident(rng)), &(f.name)(&ident(rng)))
                );
                c_stmts(rng, f, s, depth + 1, 1 + rng.below(3));
                let _ = writeln!(s, "{pad}}}");
            }
        }
    }
}

const JS: Flavor = Flavor {
    decl: |rng, n, e| {
        format!(
            "{} {n} = {e}",
            if rng.below(3) == 0 { "let" } else { "const" }
        )
    },
    cond: |c| format!("if ({c}) {{"),
    each: |x, xs| format!("for (const {x} of {xs}) {{"),
    len: |x| format!("{x}.length"),
    semi: ";",
    name: camel,
    log: |m, x| format!("console.log(`{m} ${{{x}}}`)"),
};

const TS: Flavor = Flavor {
    decl: |rng, n, e| {
        let ty = if e.starts_with('"') {
            "string"
        } else if e.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            "number"
        } else {
            ""
        };
        let kw = if rng.below(3) == 0 { "let" } else { "const" };
        if ty.is_empty() {
            format!("{kw} {n} = {e}")
        } else {
            format!("{kw} {n}: {ty} = {e}")
        }
    },
    ..JS
};

const RUST: Flavor = Flavor {
    decl: |rng, n, e| {
        format!(
            "let {}{n} = {e}",
            if rng.below(4) == 0 { "mut " } else { "" }
        )
    },
    cond: |c| format!("if {c} {{"),
    each: |x, xs| format!("for {x} in &{xs} {{"),
    len: |x| format!("{x}.len()"),
    semi: ";",
    name: |s| s.to_string(),
    log: |m, x| format!("tracing::info!(\"{m} {{}}\", {x})"),
};

const GO: Flavor = Flavor {
    decl: |_, n, e| format!("{n} := {e}"),
    cond: |c| format!("if {c} {{"),
    each: |x, xs| format!("for _, {x} := range {xs} {{"),
    len: |x| format!("len({x})"),
    semi: "",
    name: camel,
    log: |m, x| format!("log.Printf(\"{m} %v\", {x})"),
};

fn js_like(rng: &Rng, want: usize, typed: bool) -> String {
    let f = if typed { &TS } else { &JS };
    let mut s = String::new();
    for _ in 0..rng.below(3) {
        let _ = writeln!(
            s,
            "import {{ {} }} from \"{}\";",
            camel(&func(rng)),
            pick(
                rng,
                &[
                    "./lib",
                    "node:fs/promises",
                    "express",
                    "react",
                    "zod",
                    "./api"
                ]
            )
        );
    }
    if !s.is_empty() {
        s.push('\n');
    }
    while count(&s) < want {
        let name = camel(&func(rng));
        if typed && rng.below(3) == 0 {
            let _ = writeln!(s, "export interface {} {{", pascal(&ident(rng)));
            for _ in 0..2 + rng.below(5) {
                let _ = writeln!(
                    s,
                    "  {}{}: {};",
                    camel(&ident(rng)),
                    if rng.below(4) == 0 { "?" } else { "" },
                    pick(
                        rng,
                        &[
                            "string",
                            "number",
                            "boolean",
                            "Date",
                            "string[]",
                            "Record<string, number>"
                        ]
                    )
                );
            }
            s.push_str("}\n\n");
            continue;
        }
        let args = (0..rng.below(3))
            .map(|_| {
                let a = camel(&ident(rng));
                if typed {
                    format!(
                        "{a}: {}",
                        pick(rng, &["string", "number", "Options", "Request"])
                    )
                } else {
                    a
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let asy = if rng.below(3) == 0 { "async " } else { "" };
        if rng.below(3) == 0 {
            let _ = writeln!(s, "export const {name} = {asy}({args}) => {{");
        } else {
            let _ = writeln!(s, "export {asy}function {name}({args}) {{");
        }
        c_stmts(rng, f, &mut s, 1, 2 + rng.below(4));
        let _ = writeln!(s, "    return {};", c_expr(rng, f));
        s.push_str("}\n\n");
    }
    s
}

fn js(rng: &Rng, want: usize) -> String {
    js_like(rng, want, false)
}

fn ts(rng: &Rng, want: usize) -> String {
    js_like(rng, want, true)
}

fn rust(rng: &Rng, want: usize) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(3) {
        let _ = writeln!(
            s,
            "use {}::{};",
            pick(
                rng,
                &[
                    "std::collections",
                    "anyhow",
                    "serde",
                    "tokio::sync",
                    "crate::store"
                ]
            ),
            pascal(&ident(rng))
        );
    }
    if !s.is_empty() {
        s.push('\n');
    }
    while count(&s) < want {
        if rng.below(3) == 0 {
            let _ = writeln!(
                s,
                "#[derive(Debug, Clone{})]\npub struct {} {{",
                if rng.below(2) == 0 { ", Serialize" } else { "" },
                pascal(&ident(rng))
            );
            for _ in 0..2 + rng.below(4) {
                let _ = writeln!(
                    s,
                    "    pub {}: {},",
                    ident(rng),
                    pick(
                        rng,
                        &[
                            "String",
                            "u64",
                            "usize",
                            "bool",
                            "Vec<String>",
                            "Option<u32>",
                            "HashMap<String, u64>"
                        ]
                    )
                );
            }
            s.push_str("}\n\n");
            continue;
        }
        let args = (0..rng.below(3))
            .map(|_| {
                format!(
                    "{}: {}",
                    ident(rng),
                    pick(rng, &["&str", "u64", "&[Item]", "&Config", "usize"])
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let ret = pick(
            rng,
            &["Result<()>", "usize", "Option<String>", "bool", "Vec<u64>"],
        );
        let _ = writeln!(
            s,
            "{}fn {}({args}) -> {ret} {{",
            if rng.below(2) == 0 { "pub " } else { "" },
            func(rng)
        );
        c_stmts(rng, &RUST, &mut s, 1, 2 + rng.below(4));
        if rng.below(3) == 0 {
            let _ = writeln!(s, "    match {} {{", ident(rng));
            for _ in 0..2 + rng.below(3) {
                let _ = writeln!(
                    s,
                    "        {}::{} => {},",
                    pascal(&ident(rng)),
                    pascal(pick(rng, NOUNS)),
                    c_expr(rng, &RUST)
                );
            }
            s.push_str("        _ => unreachable!(),\n    }\n");
        } else {
            let _ = writeln!(s, "    {}", c_expr(rng, &RUST));
        }
        s.push_str("}\n\n");
    }
    s
}

fn go(rng: &Rng, want: usize) -> String {
    let mut s = format!("package {}\n\nimport (\n", pick(rng, NOUNS));
    for _ in 0..1 + rng.below(4) {
        let _ = writeln!(
            s,
            "\t\"{}\"",
            pick(
                rng,
                &[
                    "fmt", "log", "net/http", "context", "time", "errors", "strings", "os"
                ]
            )
        );
    }
    s.push_str(")\n\n");
    while count(&s) < want {
        if rng.below(3) == 0 {
            let _ = writeln!(s, "type {} struct {{", pascal(&ident(rng)));
            for _ in 0..2 + rng.below(4) {
                let f = pascal(&ident(rng));
                let _ = writeln!(
                    s,
                    "\t{f} {} `json:\"{}\"`",
                    pick(
                        rng,
                        &[
                            "string",
                            "int",
                            "int64",
                            "bool",
                            "[]string",
                            "time.Duration"
                        ]
                    ),
                    camel(&ident(rng))
                );
            }
            s.push_str("}\n\n");
            continue;
        }
        let args = (0..rng.below(3))
            .map(|_| {
                format!(
                    "{} {}",
                    camel(&ident(rng)),
                    pick(rng, &["string", "int", "context.Context", "*Config"])
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(s, "func {}({args}) error {{", pascal(&func(rng)));
        let mut body = String::new();
        c_stmts(rng, &GO, &mut body, 1, 2 + rng.below(4));
        s.push_str(&body.replace("    ", "\t"));
        let _ = writeln!(
            s,
            "\tif err := {}(); err != nil {{\n\t\treturn fmt.Errorf(\"{}: %w\", err)\n\t}}\n\treturn nil\n}}\n",
            camel(&func(rng)),
            phrase(rng, 3)
        );
    }
    s
}

// ---------------------------------------------------------------- data formats

fn scalar(rng: &Rng, quote: bool) -> String {
    match rng.below(6) {
        0 => num(rng).to_string(),
        1 => pick(rng, &["true", "false"]).to_string(),
        2 => format!("\"{}\"", host(rng)),
        3 => format!("\"{}\"", version(rng)),
        4 if !quote => ident(rng).replace('_', "-"),
        _ => format!("\"{}\"", phrase(rng, 1 + rng.below(3))),
    }
}

fn yaml_map(rng: &Rng, s: &mut String, depth: usize, want: usize) {
    let pad = "  ".repeat(depth);
    let n = 2 + rng.below(4);
    for _ in 0..n {
        if count(s) >= want && depth > 0 {
            return;
        }
        let k = ident(rng);
        match rng.below(if depth < 3 { 5 } else { 2 }) {
            0 | 1 => {
                let _ = writeln!(s, "{pad}{k}: {}", scalar(rng, false));
            }
            2 => {
                let _ = writeln!(s, "{pad}{k}:");
                for _ in 0..1 + rng.below(4) {
                    let _ = writeln!(s, "{pad}  - {}", scalar(rng, false));
                }
            }
            _ => {
                let _ = writeln!(s, "{pad}{k}:");
                yaml_map(rng, s, depth + 1, want);
            }
        }
    }
}

fn yaml(rng: &Rng, want: usize) -> String {
    let mut s = String::new();
    match rng.below(3) {
        0 => {
            let _ = writeln!(
                s,
                "name: {}\non:\n  push:\n    branches: [main]\njobs:",
                phrase(rng, 2)
            );
            while count(&s) < want {
                let _ = writeln!(
                    s,
                    "  {}:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4",
                    ident(rng).replace('_', "-")
                );
                for _ in 0..1 + rng.below(4) {
                    let _ = writeln!(
                        s,
                        "      - name: {}\n        run: {}",
                        phrase(rng, 3),
                        shell_command(rng)
                    );
                }
            }
        }
        1 => {
            let app = ident(rng).replace('_', "-");
            let _ = writeln!(
                s,
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {app}\n  labels:\n    app: {app}\nspec:\n  replicas: {}\n  template:\n    spec:\n      containers:",
                1 + rng.below(6)
            );
            while count(&s) < want {
                let _ = writeln!(
                    s,
                    "        - name: {}\n          image: {}/{}:{}\n          ports:\n            - containerPort: {}",
                    ident(rng).replace('_', "-"),
                    host(rng),
                    app,
                    version(rng),
                    1024 + rng.below(9000)
                );
                let _ = writeln!(s, "          env:");
                for _ in 0..1 + rng.below(3) {
                    let _ = writeln!(
                        s,
                        "            - name: {}\n              value: {}",
                        upper(&ident(rng)),
                        scalar(rng, true)
                    );
                }
            }
        }
        _ => {
            while count(&s) < want {
                yaml_map(rng, &mut s, 0, want);
            }
        }
    }
    s
}

fn json_value(rng: &Rng, s: &mut String, depth: usize, want: usize) {
    let pad = "  ".repeat(depth + 1);
    let close = "  ".repeat(depth);
    if depth < 3 && rng.below(3) == 0 {
        s.push_str("[\n");
        let n = 1 + rng.below(4);
        for i in 0..n {
            s.push_str(&pad);
            if rng.below(2) == 0 {
                json_object(rng, s, depth + 1, want);
            } else {
                s.push_str(&scalar(rng, true));
            }
            s.push_str(if i + 1 < n { ",\n" } else { "\n" });
        }
        let _ = write!(s, "{close}]");
    } else if depth < 3 && rng.below(2) == 0 {
        json_object(rng, s, depth, want);
    } else {
        s.push_str(&scalar(rng, true));
    }
}

fn json_object(rng: &Rng, s: &mut String, depth: usize, want: usize) {
    let pad = "  ".repeat(depth + 1);
    s.push_str("{\n");
    let n = if depth == 0 {
        3 + rng.below(4)
    } else {
        1 + rng.below(4)
    };
    let mut i = 0;
    while i < n || (depth == 0 && count(s) < want) {
        if i > 0 {
            s.push_str(",\n");
        }
        let _ = write!(s, "{pad}\"{}\": ", camel(&ident(rng)));
        json_value(rng, s, depth + 1, want);
        i += 1;
    }
    let _ = write!(s, "\n{}}}", "  ".repeat(depth));
}

fn json(rng: &Rng, want: usize) -> String {
    let mut s = String::new();
    json_object(rng, &mut s, 0, want);
    s.push('\n');
    s
}

fn toml(rng: &Rng, want: usize) -> String {
    let mut s = String::new();
    if rng.below(2) == 0 {
        let _ = writeln!(
            s,
            "[package]\nname = \"{}\"\nversion = \"{}\"\nedition = \"2021\"\n\n[dependencies]",
            ident(rng).replace('_', "-"),
            version(rng)
        );
        for _ in 0..2 + rng.below(5) {
            if rng.below(3) == 0 {
                let _ = writeln!(
                    s,
                    "{} = {{ version = \"{}\", features = [\"{}\"] }}",
                    ident(rng).replace('_', "-"),
                    version(rng),
                    pick(rng, NOUNS)
                );
            } else {
                let _ = writeln!(s, "{} = \"{}\"", ident(rng).replace('_', "-"), version(rng));
            }
        }
        s.push('\n');
    }
    while count(&s) < want {
        if rng.below(4) == 0 {
            let _ = writeln!(s, "[[{}]]", ident(rng));
        } else {
            let _ = writeln!(
                s,
                "[{}{}]",
                ident(rng),
                if rng.below(3) == 0 {
                    format!(".{}", ident(rng))
                } else {
                    String::new()
                }
            );
        }
        for _ in 0..1 + rng.below(5) {
            if rng.below(5) == 0 {
                let items = (0..1 + rng.below(4))
                    .map(|_| format!("\"{}\"", pick(rng, NOUNS)))
                    .collect::<Vec<_>>()
                    .join(", ");
                let _ = writeln!(s, "{} = [{items}]", ident(rng));
            } else {
                let _ = writeln!(s, "{} = {}", ident(rng), scalar(rng, true));
            }
        }
        s.push('\n');
    }
    s
}

fn dockerfile(rng: &Rng, want: usize) -> String {
    let mut s = String::new();
    let app = ident(rng).replace('_', "-");
    let mut stage = 0;
    while count(&s) < want {
        let base = match rng.below(6) {
            0 => format!("rust:1.{}-slim", 70 + rng.below(20)),
            1 => format!("python:3.{}-slim", 9 + rng.below(5)),
            2 => format!("node:{}-alpine", 18 + 2 * rng.below(4)),
            3 => format!("golang:1.{}", 20 + rng.below(5)),
            4 => format!("alpine:3.{}", 16 + rng.below(5)),
            _ => "debian:bookworm-slim".to_string(),
        };
        let name = if stage == 0 && rng.below(2) == 0 {
            format!(" AS {}", pick(rng, &["build", "deps", "builder"]))
        } else {
            String::new()
        };
        let _ = writeln!(s, "FROM {base}{name}");
        let _ = writeln!(s, "WORKDIR /{}", pick(rng, &["app", "src", "srv", "build"]));
        for _ in 0..1 + rng.below(4) {
            match rng.below(5) {
                0 => {
                    let _ = writeln!(s, "ENV {}={}", upper(&ident(rng)), scalar(rng, false));
                }
                1 => {
                    let _ = writeln!(
                        s,
                        "COPY {} ./{}",
                        file(rng, pick(rng, &["toml", "json", "lock", "txt"])),
                        pick(rng, NOUNS)
                    );
                }
                2 => {
                    let _ = writeln!(s, "ARG {}={}", upper(&ident(rng)), version(rng));
                }
                _ => {
                    let _ = writeln!(
                        s,
                        "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends {} {} \\\n    && rm -rf /var/lib/apt/lists/*",
                        ident(rng).replace('_', "-"),
                        pick(
                            rng,
                            &["curl", "ca-certificates", "git", "libssl-dev", "tini"]
                        )
                    );
                }
            }
        }
        let _ = writeln!(s, "RUN {}", shell_command(rng));
        if stage > 0 || rng.below(2) == 0 {
            let _ = writeln!(
                s,
                "EXPOSE {}\nUSER {}\nCMD [\"/usr/local/bin/{app}\", \"--{}\", \"{}\"]",
                1024 + rng.below(9000),
                pick(rng, &["app", "nobody", "1000"]),
                ident(rng).replace('_', "-"),
                num(rng)
            );
        }
        s.push('\n');
        stage += 1;
    }
    s
}

fn sql(rng: &Rng, want: usize) -> String {
    let mut s = String::new();
    while count(&s) < want {
        let t = format!("{}s", pick(rng, NOUNS));
        match rng.below(4) {
            0 => {
                let _ = writeln!(s, "CREATE TABLE {t} (\n    id BIGSERIAL PRIMARY KEY,");
                for _ in 0..2 + rng.below(6) {
                    let _ = writeln!(
                        s,
                        "    {} {}{},",
                        ident(rng),
                        pick(
                            rng,
                            &[
                                "TEXT",
                                "INTEGER",
                                "BIGINT",
                                "BOOLEAN",
                                "TIMESTAMPTZ",
                                "JSONB",
                                "NUMERIC(12, 2)"
                            ]
                        ),
                        pick(rng, &["", " NOT NULL", " DEFAULT now()", " UNIQUE"])
                    );
                }
                let _ = writeln!(
                    s,
                    "    created_at TIMESTAMPTZ NOT NULL DEFAULT now()\n);\nCREATE INDEX {t}_{}_idx ON {t} ({});",
                    ident(rng),
                    ident(rng)
                );
            }
            1 => {
                let (a, b) = (ident(rng), ident(rng));
                let u = format!("{}s", pick(rng, NOUNS));
                let _ = writeln!(
                    s,
                    "SELECT t.{a}, u.{b}, count(*) AS {}\nFROM {t} AS t\nJOIN {u} AS u ON u.id = t.{}_id\nWHERE t.{} {} {}\n  AND u.{} IS NOT NULL\nGROUP BY t.{a}, u.{b}\nORDER BY {} DESC\nLIMIT {};",
                    ident(rng),
                    pick(rng, NOUNS),
                    ident(rng),
                    pick(rng, &[">", "<", "="]),
                    num(rng),
                    ident(rng),
                    pick(rng, &["3", "1", "2"]),
                    10 + rng.below(990)
                );
            }
            2 => {
                let cols = (0..2 + rng.below(3))
                    .map(|_| ident(rng))
                    .collect::<Vec<_>>();
                let _ = writeln!(s, "INSERT INTO {t} ({})\nVALUES", cols.join(", "));
                let rows = 1 + rng.below(4);
                for r in 0..rows {
                    let vals = cols
                        .iter()
                        .map(|_| match rng.below(3) {
                            0 => num(rng).to_string(),
                            1 => format!("'{}'", pick(rng, NOUNS)),
                            _ => "now()".into(),
                        })
                        .collect::<Vec<_>>();
                    let _ = writeln!(
                        s,
                        "    ({}){}",
                        vals.join(", "),
                        if r + 1 < rows { "," } else { ";" }
                    );
                }
            }
            _ => {
                let _ = writeln!(
                    s,
                    "-- {}\nUPDATE {t}\nSET {} = {} + {}, updated_at = now()\nWHERE {} IN (SELECT id FROM {}s WHERE {} = '{}');",
                    phrase(rng, 5),
                    ident(rng),
                    ident(rng),
                    num(rng),
                    ident(rng),
                    pick(rng, NOUNS),
                    ident(rng),
                    pick(rng, NOUNS)
                );
            }
        }
        s.push('\n');
    }
    s
}

fn diff(rng: &Rng, want: usize) -> String {
    let mut s = String::new();
    while count(&s) < want {
        let (lang, ext) = [("py", "py"), ("js", "js"), ("rs", "rs")][rng.below(3)];
        let p = file(rng, ext);
        let _ = writeln!(
            s,
            "diff --git a/{p} b/{p}\nindex {}..{} 100644\n--- a/{p}\n+++ b/{p}",
            hex(rng, 7),
            hex(rng, 7)
        );
        for _ in 0..1 + rng.below(3) {
            let src = match lang {
                "py" => python(rng, 6 + rng.below(8)),
                "js" => js(rng, 6 + rng.below(8)),
                _ => rust(rng, 6 + rng.below(8)),
            };
            let mut old = 0;
            let mut new = 0;
            let mut hunk = String::new();
            for line in src.lines().take(14) {
                let (mark, o, n) = match rng.below(6) {
                    0 => ('-', 1, 0),
                    1 => ('+', 0, 1),
                    _ => (' ', 1, 1),
                };
                old += o;
                new += n;
                let _ = writeln!(hunk, "{mark}{line}");
            }
            let start = 1 + rng.below(400);
            let _ = writeln!(
                s,
                "@@ -{start},{old} +{},{new} @@ {}",
                start + rng.below(8),
                func(rng)
            );
            s.push_str(&hunk);
        }
    }
    s
}

fn html(rng: &Rng, want: usize) -> String {
    let mut s = String::new();
    while count(&s) < want {
        let c = ident(rng).replace('_', "-");
        let _ = writeln!(s, "<section class=\"{c}\">\n  <h2>{}</h2>", phrase(rng, 3));
        match rng.below(3) {
            0 => {
                s.push_str("  <ul>\n");
                for _ in 0..1 + rng.below(4) {
                    let _ = writeln!(
                        s,
                        "    <li><a href=\"{}\">{}</a></li>",
                        path(rng),
                        phrase(rng, 2)
                    );
                }
                s.push_str("  </ul>\n");
            }
            1 => {
                let _ = writeln!(s, "  <form method=\"post\" action=\"{}\">", path(rng));
                for _ in 0..1 + rng.below(3) {
                    let n = ident(rng);
                    let _ = writeln!(
                        s,
                        "    <label for=\"{n}\">{}</label>\n    <input id=\"{n}\" name=\"{n}\" type=\"{}\" required>",
                        phrase(rng, 2),
                        pick(rng, &["text", "email", "number"])
                    );
                }
                s.push_str("    <button type=\"submit\">Save</button>\n  </form>\n");
            }
            _ => {
                let _ = writeln!(
                    s,
                    "  <p data-{}=\"{}\">{}</p>",
                    pick(rng, NOUNS),
                    num(rng),
                    phrase(rng, 6)
                );
            }
        }
        s.push_str("</section>\n");
    }
    s
}

fn css(rng: &Rng, want: usize) -> String {
    let mut s = String::new();
    if rng.below(2) == 0 {
        s.push_str(":root {\n");
        for _ in 0..1 + rng.below(4) {
            let _ = writeln!(s, "  --{}: #{};", ident(rng).replace('_', "-"), hex(rng, 6));
        }
        s.push_str("}\n\n");
    }
    while count(&s) < want {
        let _ = writeln!(
            s,
            ".{}{} {{",
            ident(rng).replace('_', "-"),
            pick(rng, &["", " > a", ":hover", " .title", "::before"])
        );
        for _ in 0..1 + rng.below(5) {
            let (p, v) = match rng.below(6) {
                0 => ("color", format!("#{}", hex(rng, 6))),
                1 => ("margin", format!("{}px {}rem", rng.below(40), rng.below(4))),
                2 => (
                    "display",
                    pick(rng, &["grid", "flex", "block", "none"]).to_string(),
                ),
                3 => (
                    "font-size",
                    format!("{}.{}rem", rng.below(3), rng.below(10)),
                ),
                4 => (
                    "grid-template-columns",
                    format!(
                        "repeat({}, minmax({}px, 1fr))",
                        1 + rng.below(5),
                        100 + rng.below(200)
                    ),
                ),
                _ => (
                    "border",
                    format!("{}px solid #{}", 1 + rng.below(3), hex(rng, 3)),
                ),
            };
            let _ = writeln!(s, "  {p}: {v};");
        }
        s.push_str("}\n\n");
    }
    s
}

fn text(rng: &Rng, want: usize) -> String {
    let mut s = String::new();
    let mut t = rng.below(80_000);
    while count(&s) < want {
        t += rng.below(5000);
        let _ = writeln!(
            s,
            "2024-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z {} {}: {} ({} ms)",
            1 + t % 12,
            1 + t % 28,
            t / 3600 % 24,
            t / 60 % 60,
            t % 60,
            rng.below(1000),
            pick(rng, &["INFO", "WARN", "DEBUG", "ERROR"]),
            ident(rng),
            phrase(rng, 3 + rng.below(5)),
            num(rng)
        );
    }
    s
}
