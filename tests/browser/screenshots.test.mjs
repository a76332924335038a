// The default theme in a real browser: `gen serve --no-watch` previews a copy
// of example-site/, and headless Chromium opens its home page, a post with a
// cover and code, a post without a cover and an author page at a phone width
// (375 px) and a desktop width (1280 px), in the light and the dark colour
// scheme. On each it checks that nothing overflows sideways, that every
// picture shown (covers, thumbnails, avatars) loaded (naturalWidth > 0), that
// axe-core finds no WCAG 2.0/2.1 A or AA violation, and, on the post, that the
// code blocks' Copy button works and announces "Copied". It saves a PNG
// screenshot of each page to a folder it prints (not part of the repository).
//
//   node screenshots.test.mjs
//
// Environment: GEN_BIN (default: the newest of ../../target/{release,debug}/gen),
// CHROMIUM (default: /usr/bin/chromium), SCREENSHOTS (the folder for the PNG
// files; default: a new temporary folder, kept).

import { spawn } from "node:child_process";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
// A cold build of the example site's pictures in a debug binary takes a while.
const TIMEOUT = 300_000;

const PAGES = [
  { name: "home", path: "/" },
  { name: "post", path: "/posts/documenting-decisions-with-adrs/", code: true },
  { name: "post-without-cover", path: "/posts/retiring-a-ritual-gracefully/" },
  { name: "author", path: "/authors/oona-castellane/" },
];
const WIDTHS = [375, 1280];
const SCHEMES = ["light", "dark"];

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

/** Loads every picture now (lazy ones too) and waits until each has loaded or failed. */
async function loadAllPictures(page) {
  await page.evaluate(() => {
    for (const img of document.images) img.loading = "eager";
  });
  await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete));
}

async function main() {
  const shots =
    process.env.SCREENSHOTS || fs.mkdtempSync(path.join(os.tmpdir(), "byline-screenshots-"));
  fs.mkdirSync(shots, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "byline-browser-"));
  const site = path.join(tmp, "site");
  fs.cpSync(path.join(repo, "example-site"), site, {
    recursive: true,
    filter: (src) => !/[\\/](public|\.byline-cache)$/.test(src),
  });
  const server = await startServer(site);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  let failures = 0;
  try {
    for (const scheme of SCHEMES) {
      for (const width of WIDTHS) {
        const context = await browser.newContext({
          viewport: { width, height: width < 600 ? 812 : 900 },
          colorScheme: scheme,
          permissions: ["clipboard-read", "clipboard-write"],
        });
        for (const p of PAGES) {
          const label = `${p.name} at ${width} px, ${scheme}`;
          const page = await context.newPage();
          page.setDefaultTimeout(30_000);
          // No request may leave the preview (the example site's base_url is
          // not this server: the preview rewrites it).
          const outside = [];
          page.on("request", (r) => {
            if (!r.url().startsWith(server.url) && !r.url().startsWith("data:")) outside.push(r.url());
          });
          await page.goto(`${server.url}${p.path}`, { waitUntil: "load" });
          await loadAllPictures(page);
          try {
            assert.deepEqual(outside, [], `${label}: requests outside the preview`);
            const overflow = await page.evaluate(() => ({
              scroll: document.documentElement.scrollWidth,
              client: document.documentElement.clientWidth,
              wide: Array.from(document.querySelectorAll("body *"))
                .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .filter((e) => !e.closest("pre, table, .visually-hidden"))
                .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
                .slice(0, 5),
            }));
            assert.ok(
              overflow.scroll <= overflow.client,
              `${label}: the page is ${overflow.scroll} px wide in a ${overflow.client} px window (${overflow.wide.join(", ")})`,
            );
            const pictures = await page.evaluate(() =>
              Array.from(document.images).map((img) => ({
                src: img.currentSrc || img.src,
                kind: img.closest(".card-cover")
                  ? "thumbnail"
                  : img.closest("figure.cover")
                    ? "cover"
                    : img.classList.contains("avatar")
                      ? "avatar"
                      : "other",
                natural: img.naturalWidth,
              })),
            );
            const broken = pictures.filter((i) => i.natural === 0);
            assert.deepEqual(broken, [], `${label}: pictures that did not load`);
            if (p.name === "home") {
              assert.ok(pictures.some((i) => i.kind === "thumbnail"), `${label}: no cover thumbnail`);
            }
            if (p.name !== "post-without-cover") {
              assert.ok(
                pictures.some((i) => i.kind === "avatar"),
                `${label}: no avatar`,
              );
            }
            if (p.name === "post") {
              assert.ok(pictures.some((i) => i.kind === "cover"), `${label}: no cover`);
            }
            await page.addScriptTag({ content: axeSource });
            const result = await page.evaluate(() =>
              window.axe.run(document, {
                runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
                resultTypes: ["violations"],
              }),
            );
            const violations = result.violations.map(
              (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")})`,
            );
            assert.deepEqual(violations, [], `${label}: axe-core violations`);
            if (p.code) {
              const button = page.getByRole("button", { name: "Copy code" }).first();
              await button.click();
              await page.waitForFunction(() =>
                Array.from(document.querySelectorAll(".code-block [role=status]")).some(
                  (s) => s.textContent === "Copied",
                ),
              );
              const copied = await page.evaluate(() => navigator.clipboard.readText());
              const first = await page.evaluate(() => document.querySelector(".prose pre code").textContent);
              assert.equal(copied, first, `${label}: the clipboard holds the code`);
            }
            const file = path.join(shots, `${p.name}-${width}-${scheme}.png`);
            await page.screenshot({ path: file, fullPage: true });
            console.log(`ok - ${label}`);
          } catch (e) {
            failures++;
            await page.screenshot({ path: path.join(shots, `FAILED-${p.name}-${width}-${scheme}.png`), fullPage: true });
            console.log(`not ok - ${label}\n  ${e.message.split("\n").join("\n  ")}`);
          }
          await page.close();
        }
        await context.close();
      }
    }
    // Without JavaScript the post reads the same and shows no Copy button.
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/posts/documenting-decisions-with-adrs/`);
    assert.equal(await page.locator(".prose button").count(), 0, "no Copy button without JavaScript");
    assert.ok((await page.locator(".prose pre").count()) > 0, "the post has code");
    console.log("ok - without JavaScript the post has its code and no Copy button");
    await context.close();
  } finally {
    await browser.close();
    server.child.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`Screenshots: ${shots}`);
  if (failures) {
    console.log(`${failures} page(s) failed`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
