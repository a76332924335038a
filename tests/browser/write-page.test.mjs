// Real-browser test of the "Write for us" page (/write/): headless Chromium
// fills the form with mistakes and sees each live message in gen check's
// words, fixes them, presses "Propose this post", and the file the opened URL
// carries is written into the site, where `gen check` must pass with no error
// and no warning. Then a new author's profile goes the same way, and the X
// fit check counts the share snippets as the build does. Then the
// preview of a post using a dozen and more Markdown features must read, element
// by element, as that post built by `gen build`; axe-core must find no
// violation on the page mid-draft, light and dark; and the page's screenshots
// for docs/guest-workflow.md are taken.
//
//   node write-page.test.mjs
//   UPDATE_DOCS_SCREENSHOTS=1 node write-page.test.mjs   # into docs/screenshots/
//
// Environment: GEN_BIN (default: the newest of ../../target/{release,debug}/gen),
// CHROMIUM (default: /usr/bin/chromium), UPDATE_DOCS_SCREENSHOTS.

import { spawn, spawnSync } from "node:child_process";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const TIMEOUT = 30_000;
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
// The picture a Markdown image at https://example.org/ shows (no network).
const PICTURE = path.join(repo, "example-site", "content", "posts", "inviting-guest-writers", "cover.png");

function genBinary() {
  if (process.env.GEN_BIN) return process.env.GEN_BIN;
  const candidates = ["release", "debug"]
    .map((p) => path.join(repo, "target", p, "gen"))
    .filter((p) => fs.existsSync(p))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!candidates.length) {
    throw new Error("no gen binary: run `cargo build` first, or set GEN_BIN");
  }
  return candidates[0];
}

/** Starts `gen serve` on `root`; resolves with the process and its URL. */
function startServer(root) {
  const child = spawn(genBinary(), ["-r", root, "serve", "--port", "0"], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  const log = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`gen serve did not start:\n${log.join("\n")}`)),
      TIMEOUT,
    );
    readline.createInterface({ input: child.stderr }).on("line", (line) => {
      log.push(line);
      if (process.env.VERBOSE) console.error(`[gen] ${line}`);
      const m = line.match(/^Serving at (http:\/\/\S+?)\/?$/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], log });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`gen serve exited with ${code}:\n${log.join("\n")}`));
    });
  });
}

/** The file name and text a new-file URL of GitHub carries. */
function proposed(url) {
  const u = new URL(url);
  assert.equal(u.origin + u.pathname, "https://github.com/acme/fixture-notes/new/main");
  return { name: u.searchParams.get("filename"), text: u.searchParams.get("value") };
}

/** A copy of `site` with `files` added: its folder. */
function copyWith(site, files) {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "byline-write-check-"));
  fs.cpSync(site, copy, { recursive: true });
  for (const f of files) {
    assert.ok(!f.name.includes(".."), f.name);
    fs.mkdirSync(path.dirname(path.join(copy, f.name)), { recursive: true });
    fs.writeFileSync(path.join(copy, f.name), f.text);
  }
  return copy;
}

/** `gen check` on a copy of `site` with `files` added: its exit code and stderr. */
function checkWith(site, files) {
  const copy = copyWith(site, files);
  const r = spawnSync(genBinary(), ["-r", copy, "check"], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  fs.rmSync(copy, { recursive: true, force: true });
  return { code: r.status, stderr: r.stderr };
}

/**
 * `gen build` of a copy of `site` with `files` added, at `baseUrl` (the
 * served one, so addresses count as they do on the page): the X snippets of
 * the share kit of `slug`, and the build's stderr.
 */
function xSnippetsBuilt(site, files, baseUrl, slug) {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "byline-write-build-"));
  fs.cpSync(site, copy, { recursive: true });
  fs.rmSync(path.join(copy, "public"), { recursive: true, force: true });
  for (const f of files) fs.writeFileSync(path.join(copy, f.name), f.text);
  const r = spawnSync(genBinary(), ["-r", copy, "build", "--base-url", baseUrl], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  assert.equal(r.status, 0, r.stderr);
  const kit = JSON.parse(
    fs.readFileSync(path.join(copy, "public", "share", slug, "snippets.json"), "utf8"),
  );
  fs.rmSync(copy, { recursive: true, force: true });
  const x = (kit.snippets || kit).filter((s) => s.platform === "x");
  return { lengths: x.map((s) => s.length), fits: x.map((s) => s.fits), stderr: r.stderr };
}

