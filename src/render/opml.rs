//! `/authors/opml.xml` ([`crate::routes::Route::AuthorsOpml`]): every
//! author's feed on this site and, where their profile has `feed`, their own
//! blog's feed, as OPML 2.0, so that importing one file into a feed reader
//! follows the whole community.
//!
//! The feeds sit in one outline named after the site, which feed readers
//! (Feedly, NetNewsWire, Miniflux, Inoreader, …) import as one folder: an
//! outline per author would make a folder per author. Each author's feeds
//! come together, authors in the order of the authors page. The dates of the
//! head are the newest post's, never the clock, so two builds are
//! byte-identical. Written with quick-xml, which escapes every value; author
//! names and feed URLs are what guests wrote.

use chrono::{DateTime, FixedOffset};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::config::Config;
use crate::load::Author;
use crate::routes::Route;

/// The OPML file of `authors` (in the order they are listed), whose newest
/// post is dated `newest` (`None` on a site without posts).
pub fn authors_opml(
    config: &Config,
    authors: &[&Author],
    newest: Option<&DateTime<FixedOffset>>,
) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into a Vec cannot fail.
    let _ = write(&mut w, config, authors, newest);
    let mut xml = String::from_utf8(w.into_inner()).unwrap_or_default();
    xml.push('\n');
    xml
}

fn write(
    w: &mut Writer<Vec<u8>>,
    config: &Config,
    authors: &[&Author],
    newest: Option<&DateTime<FixedOffset>>,
) -> std::io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(
        BytesStart::new("opml").with_attributes([("version", "2.0")]),
    ))?;
    w.write_event(Event::Start(BytesStart::new("head")))?;
    let title = format!("{}: every author", config.title);
    text_element(w, "title", &title)?;
    if let Some(date) = newest {
        let date = date.to_rfc2822();
        text_element(w, "dateCreated", &date)?;
        text_element(w, "dateModified", &date)?;
    }
    text_element(w, "docs", "https://opml.org/spec2.opml")?;
    w.write_event(Event::End(BytesEnd::new("head")))?;
    w.write_event(Event::Start(BytesStart::new("body")))?;
    if !authors.is_empty() {
        let group = format!("{} authors", config.title);
        let group = clean(&group);
        w.write_event(Event::Start(
            BytesStart::new("outline").with_attributes([("text", group.as_str())]),
        ))?;
        for a in authors {
            let name = clean(&a.name);
            let page = config.url(&Route::Author(a.slug.clone(), 1).path());
            let here = config.url(&Route::AuthorFeed(a.slug.clone()).path());
            let text = format!("{name} on {}", clean(&config.title));
            feed_outline(w, &text, &here, Some(&page))?;
            if let Some(own) = &a.feed {
                let text = format!("{name}'s own blog");
                feed_outline(w, &text, &clean(own), a.website.as_deref())?;
            }
        }
        w.write_event(Event::End(BytesEnd::new("outline")))?;
    }
    w.write_event(Event::End(BytesEnd::new("body")))?;
    w.write_event(Event::End(BytesEnd::new("opml")))?;
    Ok(())
}

/// `<name>text</name>`.
fn text_element(w: &mut Writer<Vec<u8>>, name: &str, text: &str) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(name)))?;
    w.write_event(Event::Text(BytesText::new(&clean(text))))?;
    w.write_event(Event::End(BytesEnd::new(name)))
}

/// One feed: `<outline type="rss" text title xmlUrl htmlUrl/>` (OPML 2.0's
/// subscription list form; `rss` stands for any feed format).
fn feed_outline(
    w: &mut Writer<Vec<u8>>,
    text: &str,
    xml_url: &str,
    html_url: Option<&str>,
) -> std::io::Result<()> {
    let mut el = BytesStart::new("outline").with_attributes([
        ("type", "rss"),
        ("text", text),
        ("title", text),
        ("xmlUrl", xml_url),
    ]);
    if let Some(html) = html_url {
        el.push_attribute(("htmlUrl", clean(html).as_str()));
    }
    w.write_event(Event::Empty(el))
}

/// `s` without the characters XML 1.0 cannot hold
/// ([`crate::text::clean::is_forbidden`]); quick-xml escapes the rest.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| !crate::text::clean::is_forbidden(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn characters_xml_cannot_hold_are_dropped() {
        assert_eq!(clean("a\u{0}b\u{1b}c\td\u{FFFF}"), "abc\td");
        assert_eq!(clean("<Ö & \"é\">"), "<Ö & \"é\">");
    }
}
