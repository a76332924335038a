//! Themes: the built-in `default` theme is compiled into the binary; a site may
//! name a local theme under `themes/`, and any file in the site's `templates/`
//! overrides the theme's file of the same name. Templates are parsed once.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use rayon::prelude::*;
use tera::Tera;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::sitefs::SiteFs;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A file of the built-in theme (`fonts/DejaVuSans.ttf`), by its path in it.
pub fn default_theme_file(path: &str) -> Option<&'static [u8]> {
    DEFAULT_THEME.get_file(path).map(|f| f.contents())
}

/// The social card template every theme has: a theme without its own gets the
/// built-in one.
const CARD_TEMPLATE: &str = "social-card.svg";

/// Where a theme's static file comes from.
#[derive(Debug, Clone)]
pub enum Source {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// A loaded theme: parsed templates and the static files to publish.
pub struct Theme {
    pub tera: Tera,
    /// Output path (relative, `/`-separated) and source, sorted.
    pub static_files: Vec<(String, Source)>,
    /// Each template's text, by name.
    texts: HashMap<String, String>,
    /// [`Theme::template_version`] of every template, made on first use (only
    /// `gen serve` asks).
    versions: std::sync::OnceLock<HashMap<String, u64>>,
}

impl Theme {
    fn versions(&self) -> &HashMap<String, u64> {
        self.versions
            .get_or_init(|| template_versions(&self.tera, &self.texts))
    }

    /// A hash of a template's text and of the texts of every template it
    /// extends, includes or imports macros from, however indirectly: a page
    /// made with the template is made the same way by two loads of the theme
    /// when this is equal (`gen serve` renders again only those it must).
    pub fn template_version(&self, name: &str) -> Option<u64> {
        self.versions().get(name).copied()
    }

    /// The text of the template `name`, as loaded.
    pub fn template_text(&self, name: &str) -> Option<&str> {
        self.texts.get(name).map(String::as_str)
    }

    /// The template `name` and every template it extends, includes or
    /// imports macros from, however indirectly: name and text of each,
    /// sorted by name. What a template renders depends on these texts (and
    /// on its context and the functions it calls).
    pub fn template_family(&self, name: &str) -> Vec<(&str, &str)> {
        let Some((name, _)) = self.tera.templates.get_key_value(name) else {
            return Vec::new();
        };
        family(name, |n| {
            self.tera
                .templates
                .get(n)
                .map(|t| {
                    direct_deps(t)
                        .into_iter()
                        .filter_map(|d| self.tera.templates.get_key_value(d.as_str()))
                        .map(|(k, _)| k.as_str())
                        .collect()
                })
                .unwrap_or_default()
        })
        .into_iter()
        .map(|n| (n, self.template_text(n).unwrap_or_default()))
        .collect()
    }

    /// The version of the share snippet templates (`share/…`) together.
    pub fn share_version(&self) -> u64 {
        let versions = self.versions();
        let mut names: Vec<&String> = versions
            .keys()
            .filter(|n| n.starts_with("share/"))
            .collect();
        names.sort();
        let mut h = std::hash::DefaultHasher::new();
        for n in names {
            (n, versions[n]).hash(&mut h);
        }
        h.finish()
    }
}

/// The templates that `nodes` include (at any depth of blocks, loops,
/// conditions, filter sections and macros).
fn included(nodes: &[tera::ast::Node], out: &mut Vec<String>) {
    use tera::ast::Node;
    for node in nodes {
        match node {
            Node::Include(_, names, _) => out.extend(names.iter().cloned()),
            Node::Block(_, b, _) => included(&b.body, out),
            Node::Forloop(_, f, _) => {
                included(&f.body, out);
                if let Some(empty) = &f.empty_body {
                    included(empty, out);
                }
            }
            Node::If(i, _) => {
                for (_, _, body) in &i.conditions {
                    included(body, out);
                }
                if let Some((_, body)) = &i.otherwise {
                    included(body, out);
                }
            }
            Node::FilterSection(_, f, _) => included(&f.body, out),
            Node::MacroDefinition(_, m, _) => included(&m.body, out),
            _ => {}
        }
    }
}

/// The templates `t` extends, imports macros from or includes, directly.
fn direct_deps(t: &tera::Template) -> Vec<String> {
    let mut deps: Vec<String> = t.parents.clone();
    deps.extend(t.imported_macro_files.iter().map(|(file, _)| file.clone()));
    included(&t.ast, &mut deps);
    for m in t.macros.values() {
        included(&m.body, &mut deps);
    }
    deps
}

/// `name` and every template it depends on, however indirectly, given each
/// template's direct dependencies.
fn family<'n>(
    name: &'n str,
    direct: impl Fn(&str) -> Vec<&'n str>,
) -> std::collections::BTreeSet<&'n str> {
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![name];
    while let Some(n) = stack.pop() {
        if seen.insert(n) {
            stack.extend(direct(n));
        }
    }
    seen
}

