//! Code highlighting with syntect, as CSS classes rather than inline colours, so
//! one page works in light and dark mode: the generated `/syntax.css` holds both
//! palettes.
//!
//! Syntax definitions are bat's curated set (through `two-face`: TOML,
//! TypeScript, Dockerfile, Kotlin, Zig, HCL and some 200 more), loaded from its
//! embedded dump once per process, plus the `.sublime-syntax` files a site keeps
//! in `syntaxes/`, compiled once per content of that folder and looked up first. A fence names its
//! language the way people write it (`ts`, `sh`, `yml`, `golang`): by extension
//! or name, then by the aliases of [`ALIASES`].

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxDefinition, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::diag::Diagnostic;
use crate::sitefs::SiteFs;

pub mod cache;
use cache::DiskCache;

/// Class prefix of highlighted tokens: `<span class="hl-keyword">`.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The built-in syntax set: bat's.
fn builtin() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Fence names that mean "no highlighting": shown as plain text, no warning.
pub const PLAIN: &[&str] = &[
    "text",
    "txt",
    "plain",
    "plaintext",
    "none",
    "nohighlight",
    "output",
];

/// Fence names people write that are neither a syntax's name nor one of its
/// extensions, and the name or extension they mean. Looked up after both.
pub const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("console", "bash"),
    ("terminal", "bash"),
    ("shell-session", "bash"),
    ("shellsession", "bash"),
    ("sh-session", "bash"),
    ("shell-script", "bash"),
    ("docker", "Dockerfile"),
    ("containerfile", "Dockerfile"),
    ("jsonc", "json"),
    ("json5", "json"),
    ("jsonl", "json"),
    ("ndjson", "json"),
    ("geojson", "json"),
    ("golang", "go"),
    ("csharp", "cs"),
    ("c-sharp", "cs"),
    ("dotnet", "cs"),
    ("objc", "Objective-C"),
    ("objectivec", "Objective-C"),
    ("objc++", "Objective-C++"),
    ("objcpp", "Objective-C++"),
    ("fsharp", "fs"),
    ("psql", "sql"),
    ("postgres", "sql"),
    ("postgresql", "sql"),
    ("pgsql", "sql"),
    ("mysql", "sql"),
    ("sqlite", "sql"),
    ("plsql", "sql"),
    ("tsql", "sql"),
    ("python3", "python"),
    ("python2", "python"),
    ("pycon", "python"),
    ("node", "js"),
    ("nodejs", "js"),
    ("javascriptreact", "jsx"),
    ("typescriptreact", "tsx"),
    ("pwsh", "powershell"),
    ("posh", "powershell"),
    ("batch", "bat"),
    ("dosbatch", "bat"),
    ("dosini", "ini"),
    ("editorconfig", "ini"),
    ("plist", "xml"),
    ("xhtml", "html"),
    ("vim", "VimL"),
    ("viml", "VimL"),
    ("elisp", "lisp"),
    ("emacs-lisp", "lisp"),
    ("scheme", "lisp"),
    ("udiff", "diff"),
    ("gitdiff", "diff"),
    ("env", "dotenv"),
    ("hcl2", "hcl"),
    ("mk", "make"),
    ("gnumake", "make"),
    ("asm", "x86_64 Assembly"),
    ("assembly", "x86_64 Assembly"),
    ("nasm", "x86_64 Assembly"),
    ("ocaml", "ml"),
    ("rlang", "r"),
    ("proto3", "proto"),
    ("regex", "re"),
    ("regexp", "re"),
    ("protobuf", "proto"),
    ("gql", "graphql"),
];

/// The syntax definitions a site highlights with: the built-in set and, when
/// the site has a `syntaxes/` folder, its own, compiled into a set of their
/// own and looked up first (so a site syntax of the same name or extension as
/// a built-in one wins). Built apart because adding a few syntaxes to bat's
/// set relinks all of its ~220 (half a second a build); the price is that a
/// site syntax cannot embed a built-in one.
#[derive(Clone, Default)]
pub struct Syntaxes {
    site: Option<Arc<SiteSyntaxes>>,
    /// The highlight cache on disk, when the site has one (see [`cache`]).
    disk: Option<Arc<DiskCache>>,
}

