// The Newsmark extension: starts `newsmark lsp` (stdio) with vscode-languageclient for
// `*.news.md` files (which VS Code opens as Markdown, so the preview, outline and Markdown
// extensions apply), forwards the `newsmark.*` settings to it, runs the server's code-lens
// command, and extends the Markdown preview with the spans (src/preview.ts).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import { newsmarkPlugin } from "./preview";
import {
  DidChangeConfigurationNotification,
  Location as LspLocation,
  Position as LspPosition,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from "vscode-languageclient/node";

const SECTION = "newsmark";
/** The settings the server understands: the same keys as `newsmark.toml`. */
const SERVER_KEYS = ["tolerance", "window", "include", "exclude", "severity"] as const;
/** Files the server checks: Markdown documents named `*.news.md`. */
const DOCUMENT_SELECTOR = [{ scheme: "file", language: "markdown", pattern: "**/*.news.md" }];
/** The client-side command the server's code lenses run (see docs/editors.md). */
const SHOW_REFERENCES = "newsmark.showReferences";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let traceOutput: vscode.OutputChannel;
let starting: Promise<void> | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ extendMarkdownIt(md: unknown): unknown }> {
  output = vscode.window.createOutputChannel("Newsmark");
  traceOutput = vscode.window.createOutputChannel("Newsmark Trace");
  context.subscriptions.push(output, traceOutput);

  context.subscriptions.push(
    vscode.commands.registerCommand("newsmark.restartServer", () => restart()),
    vscode.commands.registerCommand("newsmark.showOutput", () => output.show(true)),
    vscode.commands.registerCommand(SHOW_REFERENCES, showReferences),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      if (e.affectsConfiguration(`${SECTION}.server.path`)) {
        await restart();
        return;
      }
      // `newsmark.trace.server` is read by vscode-languageclient itself (client id "newsmark").
      if (client?.state === State.Running) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { [SECTION]: serverSettings() },
        });
      }
    }),
  );

  const dumpFile = process.env.NEWSMARK_E2E_DIAGNOSTICS_FILE;
  if (dumpFile) context.subscriptions.push(diagnosticsDump(dumpFile));

  await start();
  return { extendMarkdownIt: (md: unknown) => newsmarkPlugin(md) };
}

/**
 * Runs a code lens: the arguments are `editor.action.showReferences`'s (document URI, position,
 * locations) in their LSP form, converted to VS Code's types here.
 */
async function showReferences(uri: string, position: LspPosition, locations: LspLocation[]): Promise<void> {
  const c = client;
  if (!c) return;
  const converter = c.protocol2CodeConverter;
  await vscode.commands.executeCommand(
    "editor.action.showReferences",
    converter.asUri(uri),
    converter.asPosition(position),
    locations.map((l) => converter.asLocation(l)),
  );
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop().catch(() => undefined);
}

/** The `newsmark.*` settings that mirror `newsmark.toml`, as sent to the server. */
function serverSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const settings: Record<string, unknown> = {};
  for (const key of SERVER_KEYS) {
    const value = config.get(key);
    if (value !== undefined && value !== null) settings[key] = value;
  }
  // Editor-only: which inlay hints to show.
  settings.inlayHints = {
    figures: config.get<boolean>("inlayHints.figures", true),
    speakers: config.get<boolean>("inlayHints.speakers", true),
  };
  return settings;
}

async function restart(): Promise<void> {
  if (starting) await starting.catch(() => undefined);
  const c = client;
  client = undefined;
  if (c) {
    output.appendLine("Restarting the Newsmark language server…");
    await c.stop().catch((e) => output.appendLine(`Stopping the server failed: ${e}`));
  }
  await start();
}

async function start(): Promise<void> {
  starting = startClient();
  try {
    await starting;
  } finally {
    starting = undefined;
  }
}

