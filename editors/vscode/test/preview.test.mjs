// Unit test of the Markdown-preview plugin (src/preview.ts) with the markdown-it that VS Code
// also uses: spans render with their values and speakers, citations as <cite>, and what is
// not Newsmark markup (links, code, escaped brackets) stays as Markdown renders it.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import MarkdownIt from "markdown-it";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..");
const out = path.join(root, "out", "preview-test.mjs");
await esbuild.build({ entryPoints: [path.join(root, "src/preview.ts")], bundle: true, format: "esm", platform: "node", outfile: out, logLevel: "silent" });
const { newsmarkPlugin } = await import(out);
const md = newsmarkPlugin(new MarkdownIt());
const render = (src) => md.render(src).trim();

let passed = 0;
function test(name, fn) {
  fn();
  passed++;
  console.log(`PASS ${name}`);
}

test("a figure shows its key, value and date", () => {
  assert.equal(
    render('[about 500 troops]{fig=nato-iraq.troops value="~500" asof=2020-02}[@ap-2020]'),
    '<p><span class="newsmark-figure" title="fig=nato-iraq.troops">about 500 troops</span>' +
      '<sup class="newsmark-value">nato-iraq.troops · value ~500 · as of 2020-02</sup>' +
      '<cite class="newsmark-citation">[@ap-2020]</cite></p>',
  );
});

test("a quote shows its speaker by name, with the mention inside it rendered too", () => {
  const src = "[“We stay in [Iraq]{ent=iraq}”]{by=stoltenberg}[see @a, p. 4]\n\n::: entity stoltenberg\nname: Jens Stoltenberg\n:::\n";
  const html = render(src);
  assert.match(html, /^<p><q class="newsmark-quote">“We stay in <span class="newsmark-mention" title="entity iraq">Iraq<\/span>”<\/q>/);
  assert.match(html, /<sup class="newsmark-speaker" title="by=stoltenberg">— Jens Stoltenberg<\/sup><cite class="newsmark-citation">\[see @a, p. 4\]<\/cite><\/p>/);
});

test("an unknown speaker is shown by id", () => {
  assert.match(render("[“Hi”]{by=nobody}"), /— nobody<\/sup>/);
});

test("links, code and escaped brackets are not spans", () => {
  assert.equal(render("[a link](https://example.org) and `[x]{ent=y}` and \\[x\\]{ent=y}"),
    '<p><a href="https://example.org">a link</a> and <code>[x]{ent=y}</code> and [x]{ent=y}</p>');
  assert.equal(render("[no kind]{.class}"), "<p>[no kind]{.class}</p>");
});

test("every seed article renders, with a span for each figure", () => {
  const seeds = path.join(root, "..", "..", "seeds");
  let figures = 0;
  for (const name of fs.readdirSync(seeds).filter((f) => f.endsWith(".news.md"))) {
    const src = fs.readFileSync(path.join(seeds, name), "utf8");
    const html = md.render(src);
    const written = (src.match(/\]\{fig=/g) ?? []).length;
    const shown = (html.match(/class="newsmark-figure"/g) ?? []).length;
    assert.equal(shown, written, `${name}: ${shown} of ${written} figures rendered`);
    figures += shown;
  }
  assert.ok(figures > 10, `only ${figures} figures in the seeds`);
});

console.log(`preview: ${passed} passed`);
