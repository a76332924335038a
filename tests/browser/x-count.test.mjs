// The write page's X counter (themes/default/static/write/vendor/
// twitter-text.min.js, made by scripts/vendor-twitter-text) counts every
// test vector of tests/fixtures/share-vectors/x.jsonl as gen's own X counting
// does (src/platforms/twitter.rs): the weighted length and the validity.
//
//   node x-count.test.mjs

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const bundle = path.join(repo, "themes", "default", "static", "write", "vendor", "twitter-text.min.js");
const sandbox = { window: {} };
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(bundle, "utf8"), sandbox);
const { parseTweet } = sandbox.window.twttr;

const lines = fs
  .readFileSync(path.join(repo, "tests", "fixtures", "share-vectors", "x.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean);
const wrong = [];
lines.forEach((line, i) => {
  const c = JSON.parse(line);
  const r = parseTweet(c.text);
  if (r.weightedLength !== c.weightedLength || r.valid !== c.valid) {
    wrong.push(`line ${i + 1}: ${r.weightedLength} (valid ${r.valid}), want ${c.weightedLength} (valid ${c.valid})`);
  }
});
assert.deepEqual(wrong, [], "the page's X counter disagrees with the vectors");
assert.ok(lines.length > 500, `${lines.length} vectors`);
console.log(`ok - the write page's X counter agrees with all ${lines.length} X test vectors`);