async function startClient(): Promise<void> {
  const configured = vscode.workspace.getConfiguration(SECTION).get<string>("server.path", "newsmark") || "newsmark";
  const command = resolveCommand(configured);
  if (!command) {
    reportMissingBinary(configured);
    return;
  }
  output.appendLine(`Starting ${command} lsp`);

  const serverOptions: ServerOptions = {
    run: { command, args: ["lsp"] },
    debug: { command, args: ["lsp"] },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    initializationOptions: serverSettings(),
    // File watching: the server registers its own watchers (client/registerCapability).
    outputChannel: output,
    traceOutputChannel: traceOutput,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: {
      workspace: {
        // Answer `workspace/configuration` for the `newsmark` section with the server's keys only.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return params.items.map((item, i) => (item.section === SECTION ? serverSettings() : result[i]));
        },
      },
    },
  };

  const c = new LanguageClient("newsmark", "Newsmark", serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
  } catch (e) {
    client = undefined;
    output.appendLine(`The Newsmark language server failed to start: ${e}`);
    // Not awaited: a restart must not wait for the user to dismiss the message.
    void vscode.window
      .showErrorMessage(
        `Newsmark: the language server (${command} lsp) failed to start: ${e}. ` +
          'Check that "newsmark.server.path" points at a working newsmark binary.',
        "Open Settings",
        "Show Output",
      )
      .then(handleChoice);
  }
}

/**
 * Resolves `newsmark.server.path` to an executable: a bare name is looked up on PATH,
 * a relative path is taken against the first workspace folder. Returns undefined when
 * nothing executable is found.
 */
function resolveCommand(configured: string): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let p = configured.trim();
  if (folder) p = p.replace(/\$\{workspaceFolder\}/g, folder);
  if (p === "~" || p.startsWith("~/") || p.startsWith("~\\")) p = path.join(os.homedir(), p.slice(1));

  const isBareName = !p.includes("/") && !p.includes("\\");
  if (!isBareName) {
    const abs = path.isAbsolute(p) ? p : path.resolve(folder ?? process.cwd(), p);
    return executableVariants(abs).find(isExecutable);
  }
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const found = executableVariants(path.join(dir, p)).find(isExecutable);
    if (found) return found;
  }
  return undefined;
}

function executableVariants(file: string): string[] {
  if (process.platform !== "win32" || path.extname(file)) return [file];
  const exts = (process.env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";").filter(Boolean);
  return [file, ...exts.map((ext) => file + ext.toLowerCase())];
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, process.platform === "win32" ? fs.constants.F_OK : fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function reportMissingBinary(configured: string): void {
  const where = configured.includes("/") || configured.includes("\\") ? `at ${configured}` : `on PATH (looked for "${configured}")`;
  const message =
    `Newsmark: the language server binary was not found ${where}. ` +
    "Install newsmark (cargo install --path . in a checkout of the newsmark repository, or a release binary on PATH) " +
    'or set "newsmark.server.path" to the full path of the newsmark executable.';
  output.appendLine(message);
  // Not awaited: a restart must not wait for the user to dismiss the message.
  void vscode.window.showErrorMessage(message, "Open Settings", "Show Output").then(handleChoice);
}

async function handleChoice(choice: string | undefined): Promise<void> {
  if (choice === "Open Settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", "newsmark.server.path");
  } else if (choice === "Show Output") {
    output.show(true);
  }
}

const SEVERITY = ["error", "warning", "info", "hint"];

/**
 * Test support: when NEWSMARK_E2E_DIAGNOSTICS_FILE is set, keeps that file up to date with
 * the diagnostics VS Code holds for `*.news.md` documents (LSP-style names for severities).
 */
function diagnosticsDump(file: string): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  const write = () => {
    timer = undefined;
    const files = vscode.languages
      .getDiagnostics()
      .filter(([uri]) => uri.path.endsWith(".news.md"))
      .map(([uri, diagnostics]) => ({
        uri: uri.toString(),
        path: uri.fsPath,
        diagnostics: diagnostics.map((d) => ({
          code: typeof d.code === "object" && d.code !== null ? String(d.code.value) : d.code,
          source: d.source,
          severity: SEVERITY[d.severity] ?? String(d.severity),
          message: d.message,
          range: {
            start: { line: d.range.start.line, character: d.range.start.character },
            end: { line: d.range.end.line, character: d.range.end.character },
          },
          related: (d.relatedInformation ?? []).map((r) => ({
            uri: r.location.uri.toString(),
            message: r.message,
          })),
        })),
      }));
    const tmp = `${file}.tmp`;
    try {
      fs.writeFileSync(tmp, JSON.stringify({ time: new Date().toISOString(), files }, null, 2));
      fs.renameSync(tmp, file);
    } catch (e) {
      output.appendLine(`Writing ${file} failed: ${e}`);
    }
  };
  const schedule = () => {
    if (!timer) timer = setTimeout(write, 100);
  };
  write();
  const sub = vscode.languages.onDidChangeDiagnostics(schedule);
  return new vscode.Disposable(() => {
    sub.dispose();
    if (timer) clearTimeout(timer);
  });
}
