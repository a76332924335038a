//! Writes a large WordPress export (WXR) for timing `gen import wordpress`:
//! `cargo run --release --example gen_wxr -- 10000 /tmp/import-big.xml`.
//! Posts have Gutenberg comments, shortcodes, categories, tags and comments,
//! spread over 20 authors and ten years; the output is the same for the same
//! count.

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let path = args.next().unwrap_or_else(|| "/tmp/import-big.xml".into());
    let mut w = BufWriter::new(std::fs::File::create(&path)?);
    writeln!(
        w,
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Big Blog</title>
<link>https://big.example.com</link>
<description>A generated export</description>
<wp:base_blog_url>https://big.example.com</wp:base_blog_url>"#
    )?;
    for a in 0..20 {
        writeln!(
            w,
            "<wp:author><wp:author_login><![CDATA[author{a}]]></wp:author_login><wp:author_email><![CDATA[a{a}@example.com]]></wp:author_email><wp:author_display_name><![CDATA[Author Number {a}]]></wp:author_display_name></wp:author>"
        )?;
    }
    for i in 0..n {
        let year = 2010 + (i % 10);
        let month = 1 + (i % 12);
        let day = 1 + (i % 28);
        let para = "<p>Lorem ipsum dolor sit amet, <strong>consectetur</strong> adipiscing elit, sed do <a href=\"https://example.org/x\">eiusmod</a> tempor incididunt ut labore et dolore magna aliqua.</p>";
        let mut body = String::new();
        for k in 0..8 {
            body.push_str("<!-- wp:paragraph -->\n");
            body.push_str(para);
            body.push_str("\n<!-- /wp:paragraph -->\n\n");
            if k == 1 {
                body.push_str("<!--more-->\n\n");
            }
        }
        body.push_str("[caption id=\"a\" width=\"300\"]<img src=\"https://cdn.example.net/p.jpg\" alt=\"P\" /> A caption[/caption]\n\n<ul><li>one</li><li>two</li></ul>\n<pre><code>let x = 1;</code></pre>\n");
        writeln!(
            w,
            r#"<item>
<title><![CDATA[Post number {i} &amp; more]]></title>
<link>https://big.example.com/{year}/{month:02}/{day:02}/post-{i}/</link>
<dc:creator><![CDATA[author{a}]]></dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{id}</wp:post_id>
<wp:post_date><![CDATA[{year}-{month:02}-{day:02} 10:00:00]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{year}-{month:02}-{day:02} 08:00:00]]></wp:post_date_gmt>
<wp:post_name><![CDATA[post-{i}]]></wp:post_name>
<wp:status><![CDATA[publish]]></wp:status>
<wp:post_type><![CDATA[post]]></wp:post_type>
<wp:post_password><![CDATA[]]></wp:post_password>
<category domain="category" nicename="c{c}"><![CDATA[Category {c}]]></category>
<category domain="post_tag" nicename="t{t}"><![CDATA[Tag {t}]]></category>
<wp:comment><wp:comment_id>{id}</wp:comment_id><wp:comment_author><![CDATA[Reader]]></wp:comment_author><wp:comment_author_email><![CDATA[r@example.net]]></wp:comment_author_email><wp:comment_date><![CDATA[{year}-{month:02}-{day:02} 12:00:00]]></wp:comment_date><wp:comment_date_gmt><![CDATA[{year}-{month:02}-{day:02} 10:00:00]]></wp:comment_date_gmt><wp:comment_content><![CDATA[Thanks!]]></wp:comment_content><wp:comment_approved><![CDATA[1]]></wp:comment_approved></wp:comment>
</item>"#,
            a = i % 20,
            id = i + 100,
            c = i % 15,
            t = i % 40,
        )?;
    }
    writeln!(w, "</channel>\n</rss>")?;
    w.flush()
}
