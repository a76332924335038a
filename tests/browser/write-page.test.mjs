// Real-browser test of the "Write for us" page (/write/): headless Chromium
// fills the form with mistakes and sees each live message in gen check's
// words, fixes them, presses "Propose this post", and the file the opened URL
// carries is written into the site, where `gen check` must pass with no error
// and no warning. Then a new author's profile goes the same way, and the X
// fit check counts the share snippets as the build does.
//
//   node write-page.test.mjs
//
// Environment: GEN_BIN (default: the newest of ../../target/{release,debug}/gen),
// CHROMIUM (default: /usr/bin/chromium).

import { spawn, spawnSync } from "node:child_process";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const TIMEOUT = 30_000;

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

/** `gen check` on a copy of `site` with `files` added: its exit code and stderr. */
function checkWith(site, files) {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "byline-write-check-"));
  fs.cpSync(site, copy, { recursive: true });
  for (const f of files) {
    assert.ok(!f.name.includes(".."), f.name);
    fs.mkdirSync(path.dirname(path.join(copy, f.name)), { recursive: true });
    fs.writeFileSync(path.join(copy, f.name), f.text);
  }
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
    assert.equal(await content.locator(".footnotes li").count(), 1);
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
    const built = xSnippetsBuilt(site, both, server.url, "notes-from-my-first-guild");
    assert.deepEqual(built.fits, [true, true]);
    assert.deepEqual(lengths, built.lengths, "the page's X counts are the build's");
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
