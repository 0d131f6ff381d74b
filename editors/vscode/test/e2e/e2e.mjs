// End-to-end test of the packaged extension in a real VS Code (code-server) driven by Chromium.
// Started by test/run.sh, which installs code-server and the .vsix, starts code-server on
// E2E_URL with the workspace E2E_WORKSPACE, and sets NEWSMARK_E2E_DIAGNOSTICS_FILE for the
// extension host. Each check prints PASS/FAIL; a failing check saves a screenshot.
//
// Environment (set by run.sh):
//   E2E_URL, E2E_WORKSPACE, E2E_FILE, E2E_ARTIFACTS, E2E_SETTINGS (the user settings.json),
//   E2E_SERVER_PATH (the binary, also in the machine settings.json),
//   NEWSMARK_E2E_DIAGNOSTICS_FILE, E2E_CODES, E2E_WORKSPACE_CODES, E2E_HOVER_AT, E2E_HOVER_EXPECT,
//   E2E_TIMEOUT_MS (per wait, default 30000)
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const env = process.env;
const url = must("E2E_URL");
const workspace = must("E2E_WORKSPACE");
const file = must("E2E_FILE");
const artifacts = env.E2E_ARTIFACTS ?? path.join(workspace, "..", "artifacts");
const settingsFile = must("E2E_SETTINGS");
const dumpFile = must("NEWSMARK_E2E_DIAGNOSTICS_FILE");
const timeout = Number(env.E2E_TIMEOUT_MS ?? 30000);
const list = (s) => (s ?? "").split(/[\s,]+/).filter(Boolean);
const expectedCodes = list(env.E2E_CODES);
const workspaceCodes = list(env.E2E_WORKSPACE_CODES);
const hoverAt = env.E2E_HOVER_AT;
const hoverExpect = env.E2E_HOVER_EXPECT;
const screenshot = env.E2E_SCREENSHOT; // where the inlay-hint and code-lens screenshot is kept

