//! `gen report AUTHOR`: what an editor sends a guest after publishing, from
//! the example site (its responses data and share kits) and analytics files
//! written here, in each format.

use std::path::Path;

use crate::support::{Run, Site, copy_site, gen_in};

fn example() -> Site {
    copy_site(&Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"))
}

/// Runs gen in the site's folder, as an editor would (analytics files named
/// relative to it).
fn report(site: &Site, args: &[&str]) -> Run {
    let r = gen_in(&site.root, args);
    r.assert_no_panic();
    r
}

/// Views from a `path,views` file counted with and without the trailing
/// slash, the post's responses, and the people to meet; a post with no row
/// says so; a bad row is a warning with its line.
#[test]
fn report_lists_views_responses_and_people_to_meet() {
    let site = example();
    site.write(
        "a.csv",
        "path,views\n/posts/retiring-a-ritual-gracefully,120\nhttps://fieldnotes.example.org/posts/retiring-a-ritual-gracefully/,5\nbad row\n",
    );
    let r = report(&site, &["report", "marisol-quenby", "--analytics", "a.csv"]);
    r.assert_code(0);
    let out = &r.stdout;
    for line in [
        "# Your posts on the blog, Marisol Quenby",
        "Numbers from a.csv (path,views).",
        "## [How to retire a team ritual gracefully](https://fieldnotes.example.org/posts/retiring-a-ritual-gracefully/)",
        "- Views: 125",
        "- Responses: 1 reply, 2 likes, 1 repost",
        "  - [Weekly links: rituals, docs and on-call](https://digest.example.net/2025/06/weekly-links)",
        "- views and visitors: the analytics file has no row for /posts/inviting-guest-writers/",
        "- Share kit: https://fieldnotes.example.org/share/brown-bag-lunches-on-a-budget/",
        "## People you should meet",
    ] {
        assert!(
            out.lines().any(|l| l == line),
            "no line {line:?} in:\n{out}"
        );
    }
    assert!(
        r.stderr.starts_with(
            "warning: a.csv:4:1: analytics row left out: 1 fields where the header has 2"
        ),
        "{}",
        r.stderr
    );
}

/// JSON has the documented fields; HTML is a whole document, escaped.
#[test]
fn report_as_json_and_html() {
    let site = example();
    let r = report(&site, &["report", "marisol-quenby", "--format", "json"]);
    r.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["author"]["slug"], "marisol-quenby");
    assert_eq!(v["analytics"], serde_json::Value::Null);
    let post = &v["posts"][0];
    assert_eq!(post["views"], serde_json::Value::Null);
    assert_eq!(post["responses"]["likes"], 2);
    assert_eq!(
        post["responses"]["picked_up_by"][0]["url"],
        "https://digest.example.net/2025/06/weekly-links"
    );
    assert!(
        post["unknown"][0]
            .as_str()
            .unwrap()
            .contains("no analytics file")
    );
    assert!(v["meet"].as_array().is_some_and(|m| !m.is_empty()));
    let r = report(&site, &["report", "marisol-quenby", "--format", "html"]);
    r.assert_code(0);
    assert!(r.stdout.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(r.stdout.trim_end().ends_with("</html>"));
    assert!(
        r.stdout
            .contains("<li>Responses: 1 reply, 2 likes, 1 repost</li>")
    );
}

/// An unknown author is a usage error with the closest slug.
#[test]
fn unknown_author_suggests_the_closest() {
    let site = example();
    let r = report(&site, &["report", "oona-castelane"]);
    r.assert_code(2);
    assert_eq!(
        r.stderr.lines().take(2).collect::<Vec<_>>(),
        [
            "error: unknown author \"oona-castelane\"",
            "  = help: did you mean \"oona-castellane\"?"
        ]
    );
}

/// GoatCounter's export: views, sessions as visitors, referrers per page,
/// bots left out.
#[test]
fn goatcounter_export_gives_referrers() {
    let site = example();
    site.write(
        "gc.csv",
        "2Path,Title,Event,UserAgent,Browser,System,Session,Bot,Referrer,Referrer scheme,Screen size,Location,FirstVisit,Date\n\
         /posts/retiring-a-ritual-gracefully/,T,false,ua,Firefox,Linux,s1,0,digest.example.net,h,1920,NL,true,2025-06-01T10:00:00Z\n\
         /posts/retiring-a-ritual-gracefully/,T,false,ua,Firefox,Linux,s1,0,digest.example.net,h,1920,NL,false,2025-06-01T10:05:00Z\n\
         /posts/retiring-a-ritual-gracefully/,T,false,ua,Chrome,Linux,s2,1,bot.example,h,1920,NL,true,2025-06-01T10:06:00Z\n",
    );
    let r = report(
        &site,
        &["report", "marisol-quenby", "--analytics", "gc.csv"],
    );
    r.assert_code(0);
    let out = &r.stdout;
    for line in ["- Views: 2", "- Visitors: 1", "  - digest.example.net (2)"] {
        assert!(
            out.lines().any(|l| l == line),
            "no line {line:?} in:\n{out}"
        );
    }
}