struct SiteSyntaxes {
    set: SyntaxSet,
    /// Hash of the `syntaxes/` folder's files: what the set was compiled from.
    fingerprint: u64,
    /// A strong hash of the same: the set's part of a disk cache key.
    digest: [u8; 32],
    /// Names of the site's own syntaxes, in file order.
    names: Vec<String>,
}

impl std::fmt::Debug for Syntaxes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.site {
            None => f.write_str("Syntaxes(built-in")?,
            Some(s) => write!(f, "Syntaxes(built-in + {:?}", s.names)?,
        }
        match &self.disk {
            Some(d) => write!(f, ", {d:?})"),
            None => f.write_str(")"),
        }
    }
}

/// What a fence's language word names.
#[derive(Debug, Clone, Copy)]
pub enum Lang<'a> {
    /// No language, or a name of [`PLAIN`]: plain text.
    Plain,
    /// A syntax to highlight with, and the set it is in.
    Syntax(Found<'a>),
    /// A name no syntax answers to: plain text, and a warning.
    Unknown,
}

/// A syntax found for a fence.
#[derive(Debug, Clone, Copy)]
pub struct Found<'a> {
    pub syntax: &'a SyntaxReference,
    pub set: &'a SyntaxSet,
    /// Which set: 0 for the built-in one, else the site's fingerprint (the
    /// key of highlighted code in the cache).
    id: u64,
    /// The site set's digest (`None`: the built-in set), for the disk cache.
    digest: Option<&'a [u8; 32]>,
}

impl Syntaxes {
    /// The sets to look in, first first: the site's, then the built-in one
    /// (which loads on first use).
    fn sets(&self) -> impl Iterator<Item = (&SyntaxSet, u64, Option<&[u8; 32]>)> {
        self.site
            .iter()
            .map(|s| (&s.set, s.fingerprint, Some(&s.digest)))
            .chain(std::iter::once_with(|| (builtin(), 0, None)))
    }

    /// These syntaxes with the highlight cache of the site at `root` (none
    /// after `--no-cache`). A cache folder that would lead outside the site
    /// is a warning in `diags`, and no cache.
    pub fn with_cache(
        mut self,
        root: &Path,
        settings: &cache::Settings,
        diags: &mut Vec<Diagnostic>,
    ) -> Syntaxes {
        self.disk = match cache::folder(root, settings) {
            Ok(dir) => dir.map(|d| Arc::new(DiskCache::new(&d, settings.max_bytes))),
            Err(msg) => {
                diags.push(
                    Diagnostic::warning(format!("{msg}; the highlight cache is off"))
                        .in_file("gen.toml")
                        .hint(format!(
                            "set [cache] dir in gen.toml (or {}) to a folder inside the site, or to an absolute path",
                            cache::ENV_DIR
                        )),
                );
                None
            }
        };
        self
    }

    /// The highlight cache on disk, if there is one.
    pub fn disk_cache(&self) -> Option<&Arc<DiskCache>> {
        self.disk.as_ref()
    }

    /// Saves what this build added to the highlight cache ([`DiskCache::save`]).
    /// A cache that cannot be written is no error: `None`, and the next build
    /// highlights again.
    pub fn save_cache(&self) -> Option<cache::Stats> {
        self.disk.as_ref()?.save().ok()
    }

    /// Names of the site's own syntaxes (empty without `syntaxes/`).
    pub fn site_names(&self) -> &[String] {
        self.site.as_ref().map_or(&[], |s| &s.names)
    }

