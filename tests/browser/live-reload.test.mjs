// Real-browser test of `gen serve --watch`: headless Chromium opens a post; the
// test edits the post's file, and the page shows the change without the test
// reloading it. Then a stylesheet change is swapped in without a reload, and a
// broken front matter shows the error overlay until it is fixed.
//
//   node live-reload.test.mjs
//
// Environment: GEN_BIN (default: the newest of ../../target/{release,debug}/gen),
// CHROMIUM (default: /usr/bin/chromium).

import { spawn } from "node:child_process";
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

/** Starts `gen serve --watch` on `root`; resolves with the process and its URL. */
function startServer(root) {
  const child = spawn(genBinary(), ["-r", root, "serve", "--watch", "--port", "0"], {
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

function edit(file, from, to) {
  const text = fs.readFileSync(file, "utf8");
  assert.ok(text.includes(from), `${file} has no ${JSON.stringify(from)}`);
  fs.writeFileSync(file, text.replace(from, to));
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "byline-browser-"));
  const site = path.join(tmp, "site");
  fs.cpSync(path.join(repo, "tests", "fixtures", "sites", "basic"), site, { recursive: true });
  const post = path.join(site, "content", "posts", "2024-02-01-guest-hello.md");
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
    let loads = 0;
    page.on("load", () => loads++);
    // The event stream is open once the page's script has said hello.
    const connected = page.waitForResponse((r) => new URL(r.url()).pathname === "/__gen/events");
    await page.goto(`${server.url}/posts/guest-hello/`);
    await connected;
    assert.equal(await page.locator("h1").first().innerText(), "Hello from a guest");
    const loadsBefore = loads;

    // 1. An edit shows up by itself.
    edit(post, "Gus says hello.", "Gus says hello, seen live in Chromium.");
    await page.waitForFunction(() =>
      document.body.innerText.includes("seen live in Chromium"),
    );
    assert.ok(loads > loadsBefore, "the page reloaded itself");
    console.log("ok - an edit of the post shows in the open page");

    // 2. A title change too.
    edit(post, 'title = "Hello from a guest"', 'title = "Hello from Chromium"');
    await page.waitForFunction(
      () => document.querySelector("h1")?.innerText === "Hello from Chromium",
    );
    console.log("ok - a title change shows in the open page");

    // 3. A stylesheet change is swapped in without a reload.
    await page.evaluate(() => {
      window.__notReloaded = true;
    });
    fs.appendFileSync(
      path.join(site, "static", "style.css"),
      "\nbody { outline: 7px solid rgb(1, 2, 3); }\n",
    );
    await page.waitForFunction(
      () => getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)",
    );
    assert.equal(await page.evaluate(() => window.__notReloaded), true, "no reload for CSS");
    console.log("ok - a stylesheet change is swapped in without a reload");

    // 4. A broken front matter shows the errors over the page; fixing clears them.
    edit(post, 'title = "Hello from Chromium"', 'title = = "Hello from Chromium"');
    const overlay = page.locator("#gen-error-overlay");
    await overlay.waitFor({ state: "visible" });
    const text = await overlay.innerText();
    assert.ok(text.includes("content/posts/2024-02-01-guest-hello.md:2:9"), text);
    assert.equal(await page.locator("h1").first().innerText(), "Hello from Chromium");
    edit(post, 'title = = "Hello from Chromium"', 'title = "Hello, fixed"');
    await page.waitForFunction(() => document.querySelector("h1")?.innerText === "Hello, fixed");
    await overlay.waitFor({ state: "detached" });
    console.log("ok - a broken front matter shows the error overlay until it is fixed");

    assert.ok(!fs.existsSync(path.join(site, "public")), "gen serve never writes public/");
  } finally {
    await context.close();
    server.child.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => console.log("browser test passed"),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
