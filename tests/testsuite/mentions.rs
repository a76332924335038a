//! `gen mentions fetch` and `gen mentions send` against a tiny HTTP server on
//! 127.0.0.1 (never the outside network): mentions received land in each
//! post's file, idempotently and incrementally, with the token never shown;
//! webmentions sent after endpoint discovery as webmention.rocks tests it,
//! once per link.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use crate::support::http::{Request, Server, ok};
use crate::support::site_test::SiteTest;
use crate::support::{Run, gen_in_env};

const TOKEN: &str = "s3cret-t0ken-xyz";

/// The mentions the fake API holds; tests add more.
type Store = Arc<Mutex<Vec<Value>>>;

fn query(r: &Request) -> Vec<(String, String)> {
    url::Url::parse(&format!("http://x{}", r.target))
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn param(r: &Request, key: &str) -> Option<String> {
    query(r).into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The fake webmention.io: `/api/mentions.jf2` pages the store (ids above
/// `since_id`), `/broken.jf2` answers what is not JSON, `/huge.jf2` too much;
/// a wrong token is refused with 401.
fn api(store: Store) -> Server {
    Server::start(move |r, _| {
        let jf2 = |children: Vec<Value>| {
            ok(
                "application/json",
                &json!({"type": "feed", "name": "Webmentions", "children": children}).to_string(),
            )
        };
        if param(r, "token").as_deref() != Some(TOKEN) {
            return (401, Vec::new(), b"{\"error\":\"unauthorized\"}".to_vec());
        }
        match r.path() {
            "/api/mentions.jf2" => {
                let since: u64 = param(r, "since_id")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                let per: usize = param(r, "per-page")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(20);
                let page: usize = param(r, "page").and_then(|s| s.parse().ok()).unwrap_or(0);
                let all: Vec<Value> = store
                    .lock()
                    .unwrap()
                    .iter()
                    .filter(|m| m["wm-id"].as_u64().unwrap_or(0) > since)
                    .cloned()
                    .collect();
                jf2(all.into_iter().skip(page * per).take(per).collect())
            }
            "/broken.jf2" => ok("application/json", "{\"children\": [ {\"wm-id\": 1,"),
            "/huge.jf2" => (
                200,
                vec![("Content-Type".into(), "application/json".into())],
                vec![b' '; 6 * 1024 * 1024],
            ),
            _ => (404, Vec::new(), b"not found".to_vec()),
        }
    })
}

fn entry(id: u64, property: &str, target: &str, name: &str, text: &str) -> Value {
    json!({
        "type": "entry", "wm-id": id,
        "wm-source": format!("https://src.example/{id}/"),
        "wm-target": target, "wm-property": property,
        "author": {"type": "card", "name": name, "url": "https://src.example/", "photo": "https://src.example/me.jpg"},
        "url": format!("https://src.example/{id}/"),
        "published": null, "wm-received": "2025-03-01T10:00:00Z",
        "content": {"text": text, "html": format!("<p>{text}</p>")}
    })
}

fn new_site(api_url: &str) -> SiteTest {
    SiteTest::empty()
        .config(&format!(
            "title = \"T\"\nbase_url = \"https://t.example\"\n\n[webmention]\napi = \"{api_url}\"\n"
        ))
        .author("ren", "name = \"Ren\"\n")
        .post(
            "hi.md",
            "title = \"Hi\"\ndate = 2024-01-01\nauthors = [\"ren\"]\n",
            "Hi.",
        )
        .post(
            "other.md",
            "title = \"Other\"\ndate = 2024-01-02\nauthors = [\"ren\"]\naliases = [\"/old/other/\"]\n",
            "Other.",
        )
}

fn gen_env(site: &SiteTest, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut full: Vec<&str> = vec!["-r", site.root.to_str().unwrap()];
    full.extend_from_slice(args);
    gen_in_env(site.tmp.path(), &full, env)
}

fn fetch(site: &SiteTest) -> Run {
    gen_env(
        site,
        &["mentions", "fetch"],
        &[("WEBMENTION_IO_TOKEN", TOKEN)],
    )
}

/// Every file of the site but `gen.toml` (where a test may write the token
/// into the API's address), as text, for "the token is in none of them".
fn all_text(site: &SiteTest) -> String {
    crate::support::all_files(&site.root)
        .into_iter()
        .filter(|(k, _)| k != "gen.toml")
        .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
        .collect()
}

fn assert_no_token(site: &SiteTest, run: &Run) {
    assert!(!run.stderr.contains(TOKEN), "{}", run.stderr);
    assert!(!run.stdout.contains(TOKEN), "{}", run.stdout);
    assert!(!all_text(site).contains(TOKEN));
}

fn first_store() -> Store {
    Arc::new(Mutex::new(vec![
        entry(
            900,
            "in-reply-to",
            "https://t.example/posts/hi/",
            "Ann",
            "<script>alert(1)</script> Nice post",
        ),
        entry(901, "like-of", "https://t.example/posts/hi", "Bo", ""),
        entry(
            902,
            "mention-of",
            "http://t.example/old/other/index.html",
            "Cy",
            "see",
        ),
        entry(
            903,
            "in-reply-to",
            "https://t.example/tags/nothing/",
            "Di",
            "stray",
        ),
    ]))
}

#[test]
fn mentions_land_in_their_posts_files_and_a_refetch_changes_nothing() {
    let store = first_store();
    let server = api(store.clone());
    let site = new_site(&server.url("/api/mentions.jf2"));
    let run = fetch(&site);
    run.assert_code(0);
    assert!(
        run.stderr.contains(
            "warning: 1 mention of https://t.example/tags/nothing/, which is no post of this site, left out"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("3 new mentions on 2 posts:"),
        "{}",
        run.stderr
    );
    let hi: Value = serde_json::from_str(&site.read("data/mentions/hi.json")).unwrap();
    assert_eq!(hi["target"], "https://t.example/posts/hi/");
    let m = hi["mentions"].as_array().unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(m[0]["id"], "900");
    assert_eq!(m[0]["kind"], "reply");
    assert_eq!(m[0]["published"], "2025-03-01T10:00:00Z");
    assert_eq!(m[0]["author"]["name"], "Ann");
    assert_eq!(m[0]["url"], "https://src.example/900/");
    assert_eq!(m[1]["kind"], "like");
    let other: Value = serde_json::from_str(&site.read("data/mentions/other.json")).unwrap();
    assert_eq!(other["mentions"][0]["kind"], "mention");
    assert_eq!(other["mentions"][0]["id"], "902");
    let state: Value = serde_json::from_str(&site.read("data/mentions-state.json")).unwrap();
    assert_eq!(state["since_id"], 903);
    assert_no_token(&site, &run);
    let first = server.heads_for("GET", "/api/mentions.jf2");
    assert!(first[0].contains("domain=t.example"), "{}", first[0]);
    assert!(first[0].contains("per-page=100"), "{}", first[0]);
    assert!(!first[0].contains("since_id"), "{}", first[0]);

    // Again: only newer ones are asked for, and nothing changes.
    let before = crate::support::all_files(&site.root);
    let run = fetch(&site);
    run.assert_code(0);
    assert!(run.stderr.contains("no new mentions"), "{}", run.stderr);
    assert_eq!(crate::support::all_files(&site.root), before);
    let heads = server.heads_for("GET", "/api/mentions.jf2");
    assert!(heads.last().unwrap().contains("since_id=903"), "{heads:?}");

    // A new one joins the file; the others stay as they were.
    store.lock().unwrap().push(entry(
        904,
        "repost-of",
        "https://t.example/posts/hi/",
        "Ed",
        "",
    ));
    let run = fetch(&site);
    run.assert_code(0);
    assert!(
        run.stderr.contains("1 new mention on 1 post:"),
        "{}",
        run.stderr
    );
    let hi2: Value = serde_json::from_str(&site.read("data/mentions/hi.json")).unwrap();
    assert_eq!(hi2["mentions"].as_array().unwrap().len(), 3);
    assert_eq!(hi2["mentions"][2]["kind"], "repost");
    assert_eq!(hi2["mentions"][0], hi["mentions"][0]);
    assert_eq!(
        site.read("data/mentions/other.json"),
        String::from_utf8(before["data/mentions/other.json"].clone()).unwrap()
    );

    // The build shows them, hostile text as text.
    site.run(&["build"]).success();
    let page = site.read("public/posts/hi/index.html");
    assert!(page.contains("Nice post"), "{page}");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt; Nice post")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt; Nice post"),
        "{page}"
    );
}

#[test]
fn mentions_fetch_without_a_token_says_how_to_set_it() {
    let server = api(first_store());
    let site = new_site(&server.url("/api/mentions.jf2"));
    let run = gen_env(
        &site,
        &["mentions", "fetch"],
        &[("WEBMENTION_IO_TOKEN", "")],
    );
    run.assert_code(2);
    assert!(
        run.stderr.starts_with(
            "error: no token for the webmention API: the environment variable WEBMENTION_IO_TOKEN is not set"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("export WEBMENTION_IO_TOKEN="),
        "{}",
        run.stderr
    );
    assert!(server.requests().is_empty());
}

#[test]
fn mentions_fetch_a_refused_token_broken_json_or_a_huge_answer_writes_nothing() {
    let server = api(first_store());
    // A refused token.
    let site = new_site(&server.url("/api/mentions.jf2"));
    let run = gen_env(
        &site,
        &["mentions", "fetch"],
        &[("WEBMENTION_IO_TOKEN", "wrong-token-123")],
    );
    run.assert_code(1);
    assert!(
        run.stderr.contains(&format!(
            "error: the webmention API {} failed: it refused the token (401 Unauthorized)",
            server.url("/api/mentions.jf2")
        )),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("wrong-token-123"), "{}", run.stderr);
    assert!(!site.path("data/mentions").exists());
    assert!(!site.path("data/mentions-state.json").exists());

    for (path, why) in [
        ("/broken.jf2", "its answer is not JSON"),
        ("/huge.jf2", "the answer is larger than 5 MB"),
    ] {
        // The token written into the API address is cut out too.
        let api_url = format!("{}?token={TOKEN}", server.url(path));
        let site = new_site(&api_url);
        let run = fetch(&site);
        run.assert_code(1);
        assert!(
            run.stderr.contains(&format!(
                "error: the webmention API {} failed: {why}",
                server.url(path)
            )),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
        assert!(!site.path("data/mentions").exists());
        assert!(!site.path("data/mentions-state.json").exists());
        assert_no_token(&site, &run);
    }
}

#[test]
fn mentions_fetch_leaves_a_broken_post_file_alone_and_asks_again_next_time() {
    let server = api(first_store());
    let site = new_site(&server.url("/api/mentions.jf2")).file("data/mentions/hi.json", "{oops");
    let run = fetch(&site);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("error: data/mentions/hi.json:1:2: not a mentions data file"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("data/mentions/hi.json"), "{oops");
    assert!(site.path("data/mentions/other.json").exists());
    assert!(!site.path("data/mentions-state.json").exists());
}

/// The pages of webmention.rocks' discovery tests, and their endpoints: each
/// `/t/NAME` names its endpoint one way; every endpoint accepts with 202,
/// but `/ep/bad` (which no discovery may pick) and `/ep/fail`.
fn rocks() -> Server {
    Server::start(|r, port| {
        let html = |body: &str| ok("text/html; charset=utf-8", body);
        let link = |value: String| {
            (
                200,
                vec![
                    ("Content-Type".into(), "text/html".into()),
                    ("Link".into(), value),
                ],
                b"<p>no endpoint in here</p>".to_vec(),
            )
        };
        if r.method == "POST" {
            return match r.path() {
                "/ep/bad" => (500, Vec::new(), b"never this one".to_vec()),
                "/ep/fail" => (
                    400,
                    Vec::new(),
                    b"<p>Source does <b>not</b> link</p>".to_vec(),
                ),
                _ => (202, Vec::new(), b"accepted".to_vec()),
            };
        }
        match r.path() {
            "/t/header-abs" => link(format!(
                "<http://127.0.0.1:{port}/ep/1>; rel=\"webmention\""
            )),
            "/t/header-rel" => link("</ep/2>; rel=webmention".into()),
            "/t/header-multi" => {
                link("</ep/bad>; rel=\"other\", </ep/3>; rel=\"webmention somethingelse\"".into())
            }
            "/t/link-abs" => html(&format!(
                "<html><head><link rel=\"webmention\" href=\"http://127.0.0.1:{port}/ep/4\"></head></html>"
            )),
            "/t/link-rel" => html("<head><link rel=\"webmention\" href=\"/ep/5\"></head>"),
            "/t/a" => html("<body><p><a rel=\"webmention\" href=\"/ep/6\">endpoint</a></p></body>"),
            "/t/empty" => html("<link rel=\"webmention\" href=\"\">"),
            "/t/query" => html("<link rel=\"webmention\" href=\"/ep/8?version=1\">"),
            "/t/not" => html(
                "<link rel=\"not-webmention\" href=\"/ep/bad\"><link rel=\"webmention\" href=\"/ep/9\">",
            ),
            "/t/comment" => html(
                "<!-- <link rel=\"webmention\" href=\"/ep/bad\"> --><link rel=\"webmention\" href=\"/ep/10\">",
            ),
            "/t/redirect" => (
                302,
                vec![("Location".into(), "/t2/final".into())],
                Vec::new(),
            ),
            "/t2/final" => html("<link rel=\"webmention\" href=\"ep11\">"),
            "/t/none" => html("<p>No endpoint here.</p>"),
            "/t/fails" => html("<link rel=\"webmention\" href=\"/ep/fail\">"),
            _ => (404, Vec::new(), b"not found".to_vec()),
        }
    })
}

/// The pages a post links to, and the endpoint each must be sent to.
const CASES: &[(&str, &str)] = &[
    ("/t/header-abs", "/ep/1"),
    ("/t/header-rel", "/ep/2"),
    ("/t/header-multi", "/ep/3"),
    ("/t/link-abs", "/ep/4"),
    ("/t/link-rel", "/ep/5"),
    ("/t/a", "/ep/6"),
    ("/t/empty", "/t/empty"),
    ("/t/query", "/ep/8?version=1"),
    ("/t/not", "/ep/9"),
    ("/t/comment", "/ep/10"),
    ("/t/redirect", "/t2/ep11"),
];

fn send_site(server: &Server) -> SiteTest {
    let mut body =
        String::from("Links: [own](https://t.example/posts/old/) and [relative](/about/)");
    for (page, _) in CASES {
        if *page == "/t/header-multi" {
            // A link in raw HTML is sent for too.
            body.push_str(&format!(", <a href=\"{}\">raw</a>", server.url(page)));
        } else {
            body.push_str(&format!(", [{page}]({}#part)", server.url(page)));
        }
    }
    body.push_str(&format!(
        ", [again]({}), and <{}>.\n",
        server.url("/t/a"),
        server.url("/t/none")
    ));
    SiteTest::empty()
        .config("title = \"T\"\nbase_url = \"https://t.example\"\n")
        .author("ren", "name = \"Ren\"\n")
        .post(
            "links.md",
            "title = \"Links\"\ndate = 2024-06-01\nauthors = [\"ren\"]\n",
            &body,
        )
        .post(
            "old.md",
            "title = \"Old\"\ndate = 2024-01-01\nauthors = [\"ren\"]\n",
            &format!("[fails]({})", server.url("/t/fails")),
        )
}

fn posts(server: &Server) -> Vec<Request> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect()
}

#[test]
fn mentions_send_discovers_each_endpoint_and_sends_once() {
    let server = rocks();
    let site = send_site(&server);
    let run = site.run(&["mentions", "send", "links"]);
    run.success();
    assert!(
        run.stderr
            .ends_with("sent 11 webmentions; 1 link without an endpoint\n"),
        "{}",
        run.stderr
    );
    let sent = posts(&server);
    let mut got: Vec<&str> = sent.iter().map(|r| r.target.as_str()).collect();
    got.sort();
    let mut want: Vec<&str> = CASES.iter().map(|(_, e)| *e).collect();
    want.sort();
    assert_eq!(got, want);
    // Form-encoded source and target (the link without its fragment).
    let first = sent.iter().find(|r| r.target == "/ep/1").unwrap();
    assert!(
        first
            .head
            .to_ascii_lowercase()
            .contains("content-type: application/x-www-form-urlencoded"),
        "{}",
        first.head
    );
    assert_eq!(
        String::from_utf8_lossy(&first.body),
        format!(
            "source=https%3A%2F%2Ft.example%2Fposts%2Flinks%2F&target=http%3A%2F%2F127.0.0.1%3A{}%2Ft%2Fheader-abs",
            server.port
        )
    );
    // Recorded, so a second run sends nothing.
    let record: Value = serde_json::from_str(&site.read("data/mentions-sent.json")).unwrap();
    let records = record["sent"].as_array().unwrap();
    assert_eq!(records.len(), 11);
    let r = records
        .iter()
        .find(|r| r["target"] == server.url("/t/query"))
        .unwrap();
    assert_eq!(r["source"], "https://t.example/posts/links/");
    assert_eq!(r["endpoint"], server.url("/ep/8?version=1"));
    assert_eq!(r["status"], 202);
    let run = site.run(&["mentions", "send", "links"]);
    run.success();
    assert!(
        run.stderr
            .ends_with("sent 0 webmentions; 1 link without an endpoint; 11 sent before\n"),
        "{}",
        run.stderr
    );
    assert_eq!(posts(&server).len(), 11);
}

#[test]
fn mentions_send_dry_run_sends_and_writes_nothing() {
    let server = rocks();
    let site = send_site(&server);
    let before = crate::support::all_files(&site.root);
    let run = site.run(&["mentions", "send", "--dry-run", "--since", "2024-05-01"]);
    run.success();
    assert!(
        run.stdout.contains(&format!(
            "would send https://t.example/posts/links/ -> {} (endpoint {})\n",
            server.url("/t/query"),
            server.url("/ep/8?version=1")
        )),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.lines().count(), 11, "{}", run.stdout);
    assert!(
        run.stderr
            .ends_with("would send 11 webmentions; 1 link without an endpoint\n"),
        "{}",
        run.stderr
    );
    assert!(posts(&server).is_empty());
    assert_eq!(crate::support::all_files(&site.root), before);
}

#[test]
fn mentions_send_a_refusal_is_a_warning_and_exit_1() {
    let server = rocks();
    let site = send_site(&server);
    let run = site.run(&["mentions", "send", "content/posts/old.md"]);
    run.assert_code(1);
    assert!(
        run.stderr.starts_with(&format!(
            "warning: content/posts/old.md: post \"old\": no webmention sent to {}: the endpoint {} answered 400 Bad Request: Source does not link\n",
            server.url("/t/fails"),
            server.url("/ep/fail")
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("sent 0 webmentions; 1 failed\n"),
        "{}",
        run.stderr
    );
    assert!(!site.path("data/mentions-sent.json").exists());
    let run = site.run(&["mentions", "send", "nope"]);
    run.assert_code(2);
    assert!(
        run.stderr.starts_with("error: no post \"nope\""),
        "{}",
        run.stderr
    );
}

#[test]
fn mentions_send_since_a_git_ref_takes_only_the_posts_added_since() {
    let server = rocks();
    let site = send_site(&server);
    crate::support::git(&site.root, &["init", "-q"]);
    crate::support::git(&site.root, &["add", "."]);
    crate::support::git(&site.root, &["commit", "-q", "-m", "first"]);
    site.write(
        "content/posts/new.md",
        crate::support::toml_post(
            "title = \"New\"\ndate = 2024-07-01\nauthors = [\"ren\"]\n",
            &format!("[a]({})", server.url("/t/a")),
        ),
    );
    let run = site.run(&["mentions", "send", "--since", "HEAD"]);
    run.success();
    assert!(
        run.stderr.ends_with("sent 1 webmention\n"),
        "{}",
        run.stderr
    );
    let sent = posts(&server);
    assert_eq!(sent.len(), 1);
    assert!(
        String::from_utf8_lossy(&sent[0].body)
            .starts_with("source=https%3A%2F%2Ft.example%2Fposts%2Fnew%2F&"),
        "{:?}",
        sent[0]
    );
    let run = site.run(&["mentions", "send", "--since", "no-such-ref"]);
    run.assert_code(2);
    assert!(
        run.stderr.starts_with(
            "error: \"no-such-ref\" is neither a date (YYYY-MM-DD) nor a git ref of this repository"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn mentions_fetch_never_writes_through_a_data_folder_that_leads_out() {
    let server = api(first_store());
    let site = new_site(&server.url("/api/mentions.jf2"));
    let outside = site.outside("elsewhere");
    std::fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("data")).unwrap();
    let run = fetch(&site);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("\"data\" is a symbolic link that leads outside the site folder"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
}

#[test]
fn mentions_fetch_pages_until_an_empty_page() {
    let store: Store = Arc::new(Mutex::new(
        (1..=150)
            .map(|id| entry(id, "like-of", "https://t.example/posts/hi/", "L", ""))
            .collect(),
    ));
    let server = api(store);
    let site = new_site(&server.url("/api/mentions.jf2"));
    let run = fetch(&site);
    run.assert_code(0);
    assert!(
        run.stderr.contains("150 new mentions on 1 post:"),
        "{}",
        run.stderr
    );
    let pages: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| param(r, "page"))
        .collect();
    assert_eq!(pages, ["0", "1", "2"]);
    let hi: Value = serde_json::from_str(&site.read("data/mentions/hi.json")).unwrap();
    let ids: Vec<&str> = hi["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 150);
    assert_eq!((ids[0], ids[9], ids[149]), ("1", "10", "150"));
}