    /// The syntax a fence's language word names: by extension or name (any
    /// case), among the site's syntaxes and then the built-in ones; then by
    /// [`ALIASES`].
    pub fn find(&self, lang: &str) -> Lang<'_> {
        if lang.is_empty() || PLAIN.iter().any(|p| p.eq_ignore_ascii_case(lang)) {
            return Lang::Plain;
        }
        let by = |name: &str| {
            self.sets().find_map(|(set, id, digest)| {
                set.find_syntax_by_token(name)
                    .or_else(|| set.find_syntax_by_name(name))
                    .map(|syntax| Found {
                        syntax,
                        set,
                        id,
                        digest,
                    })
            })
        };
        let found = by(lang).or_else(|| {
            ALIASES
                .iter()
                .find(|(alias, _)| alias.eq_ignore_ascii_case(lang))
                .and_then(|(_, target)| by(target))
        });
        match found {
            Some(f) => Lang::Syntax(f),
            None => Lang::Unknown,
        }
    }

    /// The fence names closest to an unknown `lang`: those at the least edit
    /// distance (a typo or two), at most three, alphabetically.
    pub fn closest(&self, lang: &str) -> Vec<String> {
        let lower = lang.to_lowercase();
        let mut names: Vec<String> = self.fence_names();
        names.sort();
        names.dedup();
        let limit = if lower.chars().count() <= 4 { 1 } else { 2 };
        let scored: Vec<(usize, String)> = names
            .into_iter()
            .map(|n| (strsim::damerau_levenshtein(&lower, &n), n))
            .filter(|(d, _)| *d <= limit)
            .collect();
        let Some(best) = scored.iter().map(|(d, _)| *d).min() else {
            return Vec::new();
        };
        scored
            .into_iter()
            .filter(|(d, _)| *d == best)
            .map(|(_, n)| n)
            .take(3)
            .collect()
    }

    /// Every name a fence may use, lowercase: extensions, one-word syntax
    /// names, aliases and the plain names.
    fn fence_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for s in self.sets().flat_map(|(set, _, _)| set.syntaxes()) {
            if s.hidden {
                continue;
            }
            let name = s.name.to_lowercase();
            if !name.contains([' ', '(', ')']) {
                names.push(name);
            }
            names.extend(
                s.file_extensions
                    .iter()
                    .filter(|e| !e.contains('.') && e.len() <= 12)
                    .map(|e| e.to_lowercase()),
            );
        }
        names.extend(ALIASES.iter().map(|(a, _)| a.to_string()));
        names.extend(PLAIN.iter().map(|p| p.to_string()));
        names
    }
}

/// The warnings for a body's fences in unknown languages: at the language word
/// (`source` is the file, whose body starts on line `body_line`), naming the
/// closest known names.
pub fn unknown_language_warnings(
    syntaxes: &Syntaxes,
    unknown: &[super::UnknownLanguage],
    source: &Path,
    body: &str,
    body_line: usize,
) -> Vec<Diagnostic> {
    unknown
        .iter()
        .map(|u| {
            let (line, col) = crate::diag::line_col(body, u.offset);
            let close = syntaxes.closest(&u.lang);
            let hint = if close.is_empty() {
                "name a language as its file extension (`py`, `ts`, `sh`) or its name \
                 (`python`), add a .sublime-syntax file for it in syntaxes/, or write `text` \
                 for plain text"
                    .to_string()
            } else {
                format!("did you mean {}?", or_list(&close))
            };
            let mut d = Diagnostic::warning(format!(
                "unknown code language \"{}\": shown as plain text",
                u.lang
            ))
            .in_file(source)
            .kind(crate::diag::Kind::CodeLanguage)
            .hint(hint)
            .at(body, line, col);
            d.line = Some(line + body_line - 1);
            d
        })
        .collect()
}

/// `"a"`, `"a" or "b"`, `"a", "b" or "c"`.
fn or_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The folder of a site's own syntax definitions.
pub const SITE_SYNTAXES: &str = "syntaxes";

/// Compiled site syntax sets by fingerprint, so that `gen serve` compiles an
/// unchanged `syntaxes/` folder once (the config is read again on every change
/// of `gen.toml`). A few are kept: a site switched back and forth.
fn compiled() -> &'static Mutex<Vec<Arc<SiteSyntaxes>>> {
    static C: OnceLock<Mutex<Vec<Arc<SiteSyntaxes>>>> = OnceLock::new();
    C.get_or_init(Default::default)
}

/// How many compiled site sets [`compiled`] keeps.
const COMPILED_KEPT: usize = 4;