/** `gen build` of a copy of `site` with `files` added: the copy's folder,
 * exit code and stderr (the caller removes the folder). */
function buildWith(site, files) {
  const copy = copyWith(site, files);
  const r = spawnSync(genBinary(), ["-r", copy, "build"], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { dir: copy, code: r.status, stderr: r.stderr };
}

/** Serves the built `public/` folder to `page` at the site's own address
 * (`origin`, its base_url), and the stand-in picture at example.org, so
 * nothing leaves the machine; every other request is refused. */
async function serveBuilt(page, publicDir, origin) {
  await page.route("**/*", async (route) => {
    const u = new URL(route.request().url());
    if (u.origin === origin) {
      let p = decodeURIComponent(u.pathname);
      if (p.endsWith("/")) p += "index.html";
      const file = path.join(publicDir, p);
      if (file.startsWith(publicDir + path.sep) && fs.existsSync(file)) {
        return route.fulfill({ path: file });
      }
      return route.fulfill({ status: 404, body: "not found" });
    }
    if (u.hostname === "example.org") return route.fulfill({ path: PICTURE });
    return route.abort();
  });
}

/** What a reader sees of rendered Markdown under `root`, element by element in
 * document order: each block and inline element's kind and its text, spaces
 * collapsed, with what tells equal texts apart (a link's address, a picture's
 * alt text, a checkbox's state, a table cell's alignment). Left out: what the
 * built page adds around the Markdown (a heading's "#" link, the "Copy" button
 * of code blocks) and the syntax highlighting's spans (their text stays). */
function readerView(root) {
  const ADDED = "a.anchor, .code-actions, button";
  const KINDS =
    "h1, h2, h3, h4, h5, h6, p, pre, ul, ol, li, blockquote, table, th, td, hr, img, " +
    "em, strong, code, a, del, s, sup, input, br, .footnote-definition";
  const norm = (s) => s.replace(/\s+/g, " ").trim();
  const text = (el) => {
    const c = el.cloneNode(true);
    c.querySelectorAll(ADDED).forEach((x) => x.remove());
    return norm(c.textContent);
  };
  return Array.from(root.querySelectorAll(KINDS))
    .filter((el) => !el.closest(ADDED))
    .map((el) => {
      const kind = el.matches(".footnote-definition") ? "footnote" : el.localName;
      let what = "";
      if (kind === "a") what = ` href=${el.getAttribute("href")}`;
      if (kind === "img") what = ` alt=${el.alt} src=${el.getAttribute("src")}`;
      if (kind === "input") {
        what = ` ${el.type} ${el.checked ? "checked" : "unchecked"}${el.disabled ? " disabled" : ""} "${el.getAttribute("aria-label")}"`;
      }
      if (kind === "th" || kind === "td") what = ` ${getComputedStyle(el).textAlign}`;
      // A table's text is its cells' (markdown-it puts line breaks between
      // them, pulldown-cmark nothing: neither shows).
      const t = kind === "table"
        ? Array.from(el.querySelectorAll("th, td"), text).join(" | ")
        : text(el);
      return `${kind}${what}: ${t}`;
    });
}

/** axe-core's violations on the page as it is now, as readable lines. */
async function axeViolations(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const r = await window.axe.run(document);
    return r.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
    );
  });
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "byline-write-"));
  const site = path.join(tmp, "site");
  fs.cpSync(path.join(repo, "tests", "fixtures", "sites", "basic"), site, { recursive: true });
  // The fixture's post from the future draws a warning of its own.
  fs.rmSync(path.join(site, "content", "posts", "2099-01-01-from-the-future.md"));
  const config = path.join(site, "gen.toml");
  fs.writeFileSync(
    config,
    fs
      .readFileSync(config, "utf8")
      .replace("[guest]\n", '[guest]\nrepository = "acme/fixture-notes"\n'),
  );
  const server = await startServer(site);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT);
    // The host's page is not opened: the test keeps the URLs.
    await page.addInitScript(() => {
      window.__opened = [];
      window.open = (u) => {
        window.__opened.push(u);
        return null;
      };
    });
    const data = page.waitForResponse((r) => r.url().endsWith("/write/site.json"));
    await page.goto(`${server.url}/write/`);
    await data;
    await page.locator("#write-form").waitFor({ state: "visible" });
    const msg = (id) => page.locator(`#${id}-msg`).innerText();

    // 1. Mistakes, each with gen check's words.
    await page.fill("#w-description", "x".repeat(301));
    await page.fill("#w-tags", "comunity");
    await page.fill("#w-image", "https://example.org/cover.jpg");
    await page.fill("#w-body", "Hello from the **write** page.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
    await page.click("#w-propose");
    assert.equal(await msg("w-title"), "missing `title`");
    assert.equal(
      await msg("w-description"),
      "`description` is 301 characters; previews cut it after about 300",
    );
    assert.equal(
      await msg("w-tags"),
      'the tag "comunity" is used by this post only; did you mean "community" (3 posts)?',
    );
    assert.equal(await msg("w-image-alt"), "`image_alt` is required when `image` is set");
    assert.equal(
      await msg("w-name"),
      "missing `name`: choose yourself above, or give your name for a new profile",
    );
    assert.equal(await page.getAttribute("#w-title", "aria-invalid"), "true");
    assert.match(await page.locator("#write-status").innerText(), /^Fix 3 problems first: /);
    assert.deepEqual(await page.evaluate(() => window.__opened), [], "nothing opened");
    console.log("ok - each mistake shows gen check's message");

    // The live preview renders the body as the build would: a table, a
    // footnote, strikethrough and a task list; raw HTML stays text.
    await page.fill(
      "#w-body",
      "Hello from the **write** page.[^1]\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new\n\n- [x] done\n- [ ] next\n\n<script>window.__ran = true</script>\n\n[^1]: A note.\n",
    );
    const content = page.locator("#w-preview-content");
    await content.locator("table td", { hasText: "2" }).waitFor();
    assert.equal(await content.locator("strong").innerText(), "write");
    assert.equal(await content.locator("s, del").innerText(), "old");
    assert.equal(await content.locator('input[type=checkbox][disabled]').count(), 2);
    assert.equal(await content.locator("input[type=checkbox]:checked").count(), 1);
    assert.equal(await content.locator(".footnote-definition").count(), 1);
    assert.equal(await content.locator("script").count(), 0, "raw HTML is not run");
    assert.equal(await page.evaluate(() => window.__ran), undefined);
    await page.fill("#w-body", "Hello from the **write** page.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
    console.log("ok - the live preview renders tables, footnotes, strikethrough and task lists");

    // 2. Fixed: an existing author; the proposed file passes gen check.
    await page.fill("#w-title", "Notes from my first guild");
    await page.fill("#w-description", "What a small guild taught me about asking for help.");
    await page.fill("#w-tags", "community, meta");
    await page.check('input[name=categories][value="Guest Posts"]');
    await page.fill("#w-image-alt", "Six people around a whiteboard");
    await page.selectOption("#w-author", "gina-guest");
    for (const id of ["w-title", "w-description", "w-tags", "w-image-alt", "w-author"]) {
      assert.equal(await msg(id), "", id);
    }
    await page.click("#w-propose");
    const opened = await page.evaluate(() => window.__opened);
    assert.equal(opened.length, 1);
    const post = proposed(opened[0]);
    assert.match(post.name, /^content\/posts\/\d{4}-\d{2}-\d{2}-notes-from-my-first-guild\.md$/);
    assert.ok(post.text.startsWith('+++\ntitle = "Notes from my first guild"\n'), post.text);
    assert.ok(post.text.includes('authors = ["gina-guest"]'), post.text);
    const checked = checkWith(site, [post]);
    assert.deepEqual(checked, { code: 0, stderr: "checked: no errors\n" });
    console.log("ok - the proposed post passes gen check");

    // 3. A new author: the post, then the profile as a second step.
    await page.selectOption("#w-author", "");
    await page.fill("#w-name", "Nia Newcomer");
    await page.fill("#w-bio", "Runs the *design* guild.");
    await page.fill("#w-website", "https://nia.example");
    // Each handle in gen check's words, then fixed.
    for (const [id, bad, message, good] of [
      ["w-x", "not a handle!", "malformed x handle: `not a handle!`: X names hold only letters A–Z, digits and _, not ` `", "@nia_new"],
      ["w-mastodon", "nia", "malformed mastodon handle: `nia` lacks its server: a Mastodon handle is `@user@instance`, such as `@holly@mastodon.social`", "@nia@mastodon.social"],
      ["w-bluesky", "-bad-.example", "malformed bluesky handle: `-bad-.example` is not a Bluesky handle (a domain name): `-bad-.example`: the label `-bad-` starts or ends with a hyphen", "nia.bsky.social"],
      ["w-linkedin", "people/nia", "malformed linkedin handle: `people/nia`: a LinkedIn handle is `in/name`, `company/name` or `school/name`", "in/nia-newcomer"],
      ["w-github", "nia--new", "malformed github handle: `nia--new`: GitHub names have no hyphen at an end or two in a row", "nia-new"],
    ]) {
      await page.fill(`#${id}`, bad);
      assert.equal(await msg(id), message, id);
      await page.fill(`#${id}`, good);
      assert.equal(await msg(id), "", id);
    }
    await page.click("#w-propose");
    await page.click("#w-next button");
    const both = (await page.evaluate(() => window.__opened)).slice(1).map(proposed);
    assert.equal(both.length, 2);
    assert.equal(both[1].name, "authors/nia-newcomer.toml");
    assert.ok(both[0].text.includes('authors = ["nia-newcomer"]'), both[0].text);
    assert.deepEqual(checkWith(site, both), { code: 0, stderr: "checked: no errors\n" });
    console.log("ok - a new author's post and profile pass gen check");

    // 4. The X fit check: the page counts the X snippets as the build does
    // (twitter-text 3.1.0, the site's own templates), and a name too long
    // for any X post draws gen check's warning, word for word.
    const xCount = page.locator("#w-x-count");
    await xCount.waitFor();
    const lengths = (await xCount.getAttribute("data-lengths")).split(" ").map(Number);
    const xBuilt = xSnippetsBuilt(site, both, server.url, "notes-from-my-first-guild");
    assert.deepEqual(xBuilt.fits, [true, true]);
    assert.deepEqual(lengths, xBuilt.lengths, "the page's X counts are the build's");
    assert.match(await xCount.innerText(), /^On X, the site's post about yours counts \d+ of 280 weighted characters, and your own \d+ of 280\.$/);
    // Without an X handle the snippets name the guest by name: a name past
    // 280 weighted characters fits no X post, however short the title (each
    // emoji weighs 2; the slug, "nia", keeps a file name short).
    const longName = "Nia " + "\u{1F33B}".repeat(141);
    await page.fill("#w-x", "");
    await page.fill("#w-name", longName);
    const xWarning = await msg("w-title");
    assert.match(xWarning, /^the x snippet does not fit: even with the description and hashtags dropped and the title shortened it counts \d+ where X allows 280$/);
    assert.equal(await page.getAttribute("#w-title", "aria-invalid"), null, "a warning, not an error");
    await page.click("#w-propose");
    const long = (await page.evaluate(() => window.__opened)).slice(3).map(proposed);
    await page.click("#w-next button");
    long.push(...(await page.evaluate(() => window.__opened)).slice(4).map(proposed));
    assert.equal(long.length, 2);
    // The build at the served address (where the page counted it) warns
    // the same, as gen check does at the site's own.
    const warned = xSnippetsBuilt(site, long, server.url, "notes-from-my-first-guild");
    // The site's post names the guest; their own post does not.
    assert.deepEqual(warned.fits, [false, true]);
    assert.ok(warned.stderr.includes(`: ${xWarning}\n`), `gen build says:\n${warned.stderr}\nthe page says:\n${xWarning}`);
    const checked2 = checkWith(site, long);
    assert.equal(checked2.code, 0, checked2.stderr);
    assert.match(checked2.stderr, /: the x snippet does not fit: even with the description and hashtags dropped and the title shortened it counts \d+ where X allows 280\n/);
    await page.fill("#w-name", "Nia Newcomer");
    await page.fill("#w-x", "@nia_new");
    assert.equal(await msg("w-title"), "");
    console.log("ok - the X fit check counts as the build and warns in gen check's words");

    // 5. The draft survives a reload.
    await page.reload();
    await page.locator("#write-form").waitFor({ state: "visible" });
    assert.equal(await page.inputValue("#w-title"), "Notes from my first guild");
    assert.equal(await page.inputValue("#w-name"), "Nia Newcomer");
    console.log("ok - the draft survives a reload");

    // 6. The preview reads as the built post: the same Markdown, each of a
    // dozen features, proposed, built by `gen build` and opened; element by
    // element, the text a reader sees is the same (`readerView`: what the
    // built page adds around the Markdown is left out). Where pulldown-cmark
    // writes something its own way (footnotes, <del>, smart punctuation, the
    // task checkbox), write.js writes it the same, so nothing else is
    // normalized. Left different, and said so in docs/guest-workflow.md: a
    // footnote defined mid-post (the build shows it there, the preview at the
    // end; here it is at the end, as usual).
    await page.route("https://example.org/**", (route) => route.fulfill({ path: PICTURE }));
    const FEATURES = [
      "second- and third-level headings", "a heading id", "emphasis and strong", "inline code",
      "a link", "an autolink", "a hard line break", "strikethrough", "a footnote",
      "smart punctuation", "a bulleted list, nested", "a numbered list", "a task list",
      "a blockquote", "a table with alignment", "a fenced code block with a language",
      "a horizontal rule", "an image with alt text",
    ];
    const markdown = [
      "## Getting started",
      "",
      "Some *emphasis* and **strong** words, `inline code`, a [link](https://example.org/guide)",
      "and <https://example.org/faq>.\\",
      "After a hard break, ~~struck~~ words and a footnote.[^note]",
      "",
      '"Quoted" words -- and a pause... it\'s done.',
      "",
      "### Lists {#the-lists}",
      "",
      "- apples",
      "- pears",
      "  - nested",
      "",
      "1. first",
      "2. second",
      "",
      "- [x] done",
      "- [ ] next",
      "",
      "> A quote, with *emphasis*.",
      ">",
      "> Two paragraphs.",
      "",
      "| Left | Centre | Right |",
      "|:-----|:------:|------:|",
      "| a | b | `c` |",
      "",
      "```rust",
      "fn main() {",
      '    println!("Hello, {}!", "guild");',
      "}",
      "```",
      "",
      "---",
      "",
      "![Swirls of violet, orange and green](https://example.org/swirls.png)",
      "",
      "[^note]: The footnote's *text*.",
      "",
    ].join("\n");
    const features = FEATURES.length;
    await page.fill("#w-body", markdown);
    await page.selectOption("#w-author", "gina-guest");
    await content.locator("pre").waitFor();
    await content.locator("img").waitFor();
    assert.equal(await content.locator("h3#the-lists").count(), 1, "a heading id as the build reads it");
    const previewed = await content.evaluate(readerView);
    const before = (await page.evaluate(() => window.__opened)).length;
    await page.click("#w-propose");
    const shown = proposed((await page.evaluate(() => window.__opened))[before]);
    const built = buildWith(site, [shown]);
    try {
      assert.equal(built.code, 0, built.stderr);
      assert.doesNotMatch(built.stderr, /error|warning/i);
      const slug = shown.name.replace(/^content\/posts\/\d{4}-\d{2}-\d{2}-/, "").replace(/\.md$/, "");
      const postPage = await browser.newPage();
      postPage.setDefaultTimeout(TIMEOUT);
      await serveBuilt(postPage, path.join(built.dir, "public"), "https://fixture.example.org");
      await postPage.goto(`https://fixture.example.org/posts/${slug}/`);
      const body = postPage.locator("article .prose.e-content");
      await body.locator("pre").waitFor();
      const read = await body.evaluate(readerView);
      // The built post passes axe-core too (its task list's checkboxes have a name).
      assert.deepEqual(await axeViolations(postPage), [], "axe-core on the built post");
      await postPage.close();
      if (process.env.VERBOSE) console.error(read.join("\n"));
      assert.deepEqual(previewed, read, "the preview and the built post differ");
      assert.ok(read.length > 40, read.join("\n"));
    } finally {
      fs.rmSync(built.dir, { recursive: true, force: true });
    }
    console.log(`ok - the preview's text matches the built post for ${features} Markdown features`);

    // 7. axe-core on the page as a guest sees it mid-draft: the form filled,
    // an error and a warning shown, the preview of every feature above.
    await page.fill("#w-tags", "comunity, meta");
    await page.fill("#w-image", "https://example.org/cover.jpg");
    await page.fill("#w-image-alt", "");
    assert.equal(await msg("w-image-alt"), "`image_alt` is required when `image` is set");
    assert.match(await msg("w-tags"), /did you mean "community"/);
    assert.ok(await content.locator("pre").isVisible(), "the preview shows");
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      assert.deepEqual(await axeViolations(page), [], `axe-core on /write/ (${scheme})`);
    }
    console.log("ok - axe-core finds no violation on the write page, light and dark");

    // 8. Screenshots of the page for docs/guest-workflow.md: into
    // docs/screenshots/ with UPDATE_DOCS_SCREENSHOTS=1, else a folder of the
    // temporary folder (printed), so a test run leaves the tree as it was.
    const shots = process.env.UPDATE_DOCS_SCREENSHOTS === "1"
      ? path.join(repo, "docs", "screenshots")
      : fs.mkdtempSync(path.join(os.tmpdir(), "byline-write-screenshots-"));
    fs.mkdirSync(shots, { recursive: true });
    // `what`: an element, or the page for what the viewport shows.
    const shot = async (name, what) => {
      const file = path.join(shots, `write-${name}.png`);
      await what.screenshot({ path: file, animations: "disabled", caret: "hide" });
      const size = fs.statSync(file).size;
      assert.ok(size < 250_000, `${file} is ${size} bytes`);
    };
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator("#w-image-alt").blur();
    await page.evaluate(() => { document.getElementById("w-body").scrollTop = 0; });
    await shot("form-error", page.locator("#write-form > fieldset").first());
    await shot("preview", page.locator(".write-preview"));
    await page.emulateMedia({ colorScheme: "dark" });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.evaluate(() => {
      // Instant: the theme scrolls smoothly, which a screenshot would catch midway.
      document.querySelector("label[for=w-tags]").scrollIntoView({ behavior: "instant" });
      window.scrollBy({ top: -16, behavior: "instant" });
    });
    await shot("phone-dark", page);
    console.log(`ok - screenshots of the write page in ${shots}`);
  } finally {
    await browser.close();
    server.child.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => console.log("write page test passed"),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
