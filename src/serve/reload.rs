//! Live reload: the events the server sends to open pages, and the small script
//! injected into served HTML pages (never into `gen build` output) that listens
//! to them.
//!
//! Events on `/__gen/events` (server-sent events, JSON data):
//! - `hello` `{"server", "build"}` on connecting: a page reloads when the server
//!   restarted or when `build` is newer than the page's. A page that connects
//!   with `?build=N&keys=…` (its build and files, as the script does) gets its
//!   own build back unless a build since changed one of its files, a file that
//!   is not a page, feed or the search index, or everything
//!   (`server::Live::build_for_page`);
//! - `reload` `{"build", "paths"}` after a build: the output files that changed
//!   (`null`: everything). A page reloads when its own file or a file that is not
//!   a page, stylesheet or feed (a picture, a script) is among them;
//! - `css` `{"build", "paths"}` when only stylesheets changed: pages swap those
//!   stylesheets (all of them when none matches) without reloading;
//! - `build-error` `{"title", "messages"}` when a build failed: pages show the
//!   messages over the page (the last good build stays served);
//! - `build-ok` `{}` when a good build follows a failed one without changing any
//!   file: pages hide the messages.

use std::collections::BTreeSet;

use serde_json::json;

use super::incremental::Changed;
use crate::diag::Diagnostic;

/// The path of the event stream.
pub const EVENTS_PATH: &str = "/__gen/events";
/// The path of the script.
pub const SCRIPT_PATH: &str = "/__gen/live.js";
/// The script itself.
pub const SCRIPT: &str = include_str!("live.js");

/// One server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub event: &'static str,
    pub data: String,
}

impl Message {
    pub fn hello(server: &str, build: u64) -> Message {
        Message {
            event: "hello",
            data: json!({"server": server, "build": build}).to_string(),
        }
    }

    /// What open pages should do after a build that changed `changed`: `None`
    /// when nothing changed.
    pub fn after_build(build: u64, changed: &Changed) -> Option<Message> {
        match changed {
            Changed::All => Some(Message {
                event: "reload",
                data: json!({"build": build, "paths": null}).to_string(),
            }),
            Changed::Paths(paths) if paths.is_empty() => None,
            Changed::Paths(paths) => {
                let event = if paths.iter().all(|p| p.ends_with(".css")) {
                    "css"
                } else {
                    "reload"
                };
                Some(Message {
                    event,
                    data: json!({"build": build, "paths": paths_list(paths)}).to_string(),
                })
            }
        }
    }

    /// A failed build's errors, for the overlay.
    pub fn errors(diags: &[Diagnostic]) -> Message {
        let messages: Vec<String> = diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.render_human(false))
            .collect();
        let n = messages.len();
        Message {
            event: "build-error",
            data: json!({
                "title": format!("The build failed with {n} error{}", if n == 1 { "" } else { "s" }),
                "messages": messages,
            })
            .to_string(),
        }
    }

    /// Clears the overlay.
    pub fn ok() -> Message {
        Message {
            event: "build-ok",
            data: "{}".into(),
        }
    }
}

fn paths_list(paths: &BTreeSet<String>) -> Vec<&str> {
    paths.iter().map(String::as_str).collect()
}

/// Inserts the live-reload script before the last `</body>` of an HTML page
/// (at the end when there is none). `keys` are the output files the page shows
/// (itself; for a 404 page, also the file that was asked for).
pub fn inject(html: &str, keys: &[&str], build: u64) -> String {
    let keys = keys.join(" ");
    let tag = format!(
        "<script src=\"{SCRIPT_PATH}\" data-keys=\"{}\" data-build=\"{build}\"></script>",
        escape_attr(&keys)
    );
    let at = rfind_ascii_case_insensitive(html, "</body>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + tag.len() + 1);
    out.push_str(&html[..at]);
    out.push_str(&tag);
    out.push('\n');
    out.push_str(&html[at..]);
    out
}

fn rfind_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let h = haystack.as_bytes();
    let n = needle.as_bytes();
    if n.len() > h.len() {
        return None;
    }
    (0..=h.len() - n.len())
        .rev()
        .find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_body_end() {
        let html = "<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let out = inject(html, &["a/index.html"], 3);
        assert!(out.contains("data-keys=\"a/index.html\" data-build=\"3\"></script>\n</BODY>"));
        assert_eq!(out.matches("<script").count(), 1);
        let bare = inject("<p>x</p>", &["x.html"], 1);
        assert!(bare.starts_with("<p>x</p><script"));
    }

    #[test]
    fn keys_are_escaped() {
        let out = inject("</body>", &["a\"b<c>.html"], 1);
        assert!(out.contains("a&quot;b&lt;c&gt;.html"));
    }

    #[test]
    fn stylesheet_only_changes_swap_css() {
        let css: BTreeSet<String> = ["style.css".to_string()].into();
        let m = Message::after_build(2, &Changed::Paths(css)).unwrap();
        assert_eq!(m.event, "css");
        let mixed: BTreeSet<String> = ["style.css".to_string(), "index.html".to_string()].into();
        let m = Message::after_build(2, &Changed::Paths(mixed)).unwrap();
        assert_eq!(m.event, "reload");
        assert!(Message::after_build(2, &Changed::Paths(BTreeSet::new())).is_none());
        assert_eq!(
            Message::after_build(2, &Changed::All).unwrap().event,
            "reload"
        );
    }
}