/// The site's syntaxes: the built-in set, and the `.sublime-syntax` files of
/// `syntaxes/` (read through the site's gate) compiled into a set of their own,
/// looked up first. A file that cannot be
/// read or does not compile is an error in `diags` (with its line when
/// syntect tells it) and is left out.
pub fn load_site(fs: &SiteFs, diags: &mut Vec<Diagnostic>) -> Syntaxes {
    let dir = Path::new(SITE_SYNTAXES);
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut failed = false;
    for path in fs.files(dir, diags) {
        let rel = path
            .strip_prefix(fs.root())
            .map(Path::to_path_buf)
            .unwrap_or(path);
        if rel.extension().and_then(|e| e.to_str()) != Some("sublime-syntax") {
            continue;
        }
        match fs.read(&rel).map(String::from_utf8) {
            Ok(Ok(text)) => files.push((rel, text)),
            Ok(Err(_)) => {
                failed = true;
                diags.push(
                    Diagnostic::error("cannot read syntax definition: it is not UTF-8 text")
                        .in_file(&rel)
                        .hint("save the .sublime-syntax file as UTF-8"),
                );
            }
            Err(d) => {
                failed = true;
                diags.push(d);
            }
        }
    }
    if files.is_empty() {
        return Syntaxes::default();
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    files.hash(&mut h);
    // Never 0, the built-in set's id.
    let fingerprint = h.finish() | 1;
    let mut strong = blake3::Hasher::new();
    for (rel, text) in &files {
        let rel = rel.to_string_lossy();
        strong.update(&(rel.len() as u64).to_le_bytes());
        strong.update(rel.as_bytes());
        strong.update(&(text.len() as u64).to_le_bytes());
        strong.update(text.as_bytes());
    }
    let digest = *strong.finalize().as_bytes();
    if !failed
        && let Ok(c) = compiled().lock()
        && let Some(s) = c.iter().find(|s| s.fingerprint == fingerprint)
    {
        return Syntaxes {
            site: Some(s.clone()),
            disk: None,
        };
    }
    let mut defs = Vec::new();
    for (rel, text) in &files {
        match compile(rel, text) {
            Ok(def) => defs.push(def),
            Err(d) => {
                failed = true;
                diags.push(*d);
            }
        }
    }
    // With errors the build fails, but the syntaxes that compiled are used,
    // so their fences are not reported as unknown too.
    if defs.is_empty() {
        return Syntaxes::default();
    }
    let names = defs.iter().map(|d| d.name.clone()).collect();
    let mut builder = syntect::parsing::SyntaxSetBuilder::new();
    for def in defs {
        builder.add(def);
    }
    let site = Arc::new(SiteSyntaxes {
        set: builder.build(),
        fingerprint,
        digest,
        names,
    });
    // Only a set made of every file is kept: a file that failed must fail
    // again next time.
    if !failed && let Ok(mut c) = compiled().lock() {
        if c.len() >= COMPILED_KEPT {
            c.remove(0);
        }
        c.push(site.clone());
    }
    Syntaxes {
        site: Some(site),
        disk: None,
    }
}

/// One `.sublime-syntax` file, compiled; the error says where and why not.
fn compile(rel: &Path, text: &str) -> Result<SyntaxDefinition, Box<Diagnostic>> {
    use syntect::parsing::ParseSyntaxError;
    let stem = rel.file_stem().and_then(|s| s.to_str());
    // syntect is not meant for hostile input: a panic in it is this file's error.
    let result = std::panic::catch_unwind(|| SyntaxDefinition::load_from_str(text, true, stem));
    let err = match result {
        Ok(Ok(def)) => return Ok(def),
        Ok(Err(e)) => e,
        Err(_) => {
            return Err(Box::new(
                Diagnostic::error("cannot compile syntax definition")
                    .in_file(rel)
                    .hint(HINT),
            ));
        }
    };
    let mut d = Diagnostic::error(format!("cannot compile syntax definition: {err}"))
        .in_file(rel)
        .hint(HINT);
    let at = match &err {
        ParseSyntaxError::InvalidYaml(e) => Some((e.marker().line(), e.marker().col() + 1)),
        ParseSyntaxError::RegexCompileError(regex, _) => text
            .find(regex.as_str())
            .map(|i| crate::diag::line_col(text, i)),
        _ => None,
    };
    if let Some((line, col)) = at {
        d = d.at(text, line, col);
    }
    Err(Box::new(d))
}

const HINT: &str = "a site syntax is a Sublime Text .sublime-syntax file (YAML with `name`, `scope`, `file_extensions` and a `main` context); fix it or move it out of syntaxes/";

/// The built-in syntax definitions code blocks are highlighted with, so that
/// `examples/floor` (the benchmarks' lower bound) highlights with the same set.
pub fn syntax_set() -> &'static SyntaxSet {
    builtin()
}