/// [`Theme::template_version`] of every template in `tera`, whose sources
/// are `texts`.
fn template_versions(tera: &Tera, texts: &HashMap<String, String>) -> HashMap<String, u64> {
    let direct: HashMap<&str, Vec<String>> = tera
        .templates
        .iter()
        .map(|(name, t)| (name.as_str(), direct_deps(t)))
        .collect();
    tera.templates
        .keys()
        .map(|name| {
            let seen = family(name, |n| {
                direct
                    .get(n)
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect()
            });
            let mut h = std::hash::DefaultHasher::new();
            for n in seen {
                (n, texts.get(n)).hash(&mut h);
            }
            (name.clone(), h.finish())
        })
        .collect()
}

/// One template's text and the file it came from (for error messages).
struct TemplateSource {
    name: String,
    text: String,
    origin: String,
}

fn embedded_files(dir: &'static Dir<'static>, out: &mut Vec<&'static include_dir::File<'static>>) {
    for f in dir.files() {
        out.push(f);
    }
    for d in dir.dirs() {
        embedded_files(d, out);
    }
}

/// The files under `dir` (relative to the root), through the site's gate.
fn disk_files(gate: &SiteFs, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut v = gate.files(dir, diags);
    v.sort();
    v
}

fn rel_name(base: &Path, p: &Path) -> String {
    p.strip_prefix(base)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The folder of the theme's static files the write page uses (`/write/…`).
pub const WRITE_STATIC: &str = "write/";

/// Loads the theme the config names, with the site's overrides.
pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
    let mut templates: Vec<TemplateSource> = Vec::new();
    let mut statics: Vec<(String, Source)> = Vec::new();
    let mut diags = Vec::new();
    let gate = SiteFs::open(root).map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot open the site folder {}: {e}",
            root.display()
        ))]
    })?;

    if config.theme == "default" && !gate.is_dir(Path::new("themes/default")) {
        let mut files = Vec::new();
        embedded_files(&DEFAULT_THEME, &mut files);
        for f in files {
            let path = f.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path.strip_prefix("templates/") {
                templates.push(TemplateSource {
                    name: name.to_string(),
                    text: String::from_utf8_lossy(f.contents()).into_owned(),
                    origin: format!("(built-in theme) templates/{name}"),
                });
            } else if let Some(name) = path.strip_prefix("static/") {
                statics.push((name.to_string(), Source::Embedded(f.contents())));
            }
        }
    } else {
        // A theme is a folder directly under themes/: no path that could climb
        // out, whatever the links inside the site do.
        let plain = !config.theme.is_empty()
            && config.theme != "."
            && config.theme != ".."
            && !config.theme.contains(['/', '\\', '\0'])
            && !Path::new(&config.theme).is_absolute();
        if !plain {
            return Err(vec![
                Diagnostic::error(format!(
                    "theme \"{}\" is not the name of a folder under themes/",
                    config.theme
                ))
                .in_file(crate::config::CONFIG_FILE)
                .hint("name a theme by its folder, like theme = \"mytheme\" for themes/mytheme/, or use theme = \"default\""),
            ]);
        }
        let rel_dir = Path::new("themes").join(&config.theme);
        if let Err(msg) = gate.resolve(&rel_dir) {
            return Err(vec![
                Diagnostic::error(msg)
                    .in_file(crate::config::CONFIG_FILE)
                    .hint("put the theme's folder itself under themes/ instead of linking to it"),
            ]);
        }
        let dir = root.join(&rel_dir);
        if !gate.is_dir(&rel_dir) {
            return Err(vec![
                Diagnostic::error(format!("theme \"{}\" not found", config.theme))
                    .in_file(crate::config::CONFIG_FILE)
                    .hint(format!(
                        "use theme = \"default\" or create themes/{}/ with templates/ and static/",
                        config.theme
                    )),
            ]);
        }
        let tdir = dir.join("templates");
        for p in disk_files(&gate, &rel_dir.join("templates"), &mut diags) {
            let name = rel_name(&tdir, &p);
            match crate::load::read_text(root, p.strip_prefix(root).unwrap_or(&p)) {
                Ok(text) => templates.push(TemplateSource {
                    name,
                    text,
                    origin: rel_name(root, &p),
                }),
                Err(d) => diags.push(d),
            }
        }
        let sdir = dir.join("static");
        for p in disk_files(&gate, &rel_dir.join("static"), &mut diags) {
            statics.push((rel_name(&sdir, &p), Source::Disk(p)));
        }
    }
    // Share snippet texts are part of the product, not of a look: a local theme
    // without them gets the built-in ones.
    if !templates.iter().any(|t| t.name.starts_with("share/")) {
        let mut files = Vec::new();
        embedded_files(&DEFAULT_THEME, &mut files);
        for f in files {
            let path = f.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path
                .strip_prefix("templates/")
                .filter(|n| n.starts_with("share/"))
            {
                templates.push(TemplateSource {
                    name: name.to_string(),
                    text: String::from_utf8_lossy(f.contents()).into_owned(),
                    origin: format!("(built-in theme) templates/{name}"),
                });
            }
        }
    }
    // Redirect pages are how old URLs keep working, whatever the look: a
    // local theme without `redirect.html` gets the built-in one.
    if !templates.iter().any(|t| t.name == "redirect.html")
        && let Some(f) = DEFAULT_THEME.get_file("templates/redirect.html")
    {
        templates.push(TemplateSource {
            name: "redirect.html".into(),
            text: String::from_utf8_lossy(f.contents()).into_owned(),
            origin: "(built-in theme) templates/redirect.html".into(),
        });
    }
    let odir = root.join("templates");
    for p in disk_files(&gate, Path::new("templates"), &mut diags) {
        let name = rel_name(&odir, &p);
        match crate::load::read_text(root, p.strip_prefix(root).unwrap_or(&p)) {
            Ok(text) => {
                templates.retain(|t| t.name != name);
                templates.push(TemplateSource {
                    name,
                    text,
                    origin: rel_name(root, &p),
                });
            }
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    statics.sort_by(|a, b| a.0.cmp(&b.0));
    // The write page's script and its library are published with the page
    // only: without `[guest] repository` nothing of it is in the output.
    if config.guest_repository.is_none() {
        statics.retain(|(dest, _)| !dest.starts_with(WRITE_STATIC));
    }

    if !templates.iter().any(|t| t.name == CARD_TEMPLATE)
        && let Some(f) = DEFAULT_THEME.get_file(format!("templates/{CARD_TEMPLATE}"))
    {
        templates.push(TemplateSource {
            name: CARD_TEMPLATE.to_string(),
            text: String::from_utf8_lossy(f.contents()).into_owned(),
            origin: format!("(built-in theme) templates/{CARD_TEMPLATE}"),
        });
    }

    // Parse every template once, in parallel, each on its own so that every
    // syntax error is reported with its own file. Tera then only links them
    // (inheritance chains, macro imports); `add_raw_templates` would parse them
    // all again, one after the other, on the start-up path of every command.
    let parsed: Vec<Result<tera::Template, Diagnostic>> = templates
        .par_iter()
        .map(|t| {
            tera::Template::new(&t.name, None, &t.text)
                .map_err(|e| template_error(&e, &t.origin, &t.text))
        })
        .collect();
    let mut tera = Tera::default();
    for p in parsed {
        match p {
            Ok(tpl) => {
                tera.templates.insert(tpl.name.clone(), tpl);
            }
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    if let Err(e) = tera
        .build_inheritance_chains()
        .and_then(|()| tera.check_macro_files())
    {
        // Tera names the template first, in quotes or backticks.
        let chain = crate::diag::error_chain(&e);
        let origin = templates
            .iter()
            .filter_map(|t| {
                [format!("'{}'", t.name), format!("`{}`", t.name)]
                    .iter()
                    .filter_map(|quoted| chain.find(quoted.as_str()))
                    .min()
                    .map(|at| (at, t))
            })
            .min_by_key(|(at, _)| *at)
            .map(|(_, t)| t.origin.clone())
            .unwrap_or_else(|| "templates".into());
        return Err(vec![template_error(&e, &origin, "")]);
    }
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
    // Tera's default escaping also writes `/` as `&#x2F;`, which makes every URL
    // in the output unreadable to people and naive tools; `/` is safe in HTML.
    tera.set_escape_fn(escape_html);
    let base_url = config.base_url.clone();
    tera.register_function(
        "url",
        move |args: &std::collections::HashMap<String, tera::Value>| {
            let path = args
                .get("path")
                .and_then(tera::Value::as_str)
                .ok_or_else(|| {
                    tera::Error::msg("url() needs a `path` argument, like url(path=\"/about/\")")
                })?;
            Ok(tera::Value::String(if path.starts_with('/') {
                format!("{base_url}{path}")
            } else {
                format!("{base_url}/{path}")
            }))
        },
    );
    tera.register_function("resize_image", super::resize::function(root, config));
    tera.register_filter("rows", rows_filter);
    let texts = templates.into_iter().map(|t| (t.name, t.text)).collect();
    Ok(Theme {
        tera,
        static_files: statics,
        texts,
        versions: std::sync::OnceLock::new(),
    })
}

/// The `rows` filter: how many rows a `<textarea>` needs to show a text
/// whole, `cols` (default 60) characters wide: `rows="{{ text | rows }}"`.
fn rows_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("the `rows` filter takes a text"))?;
    let cols = args
        .get("cols")
        .and_then(tera::Value::as_u64)
        .map_or(60, |c| c.max(1) as usize);
    Ok(tera::Value::from(text_rows(text, cols)))
}

/// The rows `text` takes when wrapped at `cols` columns (wide characters,
/// such as CJK and most emoji, take two): every line at least one, long lines
/// as many as they wrap to (breaking at spaces, roughly), and at least two.
pub fn text_rows(text: &str, cols: usize) -> usize {
    let rows: usize = text
        .lines()
        .map(|line| {
            let mut rows = 1;
            let mut width = 0;
            for word in line.split_inclusive(' ') {
                let w = unicode_width::UnicodeWidthStr::width(word);
                if width + w.min(cols) > cols && width > 0 {
                    rows += 1;
                    width = 0;
                }
                // A word longer than a row wraps inside it.
                rows += w.saturating_sub(1) / cols;
                width += if w > cols { w % cols } else { w };
            }
            rows
        })
        .sum();
    rows.max(2)
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    crate::markdown::highlight::escape_into(s, &mut out);
    out
}

/// A template error as a diagnostic on the template's file, with the line and
/// column when Tera's parser gives them (`--> 3:5`).
pub fn template_error(e: &tera::Error, origin: &str, text: &str) -> Diagnostic {
    let chain = crate::diag::error_chain(e);
    let pos = chain.find("--> ").and_then(|i| {
        let rest = &chain[i + 4..];
        let mut parts = rest.splitn(2, ':');
        let line: usize = parts.next()?.trim().parse().ok()?;
        let col: usize = parts
            .next()?
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .ok()?;
        Some((line, col))
    });
    // Keep the parser's explanation, without its ASCII-art excerpt.
    let summary: String = chain
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with("-->")
                && !l.starts_with('|')
                && !l.chars().next().is_some_and(|c| c.is_ascii_digit())
        })
        // The parser marks its explanation with "= ".
        .map(|l| l.strip_prefix("= ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join(" ");
    let mut d = Diagnostic::error(format!("template error: {summary}"))
        .in_file(origin)
        .kind(crate::diag::Kind::Template)
        .hint("fix the Tera syntax of this template (https://keats.github.io/tera/docs/), or delete the override to use the theme's");
    if let Some((line, col)) = pos {
        d = if text.is_empty() {
            Diagnostic {
                line: Some(line),
                col: Some(col),
                ..d
            }
        } else {
            d.at(text, line, col)
        };
    }
    d
}

#[cfg(test)]
mod tests {
    use super::text_rows;

    #[test]
    fn text_rows_fit_the_text() {
        assert_eq!(text_rows("short", 60), 2, "at least two rows");
        assert_eq!(text_rows("a\nb\nc\n\ne", 60), 5, "blank lines count");
        // 150 columns of words: three rows of 60.
        assert_eq!(text_rows(&"word ".repeat(30), 60), 3);
        assert_eq!(text_rows(&"x".repeat(130), 60), 3, "a long word wraps");
        // Wide characters take two columns.
        assert_eq!(text_rows(&"日".repeat(30), 60), 2);
        assert_eq!(text_rows(&"日 ".repeat(45), 60), 3);
        assert_eq!(
            text_rows(&format!("{}\n\n{}", "ab ".repeat(30), "b"), 60),
            4
        );
    }
}