function must(name) {
  const v = env[name];
  if (!v) {
    console.error(`e2e.mjs: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

const QUICK_INPUT = '.quick-input-widget input[type="text"]';
let passed = 0;
let failed = 0;
let page;
const log = (msg) => console.log(msg);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    log(`PASS ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    return true;
  } catch (e) {
    failed++;
    log(`FAIL ${name}: ${e?.message ?? e}`);
    if (page) {
      fs.mkdirSync(artifacts, { recursive: true });
      const shot = path.join(artifacts, `${name.replace(/[^A-Za-z0-9]+/g, "-").slice(0, 60)}.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      log(`  screenshot: ${shot}`);
    }
    return false;
  }
}

function readDump() {
  try {
    return JSON.parse(fs.readFileSync(dumpFile, "utf8"));
  } catch {
    return undefined;
  }
}

/** Polls fn until it returns a truthy value; throws with describe() after the timeout. */
async function until(fn, describe, ms = timeout) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(typeof describe === "function" ? await describe() : describe);
    await sleep(200);
  }
}

function codesIn(dump, predicate) {
  const codes = new Map();
  for (const f of dump?.files ?? []) {
    if (!predicate(f)) continue;
    for (const d of f.diagnostics) if (d.source === "newsmark") codes.set(String(d.code), path.basename(f.path));
  }
  return codes;
}
const isOpenFile = (f) => path.basename(f.path) === file;

async function runCommand(title) {
  await page.keyboard.press("F1");
  const input = page.locator(QUICK_INPUT);
  await input.waitFor({ state: "visible", timeout });
  await input.fill(`>${title}`);
  // the row whose label is exactly the title (not e.g. "… (JSON)" next to it)
  const row = await until(async () => {
    for (const r of await page.locator(".quick-input-widget .monaco-list-row").all()) {
      const label = await r.locator(".label-name").first().innerText().catch(() => "");
      if (label.trim() === title) return r;
    }
    return undefined;
  }, `no command "${title}" in the command palette`);
  await row.click();
  await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout });
}

const browser = await chromium.launch({
  executablePath: env.E2E_CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
  ],
});
try {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  page = await context.newPage();
  page.on("pageerror", (e) => log(`  [page error] ${e.message}`));

  const opened = await check(`opens ${file} in the workbench`, async () => {
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`, { timeout });
    await page.locator(".monaco-workbench").waitFor({ timeout });
    await page.locator(`.explorer-folders-view .monaco-list-row[aria-label*="${file.slice(0, 20)}"], .explorer-folders-view .monaco-list-row`).first().waitFor({ timeout });
    await page.locator(".part.editor").click();
    await page.keyboard.press("Control+P");
    const input = page.locator(QUICK_INPUT);
    await input.waitFor({ state: "visible", timeout });
    await input.fill(file);
    await page.locator(".quick-input-widget .monaco-list-row", { hasText: file }).first().waitFor({ timeout });
    await input.press("Enter");
    await page.locator(`.tab[data-resource-name="${file}"]`).waitFor({ timeout });
    await page.locator(".monaco-editor .view-lines").first().waitFor({ timeout });
  });

  await check("the file opens as Markdown (preview, outline and Markdown extensions apply)", async () => {
    if (!opened) throw new Error("the file did not open");
    await page.locator("#status\\.editor\\.mode", { hasText: "Markdown" }).waitFor({ timeout });
  });

  await check(`diagnostics (extension dump) on ${file}: ${expectedCodes.join(", ")}`, async () => {
    const codes = await until(
      () => {
        const c = codesIn(readDump(), isOpenFile);
        return expectedCodes.every((x) => c.has(x)) && c;
      },
      () => `codes on ${file}: {${[...codesIn(readDump(), isOpenFile).keys()].join(", ")}}; dump: ${fs.existsSync(dumpFile) ? "present" : "missing"}`,
    );
    log(`  codes on ${file}: ${[...codes.keys()].sort().join(", ")}`);
  });

  if (workspaceCodes.length) {
    await check(`diagnostics on unopened workspace files: ${workspaceCodes.join(", ")}`, async () => {
      const codes = await until(
        () => {
          const c = codesIn(readDump(), (f) => !isOpenFile(f));
          return workspaceCodes.every((x) => c.has(x)) && c;
        },
        () => `codes on other files: ${JSON.stringify(Object.fromEntries(codesIn(readDump(), (f) => !isOpenFile(f))))}`,
      );
      for (const x of workspaceCodes) log(`  ${x} on ${codes.get(x)}`);
    });
  }

  await check(`Problems panel lists ${expectedCodes.join(", ")} for ${file}`, async () => {
    await page.keyboard.press("Control+Shift+M");
    const panel = page.locator(".markers-panel");
    await panel.waitFor({ state: "visible", timeout });
    const filter = page.locator(".panel .viewpane-filter input, .panel .markers-panel-action-filter input").first();
    await filter.waitFor({ state: "visible", timeout });
    for (const code of expectedCodes) {
      await filter.fill(code);
      await until(
        async () =>
          (await panel.locator(".monaco-list-row", { hasText: file }).count()) > 0 &&
          (await panel.locator(".monaco-list-row", { hasText: code }).count()) > 0,
        async () => `no row for ${code} in ${file}; rows: ${(await panel.locator(".monaco-list-row").allInnerTexts()).slice(0, 8).join(" | ")}`,
      );
      const row = await panel.locator(".monaco-list-row", { hasText: code }).first().innerText();
      log(`  ${row.replace(/\s+/g, " ").slice(0, 160)}`);
    }
    await filter.fill("");
  });

  /** Moves the cursor to a 1-based line (Ctrl+G), which scrolls it into view. */
  async function goToLine(line) {
    await page.keyboard.press("Control+G");
    const input = page.locator(QUICK_INPUT);
    await input.waitFor({ state: "visible", timeout });
    await input.fill(`:${line}`);
    await input.press("Enter");
    await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout });
  }
  const editorLines = async () =>
    (await page.locator(".editor-instance .monaco-editor .view-line").allInnerTexts()).map((r) => r.replace(/\u00a0/g, " "));
  const articleLines = fs.readFileSync(path.join(workspace, file), "utf8").split(/\r?\n/);

  await check("inlay hints show the interval and period of a figure, and a quote's speaker", async () => {
    // Markdown wraps long lines: the rows are joined, and white space ignored.
    const squeeze = (t) => t.replace(/\s+/g, "");
    const shown = async () => squeeze((await editorLines()).join(""));
    // forces-news: `[5,200 US personnel]{fig=us-iraq.personnel}`, published 2020-02-13.
    const figureLine = articleLines.findIndex((l) => l.includes("{fig=us-iraq.personnel}"));
    if (figureLine < 0) throw new Error("no us-iraq.personnel figure in the file");
    await goToLine(figureLine + 1);
    const figureHint = "= 5,200 · Jan 13–Feb 13 2020";
    const figure = squeeze("[5,200 US personnel]{fig=us-iraq.personnel}" + figureHint + " currently");
    await until(async () => (await shown()).includes(figure), async () => `no "${figureHint}" right after the figure; rows: ${(await editorLines()).join(" | ").slice(0, 600)}`);
    log(`  after [5,200 US personnel]{fig=us-iraq.personnel}: ${figureHint}`);
    const quoteLine = articleLines.findIndex((l) => l.includes("]{by=stoltenberg}"));
    await goToLine(quoteLine + 1);
    const speaker = squeeze('activities,"— Jens Stoltenberg]{by=stoltenberg}');
    await until(async () => (await shown()).includes(speaker), async () => `no "— Jens Stoltenberg" after the quote's closing mark; rows: ${(await editorLines()).join(" | ").slice(0, 600)}`);
    log(`  after the quote's closing mark: — Jens Stoltenberg`);
  });

  await check("code lenses count what the workspace says, and open the references", async () => {
    // The file's us-iraq.personnel figure: another seed states the same key.
    const figureLine = articleLines.findIndex((l) => l.includes("{fig=us-iraq.personnel}"));
    await goToLine(figureLine + 1);
    const lens = page.locator(".editor-instance .monaco-editor .codelens-decoration a", { hasText: /other values? for us-iraq\.personnel/ });
    await until(async () => (await lens.count()) > 0, async () =>
      `no lens on the figure; lenses: ${(await page.locator(".codelens-decoration").allInnerTexts()).join(" | ").slice(0, 300)}`);
    const all = (await page.locator(".editor-instance .monaco-editor .codelens-decoration").allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    log(`  lenses in view: ${all.join(" | ").slice(0, 300)}`);
    if (screenshot) {
      await sleep(500);
      fs.mkdirSync(path.dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot });
      log(`  screenshot: ${screenshot}`);
    }
    const title = (await lens.first().innerText()).trim();
    await lens.first().click();
    const peek = page.locator(".peekview-widget").first();
    await peek.waitFor({ state: "visible", timeout });
    const rows = page.locator(".peekview-widget .monaco-list-row");
    await until(async () => (await rows.count()) > 0, "the references peek is empty");
    const shown = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
    log(`  "${title}" opened the references peek: ${shown.slice(0, 4).join(" | ").slice(0, 300)}`);
    if (!shown.some((t) => t.includes("us-iraq.personnel") || /news\.md/.test(t))) throw new Error(`peek rows: ${shown.join(" | ")}`);
    await page.keyboard.press("Escape");
  });

  if (hoverAt && hoverExpect) {
    await check(`hover on an entity mention shows "${hoverExpect}"`, async () => {
      const lines = fs.readFileSync(path.join(workspace, file), "utf8").split(/\r?\n/);
      const line = lines.findIndex((l) => l.includes(hoverAt));
      if (line < 0) throw new Error(`no line contains ${hoverAt}`);
      const text = lines[line];
      let i = text.indexOf(hoverAt);
      for (let depth = 0; i > 0; ) {
        i--;
        if (text[i] === "]") depth++;
        else if (text[i] === "[" && depth-- === 0) break;
      }
      // VS Code columns are 1-based UTF-16 code units, like JS string indices + 1.
      const column = i + 2;
      await page.keyboard.press("Control+P");
      const input = page.locator(QUICK_INPUT);
      await input.waitFor({ state: "visible", timeout });
      await input.fill(`:${line + 1}:${column}`);
      await input.press("Enter");
      await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout });
      await until(async () => (await page.locator("#status\\.editor\\.selection").innerText()).includes(`Ln ${line + 1}, Col ${column}`),
        async () => `cursor is at ${await page.locator("#status\\.editor\\.selection").innerText()}, not ${line + 1}:${column}`);
      const hover = page.locator(".monaco-hover:not(.hidden)", { hasText: hoverExpect });
      await until(async () => {
        if ((await hover.count()) > 0) return true;
        await page.keyboard.press("Control+K");
        await page.keyboard.press("Control+I");
        await sleep(1000);
        return (await hover.count()) > 0;
      }, async () => `no hover with "${hoverExpect}" at ${line + 1}:${column}; hovers: ${(await page.locator(".monaco-hover").allInnerTexts()).join(" | ").slice(0, 300)}`);
      const shown = (await hover.first().innerText()).replace(/\s+/g, " ");
      log(`  hover at ${line + 1}:${column}: ${shown.slice(0, 200)}`);
      await page.keyboard.press("Escape");
    });
  }

  await check("uncited-figure ranges cover their figures, in every file (UTF-16 columns)", async () => {
    let n = 0;
    for (const f of readDump()?.files ?? []) {
      const lines = fs.readFileSync(f.path, "utf8").split(/\r?\n/);
      for (const d of f.diagnostics) {
        if (d.code !== "uncited-figure" || d.range.start.line !== d.range.end.line) continue;
        const line = lines[d.range.start.line] ?? "";
        const { character: s } = d.range.start;
        const { character: e } = d.range.end;
        const covered = line.slice(s, e);
        const ok = covered.includes("fig=") || (line[s - 1] === "[" && line.slice(e).startsWith("]{") && line.slice(e).includes("fig="));
        if (!ok) throw new Error(`${path.basename(f.path)}:${d.range.start.line + 1}:${s + 1}-${e + 1} covers ${JSON.stringify(covered)}`);
        n++;
      }
    }
    if (n === 0) throw new Error("no uncited-figure diagnostics to check");
    log(`  ${n} ranges checked`);
  });

  await check("an edit is re-checked: unknown-entity after an emoji, at the right UTF-16 range, gone when deleted", async () => {
    const text = "Emoji 🎉 and “quotes” before [Nobody]{ent=no-such-entity-e2e} here.";
    const onDisk = path.join(workspace, file);
    const original = fs.readFileSync(onDisk, "utf8");
    const unknownOn = () =>
      (readDump()?.files ?? [])
        .filter(isOpenFile)
        .flatMap((f) => f.diagnostics)
        .filter((d) => d.code === "unknown-entity");
    await page.locator(".editor-instance .monaco-editor .view-lines").first().click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.insertText(text);
    const d = await until(() => unknownOn()[0], "no unknown-entity after typing an unknown mention");
    const line = await until(async () => {
      // the typed line, as VS Code holds it: the last line of the editor
      const rows = await page.locator(".editor-instance .monaco-editor .view-line").allInnerTexts();
      return rows.some((r) => r.replace(/\u00a0/g, " ").includes("no-such-entity-e2e")) && text;
    }, "the typed line is not in the editor");
    const covered = line.slice(d.range.start.character, d.range.end.character);
    log(`  unknown-entity at ${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.character + 1}: ${JSON.stringify(covered)}`);
    if (!covered.includes("no-such-entity-e2e") && !covered.includes("Nobody")) {
      throw new Error(`the range covers ${JSON.stringify(covered)}, not the mention`);
    }
    // Delete the line break and the line (the cursor is at its end), then save: the file is
    // as it was, whatever the profile's auto-save did in between.
    await page.keyboard.press("Escape");
    await page.keyboard.press("Shift+ArrowUp");
    await page.keyboard.press("Shift+End");
    await page.keyboard.press("Delete");
    await runCommand("File: Save");
    await until(() => fs.readFileSync(onDisk, "utf8") === original, "the file on disk differs from the original after deleting the line and saving");
    await until(() => unknownOn().length === 0, "unknown-entity is still reported after deleting the line");
  });

  await check("a file created on disk is checked, and its findings go when it is deleted", async () => {
    const name = "zz-e2e-created.news.md";
    const created = path.join(workspace, name);
    const on = () => (readDump()?.files ?? []).filter((f) => path.basename(f.path) === name).flatMap((f) => f.diagnostics);
    fs.writeFileSync(created, "---\nid: zz-e2e-created\npublished: 2020-02-13\n---\n\n[Nobody]{ent=no-such-entity-e2e} spoke.\n");
    await until(() => on().some((d) => d.code === "unknown-entity"), "no unknown-entity on the new file");
    fs.rmSync(created);
    await until(() => on().length === 0, () => `still reported after deletion: ${JSON.stringify(on().map((d) => d.code))}`);
  });

  if (expectedCodes.length > 1) {
    const [silenced, ...kept] = expectedCodes;
    await check(`newsmark.severity {"${silenced}": "off"} reaches the server, and removing it restores`, async () => {
      const original = fs.readFileSync(settingsFile, "utf8");
      const editSettings = async (text) => {
        await runCommand("Preferences: Open User Settings (JSON)");
        await page.locator('.tab[data-resource-name="settings.json"]').waitFor({ timeout });
        await page.locator(".editor-instance .monaco-editor .view-lines").first().click();
        await page.keyboard.press("Control+A");
        await page.keyboard.press("Delete");
        // one line, typed into the editor (auto-closing and auto-indent are off in this profile)
        await page.keyboard.insertText(JSON.stringify(JSON.parse(text)));
        await page.keyboard.press("Control+S");
        // (read until it parses: the editor may be half-way through writing it)
        const saved = () => {
          try {
            return JSON.stringify(JSON.parse(fs.readFileSync(settingsFile, "utf8"))) === JSON.stringify(JSON.parse(text));
          } catch {
            return false;
          }
        };
        await until(saved, "settings.json was not saved");
        await page.keyboard.press("Control+W");
      };
      const settings = JSON.parse(original);
      await editSettings(JSON.stringify({ ...settings, "newsmark.severity": { [silenced]: "off" } }, null, 2));
      await until(
        () => {
          const c = codesIn(readDump(), isOpenFile);
          return !c.has(silenced) && kept.every((x) => c.has(x));
        },
        () => `codes on ${file} with ${silenced} off: {${[...codesIn(readDump(), isOpenFile).keys()].join(", ")}}`,
      );
      await editSettings(JSON.stringify(settings, null, 2));
      await until(
        () => expectedCodes.every((x) => codesIn(readDump(), isOpenFile).has(x)),
        () => `codes on ${file} after restoring: {${[...codesIn(readDump(), isOpenFile).keys()].join(", ")}}`,
      );
    });
  }

  await check("Newsmark: Restart Server restarts the server and diagnostics come back", async () => {
    const before = readDump()?.time ?? "";
    await runCommand("Newsmark: Restart Server");
    await until(
      () => {
        const d = readDump();
        return d && d.time > before && expectedCodes.every((x) => codesIn(d, isOpenFile).has(x));
      },
      "no fresh diagnostics after the restart",
    );
  });

  await check("Newsmark: Show Output shows the server log", async () => {
    await runCommand("Newsmark: Show Output");
    await page.locator(".panel .output-view, .panel [id='workbench.panel.output']").first().waitFor({ state: "visible", timeout });
    await page.locator(".panel .monaco-editor .view-lines", { hasText: "Starting" }).first().waitFor({ timeout });
  });

  await check("a missing binary gives an actionable message, and fixing the path recovers", async () => {
    const good = must("E2E_SERVER_PATH");
    await runCommand("Preferences: Open User Settings");
    const editor = page.locator(".settings-editor");
    await editor.waitFor({ state: "visible", timeout });
    await page.keyboard.type("newsmark.server.path");
    // code-server is a remote window: machine-overridable settings live in the Remote tab.
    await editor.locator(".settings-tabs-widget .action-label", { hasText: "Remote" }).first().click();
    const setting = editor.locator(".setting-item-contents", { hasText: "Server: Path" }).first();
    await setting.waitFor({ state: "visible", timeout });
    const field = setting.locator("input").first();
    const setPath = async (value) => {
      await field.click();
      await field.fill(value);
      await field.press("Tab");
    };
    await setPath("/nonexistent/newsmark");
    const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "newsmark.server.path" });
    await toast.first().waitFor({ state: "visible", timeout });
    const text = (await toast.first().innerText()).replace(/\s+/g, " ");
    log(`  message: ${text.slice(0, 300)}`);
    if (!/not found/.test(text) || !/Open Settings/.test(text)) throw new Error(`unexpected message: ${text}`);
    const before = readDump()?.time ?? "";
    await setPath(good);
    await until(
      () => {
        const d = readDump();
        return d && d.time > before && expectedCodes.every((x) => codesIn(d, isOpenFile).has(x));
      },
      "no diagnostics after restoring newsmark.server.path",
    );
  });
  await check("the Markdown preview renders spans with their values and speakers", async () => {
    // Last of all (the preview takes the focus): of the article, made the active editor again.
    await page.locator(`.tab[data-resource-name="${file}"]`).first().click();
    await runCommand("Markdown: Open Preview to the Side");
    const frame = await until(async () => {
      for (const f of page.frames()) {
        const n = await f.locator(".newsmark-figure").count().catch(() => 0);
        if (n > 0) return f;
      }
      return undefined;
    }, "no .newsmark-figure in any preview frame");
    const value = (await frame.locator(".newsmark-value").first().innerText()).trim();
    const speaker = (await frame.locator(".newsmark-speaker").first().innerText()).trim();
    log(`  figure note: ${value}; speaker: ${speaker}`);
    if (!/^— /.test(speaker)) throw new Error(`speaker note is ${JSON.stringify(speaker)}`);
  });
} finally {
  await browser.close().catch(() => undefined);
}

log(`checks: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