fn themes() -> &'static ThemeSet {
    static SET: OnceLock<ThemeSet> = OnceLock::new();
    SET.get_or_init(ThemeSet::load_defaults)
}

/// Names of the highlighting themes that `highlight_theme` may name.
pub fn theme_names() -> Vec<&'static str> {
    themes().themes.keys().map(String::as_str).collect()
}

/// The background of code blocks in the built-in theme (`--code-bg` in
/// `themes/default/static/style.css`), in its light and dark colour schemes: the
/// stylesheet's colours are made readable against these.
pub const CODE_BG_LIGHT: Rgb = Rgb(0xf3, 0xef, 0xe6);
/// See [`CODE_BG_LIGHT`].
pub const CODE_BG_DARK: Rgb = Rgb(0x20, 0x1e, 0x24);

/// The least contrast of a token's colour against its background: WCAG's AA
/// level for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

/// The stylesheet for highlighted code: the `light` palette when the reader
/// prefers a light colour scheme (or says nothing), `dark` when they prefer a
/// dark one. `Err` names an unknown theme.
///
/// Each palette sits in its own media query, so that no rule of one applies in
/// the other (a class the dark theme does not colour would otherwise keep its
/// light colour on the dark background). Every colour is moved towards black or
/// white, keeping its hue, until it has [`MIN_CONTRAST`] against its background:
/// the code block's ([`CODE_BG_LIGHT`], [`CODE_BG_DARK`]) or the rule's own.
pub fn stylesheet(light: &str, dark: &str) -> Result<String, String> {
    let get = |name: &str| {
        themes().themes.get(name).ok_or_else(|| {
            format!(
                "unknown highlight theme \"{name}\"; available: {}",
                theme_names().join(", ")
            )
        })
    };
    let light_css =
        css_for_theme_with_class_style(get(light)?, CLASS_STYLE).map_err(|e| e.to_string())?;
    let dark_css =
        css_for_theme_with_class_style(get(dark)?, CLASS_STYLE).map_err(|e| e.to_string())?;
    Ok(format!(
        "/* Code colours: {light} (light), {dark} (dark). Generated by gen: each palette applies in its own colour scheme, every colour at least {MIN_CONTRAST}:1 against its background. */\n@media not all and (prefers-color-scheme: dark) {{\n{}}}\n@media (prefers-color-scheme: dark) {{\n{}}}\n",
        readable_rules(&light_css, CODE_BG_LIGHT),
        readable_rules(&dark_css, CODE_BG_DARK),
    ))
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rgb`, `#rrggbb` or `#rrggbbaa` (the alpha is left out: syntect writes
    /// opaque colours).
    pub fn parse(hex: &str) -> Option<Rgb> {
        let h = hex.trim().strip_prefix('#')?;
        let byte = |i: usize| u8::from_str_radix(h.get(i..i + 2)?, 16).ok();
        let nibble = |i: usize| u8::from_str_radix(h.get(i..=i)?, 16).ok().map(|n| n * 17);
        match h.len() {
            3 => Some(Rgb(nibble(0)?, nibble(1)?, nibble(2)?)),
            6 | 8 => Some(Rgb(byte(0)?, byte(2)?, byte(4)?)),
            _ => None,
        }
    }

    /// WCAG 2 relative luminance.
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// WCAG 2 contrast ratio, from 1 to 21.
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    fn mix(self, to: Rgb, t: f64) -> Rgb {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(m(self.0, to.0), m(self.1, to.1), m(self.2, to.2))
    }

    /// This colour, or the nearest one towards black or white (whichever
    /// contrasts more with `bg`) that has [`MIN_CONTRAST`] against `bg`.
    pub fn readable_on(self, bg: Rgb) -> Rgb {
        if self.contrast(bg) >= MIN_CONTRAST {
            return self;
        }
        let (black, white) = (Rgb(0, 0, 0), Rgb(255, 255, 255));
        let to = if black.contrast(bg) >= white.contrast(bg) {
            black
        } else {
            white
        };
        (1..=100)
            .map(|i| self.mix(to, f64::from(i) / 100.0))
            .find(|c| c.contrast(bg) >= MIN_CONTRAST)
            .unwrap_or(to)
    }
}

