// Real-browser test of search: `gen serve` on a copy of the basic fixture,
// headless Chromium types a query into the search page and sees the post,
// narrows it with an author filter, sends a query from the header's box, and
// axe-core finds no accessibility violation on the search page with results
// and on the home page (with the header's box), in light and in dark mode.
//
//   node search.test.mjs
//
// Environment: as live-reload.test.mjs (GEN_BIN, CHROMIUM, VERBOSE).

import { spawn } from "node:child_process";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const TIMEOUT = 30_000;
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

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

/** Starts `gen serve --no-watch` on `root`; resolves with the process and its URL. */
function startServer(root) {
  const child = spawn(genBinary(), ["-r", root, "serve", "--no-watch", "--port", "0"], {
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

/** axe-core's violations on the page as it is now, as readable lines. */
async function axeViolations(page) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document);
    return r.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
    );
  });
  return violations;
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "byline-search-"));
  const site = path.join(tmp, "site");
  fs.cpSync(path.join(repo, "tests", "fixtures", "sites", "basic"), site, { recursive: true });
  const server = await startServer(site);
  const context = await chromium.launchPersistentContext(path.join(tmp, "profile"), {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(TIMEOUT);
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));

    // 1. A query typed into the search page finds the post, even when it is
    // typed while the index is still loading (a slow network here: the
    // query used to be wiped by the script taking the form over).
    await page.route("**/pagefind/**", async (route) => {
      await new Promise((r) => setTimeout(r, 300));
      await route.continue();
    });
    await page.goto(`${server.url}/search/`);
    await page.getByLabel("Search Fixture Notes").fill("hello");
    assert.ok(
      await page.locator(".search-note").count(),
      "the query was typed before the index answered",
    );
    // The index answers once the script has taken the form over.
    await page.waitForFunction(() => !document.querySelector(".search-note"));
    await page.unroute("**/pagefind/**");
    const first = page.locator("#search-results li a").first();
    await first.waitFor();
    const titles = await page.locator("#search-results li a").allInnerTexts();
    assert.ok(titles.includes("Hello from a guest"), titles.join(", "));
    const status = await page.locator("#search-status").innerText();
    assert.match(status, /^\d+ results? for “hello”\.$/);
    assert.equal(new URL(page.url()).searchParams.get("q"), "hello");
    console.log("ok - a query typed into the search page finds the post");

    // 2. An author filter narrows the results to that author's posts.
    await page.getByLabel("Author").selectOption("Ada Staff");
    await page.waitForFunction(
      () => new URL(location.href).searchParams.get("author") === "Ada Staff",
    );
    await page.waitForFunction(() =>
      [...document.querySelectorAll("#search-results li a")].every(
        (a) => a.textContent !== "Hello from a guest",
      ),
    );
    console.log("ok - an author filter narrows the results");

    // 3. axe-core: no violation with results shown, light and dark.
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      const v = await axeViolations(page);
      assert.deepEqual(v, [], `axe-core on /search/ (${scheme})`);
    }
    console.log("ok - axe-core finds no violation on the search page, light and dark");

    // 4. The header's box sends its query to the search page (and a page
    // with it has no violation either).
    await page.goto(`${server.url}/`);
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      const v = await axeViolations(page);
      assert.deepEqual(v, [], `axe-core on / (${scheme})`);
    }
    await page.getByLabel("Search this site").fill("together");
    await page.getByLabel("Search this site").press("Enter");
    await page.waitForURL(/\/search\/\?q=together$/);
    await page.locator("#search-results li a", { hasText: "Written together" }).waitFor();
    console.log("ok - the header's search box sends its query to the search page");

    assert.deepEqual(errors, [], "no script error");
  } finally {
    await context.close();
    server.child.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => console.log("search browser test passed"),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