impl std::fmt::Display for Rgb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// One rule of a stylesheet: its selectors and its declarations.
#[derive(Debug)]
pub struct Rule {
    pub selectors: String,
    pub declarations: Vec<(String, String)>,
}

/// The rules of syntect's plain stylesheets (no nesting, no at-rules),
/// comments left out.
pub fn parse_rules(css: &str) -> Vec<Rule> {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        text.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |e| &rest[i + e + 2..]);
    }
    text.push_str(rest);
    text.split('}')
        .filter_map(|chunk| {
            let (selectors, body) = chunk.split_once('{')?;
            let declarations = body
                .split(';')
                .filter_map(|d| {
                    let (k, v) = d.split_once(':')?;
                    Some((k.trim().to_string(), v.trim().to_string()))
                })
                .collect();
            Some(Rule {
                selectors: selectors.trim().to_string(),
                declarations,
            })
        })
        .collect()
}

/// The rules of one palette, with every colour readable on its background. The
/// theme's own `.hl-code` rule (its page colours) is left out: code blocks
/// keep the site theme's background.
fn readable_rules(css: &str, code_bg: Rgb) -> String {
    let mut out = String::new();
    for rule in parse_rules(css) {
        if rule.selectors == ".hl-code" {
            continue;
        }
        let bg = rule
            .declarations
            .iter()
            .find(|(k, _)| k == "background-color")
            .and_then(|(_, v)| Rgb::parse(v))
            .unwrap_or(code_bg);
        let _ = write!(out, "{} {{", rule.selectors);
        let mut has_color = false;
        for (k, v) in &rule.declarations {
            let v = match (k.as_str(), Rgb::parse(v)) {
                ("color", Some(c)) => {
                    has_color = true;
                    c.readable_on(bg).to_string()
                }
                ("background-color", Some(c)) => c.to_string(),
                _ => v.clone(),
            };
            let _ = write!(out, " {k}: {v};");
        }
        // A background of its own needs a text colour made for it.
        if !has_color && bg != code_bg {
            let fg = if Rgb(0, 0, 0).contrast(bg) >= Rgb(255, 255, 255).contrast(bg) {
                Rgb(0, 0, 0)
            } else {
                Rgb(255, 255, 255)
            };
            let _ = write!(out, " color: {fg};");
        }
        out.push_str(" }\n");
    }
    out
}

/// Highlighted blocks kept per process: the same snippet (a licence header, a
/// setup command) recurs across posts, and `gen serve` re-renders unchanged
/// blocks on every edit of their post. Keyed by the syntax set (a site syntax
/// may replace a built-in one of the same name), the syntax's name and the code.
const CACHE_ENTRIES: usize = 20_000;

type Cache = Mutex<HashMap<(u64, String, String), Arc<str>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Loads the built-in syntax definitions now (e.g. on a background thread
/// while the site is read), so the first highlighted block does not wait for
/// them.
pub fn preload() {
    builtin();
}

/// The language word of a fence's info string: `rust,ignore` and
/// `python {linenos=true}` name `rust` and `python`.
pub fn fence_language(info: &str) -> &str {
    info.trim_start()
        .split([' ', '\t', ',', '{'])
        .next()
        .unwrap_or("")
        .trim()
}

/// Writes one fenced code block as HTML, highlighted with `syntaxes` when
/// `highlight` is on. Missing, plain and unknown languages are rendered as
/// plain, escaped text. Returns false when the language is unknown (and
/// highlighting on): worth a warning.
pub fn code_block(
    syntaxes: &Syntaxes,
    info: &str,
    code: &str,
    highlight: bool,
    out: &mut String,
) -> bool {
    let lang = fence_language(info);
    let found = if highlight {
        syntaxes.find(lang)
    } else {
        Lang::Plain
    };
    out.push_str("<pre class=\"code\"");
    if !lang.is_empty() {
        out.push_str(" data-lang=\"");
        escape_into(lang, out);
        out.push('"');
    }
    out.push_str("><code>");
    match found {
        Lang::Syntax(found) => match highlighted(found, code, syntaxes.disk.as_deref()) {
            Some(html) => out.push_str(&html),
            None => escape_into(code, out),
        },
        Lang::Plain | Lang::Unknown => escape_into(code, out),
    }
    out.push_str("</code></pre>\n");
    !matches!(found, Lang::Unknown)
}

/// What changes the HTML of a block besides its code and syntax: the
/// program (its version, and [`HIGHLIGHT_REVISION`] for changes made between
/// versions) and the class style. Part of every disk cache key.
const PROGRAM: &str = concat!("byline ", env!("CARGO_PKG_VERSION"));

/// Raised whenever the HTML of highlighted code changes without a new
/// version (a fix of the generator, another syntect): entries of an older
/// revision are then never found.
const HIGHLIGHT_REVISION: u32 = 1;

/// The identity of the built-in syntax set: the name, scope and extensions
/// of each syntax (a new bat set changes them).
fn builtin_digest() -> &'static [u8; 32] {
    static D: OnceLock<[u8; 32]> = OnceLock::new();
    D.get_or_init(|| {
        let mut h = blake3::Hasher::new();
        for s in builtin().syntaxes() {
            h.update(s.name.as_bytes());
            h.update(b"\0");
            h.update(s.scope.to_string().as_bytes());
            h.update(b"\0");
            for e in &s.file_extensions {
                h.update(e.as_bytes());
                h.update(b"\0");
            }
            h.update(b"\n");
        }
        *h.finalize().as_bytes()
    })
}

/// The disk cache key of `code` highlighted with `found`.
fn cache_key(found: &Found<'_>, code: &str) -> cache::Key {
    let mut h = blake3::Hasher::new();
    h.update(PROGRAM.as_bytes());
    h.update(&HIGHLIGHT_REVISION.to_le_bytes());
    h.update(found.digest.unwrap_or_else(|| builtin_digest()));
    let ClassStyle::SpacedPrefixed { prefix } = CLASS_STYLE else {
        unreachable!("the class style is prefixed")
    };
    for part in [prefix, found.syntax.name.as_str()] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.update(code.as_bytes());
    *h.finalize().as_bytes()
}

/// The classed HTML of `code` in the syntax found, from the cache when it was
/// made before (this process's, then the disk cache); `None` when syntect
/// fails on it.
fn highlighted(found: Found<'_>, code: &str, disk: Option<&DiskCache>) -> Option<Arc<str>> {
    let Found {
        syntax, set, id, ..
    } = found;
    let key = (id, syntax.name.clone(), code.to_string());
    if let Some(html) = cache().lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Some(html);
    }
    let disk_key = disk.map(|_| cache_key(&found, code));
    if let (Some(disk), Some(k)) = (disk, &disk_key)
        && let Some(html) = disk.get(k)
    {
        return Some(html);
    }
    let run = || {
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    };
    // A site's own syntax is not syntect's tested set: should one make it
    // panic, the block is shown plain rather than the build failing.
    let html: Arc<str> = if id != 0 {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).ok()??
    } else {
        run()?
    }
    .into();
    if let (Some(disk), Some(k)) = (disk, disk_key) {
        disk.put(k, html.clone());
    }
    if let Ok(mut c) = cache().lock()
        && c.len() < CACHE_ENTRIES
    {
        c.insert(key, html.clone());
    }
    Some(html)
}

/// HTML-escapes text into `out`.
pub fn escape_into(s: &str, out: &mut String) {
    // Copies the runs between special characters whole: most text has none.
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The special characters are ASCII, so `i` is on a char boundary.
        out.push_str(&s[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

#[cfg(test)]
mod tests;
