// End-to-end test in a real VS Code: installs the built .vsix into code-server (VS Code in the browser).
// First, a start with no checkpoint set: the status bar names the default model that ships with the
// server (never "no checkpoint") and typing brings its ghost text. Then a hostile workspace (a project whose
// MSBuild targets touch marker files) opened with workspace trust on and not trusted: Restricted Mode, the
// extension serves, and no target runs until trust is granted in the UI. Then, with a checkpoint, it opens a C# file of a small workspace (a git repository) in headless Chromium driven by Playwright,
// types one line once (never again: the request after the last keystroke must answer), waits for the
// ghost text that charrnn-server (bundled in the .vsix) generated with the given checkpoint and default
// settings, accepts it with Tab, saves, and compares the whole file on disk with what was expected. Also
// checks that the same text went through the LSP textDocument/inlineCompletion response (the extension's
// trace log). Then: a checkpoint chosen with the file picker reaches the running server; in manual mode
// typing asks nothing and Alt+\ brings ghost text, of which Ctrl+Right accepts exactly one word; the
// statistics count the whole and the partial accept; the status-bar menu opens; "Train on this
// workspace" (the tiny preset's model, trained until stopped) cancelled leaves nothing behind and the
// checkpoint as it was, and run for a minute ends with the server on the new model. Saves screenshots
// into RESULTS.
//
// Inputs (environment): CODE_SERVER (its bin/code-server), VSIX, CHECKPOINT, CHARRNN_CLI (the charrnn
// executable, given to code-server as CHARRNN_CLI_PATH), RESULTS (a folder), CHROMIUM (optional;
// default: chromium on PATH). Node 24 must be first on PATH for code-server.
// Prints "e2e: ok" or "e2e: FAILED: why" and exits accordingly. Does not build anything.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { chromium } from "playwright-core";
import { programs } from "./make-corpus.mjs";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const CODE_SERVER = env("CODE_SERVER");
const VSIX = path.resolve(env("VSIX"));
const CHECKPOINT = path.resolve(env("CHECKPOINT"));
const CHARRNN_CLI = path.resolve(env("CHARRNN_CLI"));
const RESULTS = path.resolve(env("RESULTS"));
const REPOSITORY = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..", "..");
const CHROMIUM = process.env.CHROMIUM || which("chromium");
/** Loading .NET, libtorch and the model on a busy 2-core machine can take a while; never a timing assertion. */
const READY_TIMEOUT_MS = 180_000;
const GHOST_TIMEOUT_MS = 30_000;

// A file of some length, as users have: the caret line is more than 1,024 characters in, so the first
// request finds the model's prefix cache cold unless the server encoded the file ahead after opening it.
const HELPERS = ["Greeter", "Counter", "Report", "Inventory", "Calculator", "Tools"].flatMap((name, i) => [
  `        public static void Print${name}(string[] args)`,
  "        {",
  `            Console.WriteLine("${name}");`,
  `            var count${i} = args.Length;`,
  `            for (int i = 0; i < count${i}; i++)`,
  "            {",
  "                Console.WriteLine(args[i]);",
  "            }",
  "        }",
  "",
]);
const PROGRAM = [
  "using System;",
  "",
  "namespace Demo",
  "{",
  "    public static class Program",
  "    {",
  ...HELPERS,
  "        public static void Main(string[] args)",
  "        {",
  "            ",
  "        }",
  "    }",
  "}",
  "",
].join("\n");
const CARET_LINE = PROGRAM.split("\n").indexOf("        public static void Main(string[] args)") + 2; // the empty line inside Main
const TYPED = "Console.Wri";
/** Files of the workspace besides Program.cs, for "Train on this workspace" to harvest (a few land in val and test). */
const WORKSPACE_FILES = 60;
/** One word as VS Code's accept-next-word takes it: a run of word characters or of other non-blank ones, or blanks. */
const ONE_WORD = /^(?:\s+|\s*[A-Za-z0-9_]+|\s*[^A-Za-z0-9_\s]+)$/;

function which(name) {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
  if (!found) throw new Error(`${name} is not on PATH`);
  return found;
}

function log(message) {
  console.log(`e2e: ${message}`);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Thrown by a waitFor probe to stop waiting at once: the state it saw will not get better. */
class Fatal extends Error {}

async function waitFor(what, timeoutMs, probe) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      if (error instanceof Fatal) throw error;
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (${last.message})` : ""}`);
}

/** Every file under `userDataDir` whose name ends with `nameEnd` (an output channel's log), read and joined. */
function readLogs(userDataDir, nameEnd) {
  return findFiles(userDataDir, nameEnd)
    .map((f) => fs.readFileSync(f, "utf8"))
    .join("\n");
}

function findFiles(dir, nameEnd) {
  const found = [];
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(nameEnd)) found.push(path.join(entry.parentPath ?? entry.path, entry.name));
  }
  return found;
}

/** The inlineCompletion requests in the extension's LSP trace, in order, with their trigger kinds. */
function inlineRequests(userDataDir) {
  const trace = readLogs(userDataDir, "CharRnnCode LSP Trace.log");
  return trace
    .split("Sending request 'textDocument/inlineCompletion")
    .slice(1)
    .map((message) => {
      const kind = /"triggerKind":\s*(\d+)/.exec(message.slice(0, 2000));
      return { triggerKind: kind ? Number(kind[1]) : undefined };
    });
}

/** What the server was told last: the checkpoint in the last workspace/didChangeConfiguration of the LSP trace. */
function lastSentCheckpoint(userDataDir) {
  const trace = readLogs(userDataDir, "CharRnnCode LSP Trace.log");
  const lastChange = trace.split("Sending notification 'workspace/didChangeConfiguration'").pop().slice(0, 2000);
  return JSON.parse(`"${/"checkpoint":\s*"((?:[^"\\]|\\.)*)"/.exec(lastChange)?.[1] ?? ""}"`);
}

/** With the menu's "Train on this workspace" chosen: a new model, for one minute; returns the progress notification. */
async function startTraining(page) {
  const startRow = page.locator(".quick-input-widget .quick-input-list .monaco-list-row", { hasText: "Train a new model" }).first();
  await startRow.waitFor({ timeout: 60_000 });
  await startRow.click();
  await page.locator(".quick-input-widget", { hasText: "Minutes of training" }).first().waitFor({ timeout: 30_000 });
  await page.locator(".quick-input-widget input").fill("1");
  await page.keyboard.press("Enter");
  // Focus back to the editor: the focused status-bar item would show its tooltip over the notification.
  await page.locator(".editor-instance .view-lines").click();
  return page.locator(".notifications-toasts .notification-toast", { hasText: "training on this workspace" }).first();
}

/** Runs a command from the command palette by its title. */
async function runCommand(page, title) {
  await page.keyboard.press("F1");
  await page.locator(".quick-input-widget input").waitFor({ timeout: 30_000 });
  await page.keyboard.type(title);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press("Enter");
}

/** Starts code-server on `folder` in its own process group (its children stop with it); returns it and its port. */
async function startCodeServer(extensionsDir, userDataDir, folder, logName, { workspaceTrust = false, env = {} } = {}) {
  const port = await freePort();
  const serverLog = fs.openSync(path.join(RESULTS, logName), "w");
  const codeServer = spawn(
    CODE_SERVER,
    [
      "--auth",
      "none",
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--disable-telemetry",
      "--disable-update-check",
      ...(workspaceTrust ? [] : ["--disable-workspace-trust"]),
      "--extensions-dir",
      extensionsDir,
      "--user-data-dir",
      userDataDir,
      folder,
    ],
    { detached: true, stdio: ["ignore", serverLog, serverLog], env: { ...process.env, ...env } },
  );
  return { codeServer, port };
}

function stopProcessGroup(child) {
  for (const signal of ["SIGTERM", "SIGKILL"]) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Headless Chromium as every phase drives it. */
const launchBrowser = () =>
  chromium.launch({
    executablePath: CHROMIUM,
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
const VIEWPORT = { viewport: { width: 1280, height: 800 } };

/** Opens `name` from the Explorer (quick-open did not reach the editor in this setup) and waits for its editor. */
async function openFromExplorer(page, name) {
  const entry = page.locator(".explorer-folders-view .monaco-list-row", { hasText: name });
  await entry.waitFor({ timeout: 60_000 });
  await entry.click();
  await page.waitForSelector(".editor-instance .view-lines", { timeout: 60_000 });
}

/**
 * Waits (at most READY_TIMEOUT_MS) for the status bar item `status` to match `ready` and returns its text;
 * a text that matches `fatal` ends the wait at once.
 */
function statusBarText(status, what, ready, fatal = /error/i) {
  return waitFor(what, READY_TIMEOUT_MS, async () => {
    const text = (await status.innerText()).trim();
    if (fatal.test(text)) throw new Fatal(`the status bar says ${JSON.stringify(text)}`);
    return ready.test(text) ? text : undefined;
  });
}

/** The extension's status bar item ("CharRnn: ..."). */
const statusItem = (page) =>
  page.locator("#charrnncode\\.charrnn-code\\.charRnnCode\\.status, .statusbar-item:has-text('CharRnn')").first();

/** Puts the caret at the end of line CARET_LINE of the open editor (the empty line inside Main). */
async function toEndOfCaretLine(page) {
  await page.locator(".editor-instance .view-lines").click();
  await page.keyboard.press("Control+Home");
  for (let i = 0; i < CARET_LINE; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("End");
}

/** The ghost text `page` shows now ("" for none), non-breaking spaces as spaces. */
async function shownGhostText(page) {
  return (await page.locator(".ghost-text, .ghost-text-decoration").allTextContents()).join("").replace(/\u00a0/g, " ");
}

/** Waits (at most GHOST_TIMEOUT_MS) for ghost text in `page` and returns it. */
function ghostText(page, what) {
  return waitFor(what, GHOST_TIMEOUT_MS, async () => {
    const text = await shownGhostText(page);
    return text.trim() ? text : undefined;
  });
}

/** The user settings less the checkpoint, the training preset and the confidence gate: a phase that runs the default model. */
function defaultModelSettings(userSettings) {
  const {
    "charRnnCode.checkpoint": _unset,
    "charRnnCode.train.preset": _preset,
    "charRnnCode.minConfidence": _gate,
    ...settings
  } = userSettings;
  return settings;
}

/** Waits until code-server at `port` answers, then shows its workbench on `folder` in `page`. */
async function openWorkbench(page, port, folder) {
  await waitFor("code-server to listen", 60_000, async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok);
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`);
  await page.waitForSelector(".monaco-workbench", { timeout: 120_000 });
}

/**
 * A phase of its own: code-server (log code-server-<name>.log) on `folder` with `options` (startCodeServer's), a
 * browser on its workbench, and `body(page)`. On failure a screenshot, failure-<name>.png; in any case the
 * extension's output in extension-output-<name>.log, then browser and code-server stopped.
 */
async function sidePhase(name, extensionsDir, userDataDir, folder, options, body) {
  const { codeServer, port } = await startCodeServer(extensionsDir, userDataDir, folder, `code-server-${name}.log`, options);
  let browser;
  let page;
  try {
    browser = await launchBrowser();
    page = await browser.newPage(VIEWPORT);
    await openWorkbench(page, port, folder);
    await body(page);
  } catch (error) {
    if (page) await page.screenshot({ path: path.join(RESULTS, `failure-${name}.png`) }).catch(() => {});
    throw error;
  } finally {
    fs.writeFileSync(path.join(RESULTS, `extension-output-${name}.log`), readLogs(userDataDir, "CharRnnCode.log"));
    await browser?.close().catch(() => {});
    stopProcessGroup(codeServer);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * No checkpoint set (a fresh install): the server serves its default model, and the status bar must say
 * so as soon as it does ("CharRnn: default model (...)"), not warn of a missing checkpoint; typing in a
 * C# file brings the default model's ghost text. Its own user settings and workspace; the same extension.
 */
async function noCheckpointStart(scratch, extensionsDir, userSettings) {
  const userDataDir = path.join(scratch, "user-data-no-checkpoint");
  const folder = path.join(scratch, "workspace-no-checkpoint");
  fs.mkdirSync(path.join(userDataDir, "User"), { recursive: true });
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "Program.cs"), PROGRAM);
  const settings = defaultModelSettings(userSettings);
  fs.writeFileSync(path.join(userDataDir, "User", "settings.json"), JSON.stringify(settings, null, 2));
  await sidePhase("no-checkpoint", extensionsDir, userDataDir, folder, {}, async (page) => {
    await openFromExplorer(page, "Program.cs");
    const status = statusItem(page);
    const readyText = await statusBarText(status, "the status bar to name the default model", /CharRnn: default model/);
    log(`no checkpoint: status bar: ${readyText}`);
    await toEndOfCaretLine(page);
    await page.keyboard.type(TYPED, { delay: 60 });
    const ghost = await ghostText(page, "the default model's ghost text");
    log(`no checkpoint: ghost text from the default model: ${JSON.stringify(ghost)}`);
    const after = (await status.innerText()).trim();
    if (!/CharRnn: default model/.test(after))
      throw new Error(`after the default model's completion the status bar says ${JSON.stringify(after)}`);
    await page.screenshot({ path: path.join(RESULTS, "no-checkpoint.png") });
    log(`no checkpoint: status bar after the completion: ${after}`);
  });
}

/**
 * A hostile workspace opened with workspace trust on and the folder not trusted: its project hooks commands
 * onto MSBuild targets that a design-time build runs (before CoreCompile, after ResolveAssemblyReferences).
 * The extension still runs there (it declares limited support), so typing reaches the server, which loads
 * the workspace without letting MSBuild run them: neither marker file may appear. Then trust is granted in
 * the Workspace Trust editor, as a person would, and both markers appear: the gate, not a broken build,
 * kept them away. The default model; its own user settings, workspace and markers folder.
 */
async function untrustedHostileWorkspace(scratch, extensionsDir, userSettings) {
  const userDataDir = path.join(scratch, "user-data-hostile");
  const folder = path.join(scratch, "workspace-hostile");
  const markers = path.join(scratch, "hostile-markers");
  const marker1 = path.join(markers, "MARKER1");
  const marker2 = path.join(markers, "MARKER2");
  for (const dir of [path.join(userDataDir, "User"), folder, markers]) fs.mkdirSync(dir, { recursive: true });
  // No package references: the restore needs no network, and still writes obj/project.assets.json as a
  // developer's machine has it (the server reads that file in any workspace).
  fs.writeFileSync(
    path.join(folder, "Hostile.csproj"),
    [
      '<Project Sdk="Microsoft.NET.Sdk">',
      "  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>",
      `  <Target Name="P" BeforeTargets="CoreCompile"><Exec Command="touch ${marker1}" /></Target>`,
      `  <Target Name="Q" AfterTargets="ResolveAssemblyReferences"><Exec Command="touch ${marker2}" /></Target>`,
      "</Project>",
      "",
    ].join("\n"),
  );
  fs.writeFileSync(path.join(folder, "Program.cs"), PROGRAM);
  const restore = spawnSync("dotnet", ["restore", folder], { encoding: "utf8" });
  if (restore.status !== 0) throw new Error(`dotnet restore of the hostile workspace failed:\n${restore.stdout}\n${restore.stderr}`);
  if (!fs.existsSync(path.join(folder, "obj", "project.assets.json")))
    throw new Error("the hostile workspace's restore wrote no obj/project.assets.json");
  // The restore runs neither target; otherwise their absence below would prove nothing.
  if (fs.readdirSync(markers).length) throw new Error(`dotnet restore already ran a hostile target: ${fs.readdirSync(markers).join(", ")}`);
  const settings = defaultModelSettings(userSettings);
  fs.writeFileSync(
    path.join(userDataDir, "User", "settings.json"),
    JSON.stringify(
      {
        ...settings,
        // Trust on, and nothing that would grant it unasked: no startup prompt (which a click could answer),
        // the banner kept, untrusted files opened without a dialog.
        "security.workspace.trust.enabled": true,
        "security.workspace.trust.startupPrompt": "never",
        "security.workspace.trust.banner": "always",
        "security.workspace.trust.untrustedFiles": "open",
        "security.workspace.trust.emptyWindow": false,
      },
      null,
      2,
    ),
  );
  // The server's own log file: its account of the workspace load (info lines, which its standard error and
  // so the extension's output channel do not carry).
  const serverLogFile = path.join(RESULTS, "charrnn-server-hostile.log");
  const serverLog = () => (fs.existsSync(serverLogFile) ? fs.readFileSync(serverLogFile, "utf8") : "");
  const absent = () => [marker1, marker2].filter((m) => !fs.existsSync(m)).map((m) => path.basename(m));
  const options = { workspaceTrust: true, env: { CHARRNN_SERVER_LOG: serverLogFile } };
  await sidePhase("hostile", extensionsDir, userDataDir, folder, options, async (page) => {
    // code-server may trust a folder by itself; then this phase would test nothing, so it fails.
    const restricted = page
      .locator(".statusbar-item:has-text('Restricted Mode'), [id='workbench.parts.banner']:has-text('Restricted Mode')")
      .first();
    await restricted.waitFor({ timeout: 60_000 }).catch(() => {
      throw new Error("the hostile workspace is trusted: code-server shows no Restricted Mode, so the untrusted case is not tested");
    });
    await openFromExplorer(page, "Program.cs");
    const status = statusItem(page);
    await statusBarText(status, "the status bar to show the model as ready", /CharRnn: (?!loading)/);
    await toEndOfCaretLine(page);
    await page.keyboard.type(TYPED, { delay: 60 });
    // Asked for explicitly: the answer is the best there is, whatever the confidence gate would hold back.
    await page.keyboard.press("Alt+\\");
    const ghost = await ghostText(page, "ghost text in the untrusted workspace");
    // The server's own account that it loaded the workspace (files, then the assets file) and stopped
    // before MSBuild; a little longer, for anything that would still be under way.
    await waitFor("the server to finish loading the untrusted workspace", READY_TIMEOUT_MS, async () =>
      /workspace: not trusted \(trustedWorkspace is false\)/.test(serverLog()),
    );
    await new Promise((r) => setTimeout(r, 5000));
    await page.screenshot({ path: path.join(RESULTS, "hostile-untrusted.png") });
    if (absent().length !== 2)
      throw new Error(
        `in the untrusted hostile workspace MSBuild ran a target of the project: ${[marker1, marker2].filter((m) => fs.existsSync(m)).join(", ")} exist(s)`,
      );
    log(`untrusted hostile workspace: ghost text ${JSON.stringify(ghost)}; the server loaded the workspace and said it is not trusted`);
    log("untrusted hostile workspace: Restricted Mode shown; no MSBuild target ran (MARKER1, MARKER2 absent)");

    // The user trusts the folder (the Workspace Trust editor's button): the extension tells the server, whose
    // design-time build now runs the project's targets.
    await runCommand(page, "Workspaces: Manage Workspace Trust");
    // Its button reads "Trust" (with its shortcut as description); "Don't Trust" is the other one.
    const trustButton = page.locator(".workspace-trust-editor .monaco-button", { hasText: /^\s*Trust\b/ }).first();
    await trustButton.waitFor({ timeout: 30_000 });
    await trustButton.click();
    await waitFor("both markers after trust was granted", READY_TIMEOUT_MS, async () => {
      // Without MSBuild the targets cannot run at all: say so rather than wait out the time.
      const failed = /workspace: no \.NET SDK found.*|MSBuild's reading of the projects failed.*/.exec(serverLog());
      if (failed && absent().length) throw new Fatal(`trusted, the server could not run MSBuild: ${failed[0]}`);
      return absent().length === 0;
    });
    await page.screenshot({ path: path.join(RESULTS, "hostile-trusted.png") });
    log(
      "hostile workspace trusted through the Workspace Trust editor: MSBuild's design-time build ran both targets (MARKER1, MARKER2 present), so the gate is what kept them from running",
    );
  });
}

async function main() {
  fs.mkdirSync(RESULTS, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "charrnn-e2e-"));
  const extensionsDir = path.join(scratch, "extensions");
  const userDataDir = path.join(scratch, "user-data");
  const workspace = path.join(scratch, "workspace");
  fs.mkdirSync(path.join(userDataDir, "User"), { recursive: true });
  fs.mkdirSync(workspace, { recursive: true });
  const programPath = path.join(workspace, "Program.cs");
  fs.writeFileSync(programPath, PROGRAM);
  // A git repository: harvest reads what is committed.
  fs.mkdirSync(path.join(workspace, "src"));
  programs(WORKSPACE_FILES).forEach((text, i) => fs.writeFileSync(path.join(workspace, "src", `Sample${i}.cs`), text));
  for (const args of [
    ["init", "-q"],
    ["add", "-A"],
    ["-c", "user.name=e2e", "-c", "user.email=e2e@localhost", "commit", "-qm", "workspace"],
  ]) {
    const git = spawnSync("git", args, { cwd: workspace, encoding: "utf8" });
    if (git.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${git.stderr}`);
  }
  const settingsPath = path.join(userDataDir, "User", "settings.json");
  const tiny = JSON.parse(fs.readFileSync(path.join(REPOSITORY, "src", "CharRnnCode.Model", "Presets", "tiny.json"), "utf8"));
  const longPreset = path.join(scratch, "tiny-until-stopped.json");
  fs.writeFileSync(longPreset, JSON.stringify({ model: tiny.model, train: { ...tiny.train, maxSteps: 1_000_000, evalInterval: 25 } }));
  const userSettings = {
    // Nothing may cover the editor or take the keyboard; no other source of suggestions.
    "workbench.startupEditor": "none",
    "workbench.secondarySideBar.defaultVisibility": "hidden",
    "chat.disableAIFeatures": true,
    "editor.quickSuggestions": { other: false, comments: false, strings: false },
    "editor.suggestOnTriggerCharacters": false,
    "editor.wordBasedSuggestions": "off",
    "workbench.tips.enabled": false,
    "extensions.ignoreRecommendations": true,
    "security.workspace.trust.enabled": false,
    // The extension's defaults otherwise (temperature, candidates, time budget, debounce): what users run.
    "charRnnCode.checkpoint": CHECKPOINT,
    // This phase's model trained for seconds, so its candidates rarely agree: the gate would hide what the editor path
    // is tested with. The no-checkpoint phase keeps the default gate with the default model.
    "charRnnCode.minConfidence": 0,
    "charRnnCode.trace.server": "verbose",
    // "Train on this workspace" trains the tiny preset's model, for as long as it is given (so that a run can be cancelled).
    "charRnnCode.train.preset": longPreset,
  };
  fs.writeFileSync(settingsPath, JSON.stringify(userSettings, null, 2));

  log(`installing ${VSIX}`);
  const install = spawnSync(CODE_SERVER, ["--extensions-dir", extensionsDir, "--user-data-dir", userDataDir, "--install-extension", VSIX], {
    encoding: "utf8",
  });
  if (install.status !== 0) throw new Error(`code-server --install-extension failed:\n${install.stdout}\n${install.stderr}`);
  log(install.stdout.trim().split("\n").pop());

  await noCheckpointStart(scratch, extensionsDir, userSettings);
  await untrustedHostileWorkspace(scratch, extensionsDir, userSettings);

  // CHARRNN_SERVER_LOG reaches charrnn-server through the extension host: its own account of each request.
  const { codeServer, port } = await startCodeServer(extensionsDir, userDataDir, workspace, "code-server.log", {
    env: { CHARRNN_CLI_PATH: CHARRNN_CLI, CHARRNN_SERVER_LOG: path.join(RESULTS, "charrnn-server.log") },
  });
  let browser;
  let page;
  try {
    browser = await launchBrowser();
    page = await browser.newPage(VIEWPORT);
    await openWorkbench(page, port, workspace);
    log(`code-server ${port} is up; workbench loaded`);

    await openFromExplorer(page, "Program.cs");

    // The status bar says when the model is loaded: "CharRnn: <model>".
    const status = statusItem(page);
    const readyText = await statusBarText(
      status,
      "the status bar to show the model as ready",
      /CharRnn: (?!loading)/,
      /error|no checkpoint/i,
    );
    log(`status bar: ${readyText}`);

    // Caret to the end of the empty line inside Main, then type as a person would.
    await toEndOfCaretLine(page);
    await page.keyboard.type(TYPED, { delay: 60 });

    // Typed once: the one request after the last keystroke must bring ghost text. No typing again.
    const typedAt = Date.now();
    const ghost = await ghostText(page, "ghost text after typing once");
    log(`ghost text ${Date.now() - typedAt} ms after the last keystroke (page polled every 250 ms)`);
    log(`ghost text: ${JSON.stringify(ghost)}`);
    // Constrained decoding is on by default: after `Console.Wri` only Console's own members may follow
    // (Write, WriteLine), so the ghost text must go on with "te" and end the name at one of them.
    if (!/^te(Line)?[^A-Za-z0-9_]/.test(ghost))
      throw new Error(`the ghost text ${JSON.stringify(ghost)} does not complete a member of Console`);
    log("the member name is one of Console's (constrained decoding)");
    const shot = path.join(RESULTS, "ghost-text.png");
    await page.screenshot({ path: shot });
    log(`screenshot: ${shot}`);

    await page.keyboard.press("Tab");
    // Acceptance is applied asynchronously: save once the ghost text has become text. The server may already show
    // the next suggestion after it (the other candidates' continuation), so what ends the wait is that this ghost
    // text is gone, not that none is shown; the saved file below is the check.
    await waitFor("the ghost text to be accepted", 30_000, async () => (await shownGhostText(page)) !== ghost);
    await page.keyboard.press("Control+s");
    const lines = PROGRAM.split("\n");
    lines[CARET_LINE] += TYPED + ghost;
    const expected = lines.join("\n");
    let saved = PROGRAM;
    await waitFor("the accepted completion to be saved", 30_000, async () => {
      saved = fs.readFileSync(programPath, "utf8");
      return saved === expected;
    }).catch(() => {});
    await page.screenshot({ path: path.join(RESULTS, "accepted.png") });
    if (saved !== expected) {
      throw new Error(`the document after Tab is not the expected text.\n--- expected\n${expected}\n--- saved\n${saved}`);
    }
    log("document after Tab matches: typed text + ghost text");

    // The text came from the server: the LSP trace shows it in a textDocument/inlineCompletion answer.
    const traces = findFiles(userDataDir, "CharRnnCode LSP Trace.log");
    const trace = traces.map((f) => fs.readFileSync(f, "utf8")).join("\n");
    if (!/textDocument\/inlineCompletion/.test(trace) || !trace.includes(JSON.stringify(ghost).slice(1, -1))) {
      throw new Error(
        `the extension's LSP trace (${traces.join(", ") || "no log file"}) has no inlineCompletion answer containing the ghost text`,
      );
    }
    log("LSP trace: the ghost text is in the server's textDocument/inlineCompletion response");
    const serverLogFile = path.join(RESULTS, "charrnn-server.log");
    const serverLines = (fs.existsSync(serverLogFile) ? fs.readFileSync(serverLogFile, "utf8") : "")
      .split("\n")
      .filter((l) => l.includes("inlineCompletion "));
    for (const line of serverLines) log(`server: ${line.replace(/^.*?inlineCompletion /, "inlineCompletion ")}`);
    const statusText = (await status.innerText()).trim();
    log(`status bar after the completion: ${statusText}`);

    // Choosing another checkpoint (the command's file picker, as a person would) reaches the running
    // server as workspace/didChangeConfiguration: it loads the model again, without a restart.
    const second = path.join(workspace, "models", "copy.ckpt");
    fs.mkdirSync(path.dirname(second), { recursive: true });
    fs.copyFileSync(CHECKPOINT, second);
    await runCommand(page, "CharRnnCode: Choose Checkpoint");
    const pathInput = page.locator(".quick-input-widget input");
    await pathInput.waitFor({ timeout: 30_000 });
    // The picker (VS Code's simple file dialog here) browses as the path is typed; pick the file from its list.
    // It writes its starting folder into the input once it has read it: typing before that gets the folder
    // prepended to the typed path, so wait for it.
    await waitFor("the file dialog to show its starting folder", 30_000, async () => (await pathInput.inputValue()).startsWith("/"));
    await pathInput.fill(second);
    const fileRow = page.locator(".quick-input-list .monaco-list-row", { hasText: path.basename(second) }).first();
    await fileRow.waitFor({ timeout: 30_000 });
    await fileRow.click();
    await new Promise((r) => setTimeout(r, 1000));
    if (await pathInput.isVisible()) await page.keyboard.press("Enter");
    await waitFor("the new checkpoint to reach the running server", 60_000, async () => {
      const trace = readLogs(userDataDir, "CharRnnCode LSP Trace.log");
      const sent = trace.split("Sending notification 'workspace/didChangeConfiguration'").slice(1);
      if (!sent.some((message) => message.slice(0, 600).includes(JSON.stringify(second)))) return false;
      const starts = trace.match(/Sending request 'initialize/g)?.length ?? 0;
      if (starts !== 1) throw new Fatal(`the server was started ${starts} times; a settings change must not restart it`);
      return true;
    });
    const reloaded = await statusBarText(status, "the status bar to show the model again", /CharRnn: (?!loading)/);
    log(`chose ${second}: sent with workspace/didChangeConfiguration, same server process; status bar: ${reloaded}`);
    const requestsAfterFirstPart = inlineRequests(userDataDir).length;

    // Manual mode: typing asks nothing; Alt+\ asks once, and the ghost text comes.
    await runCommand(page, "CharRnnCode: Switch Trigger Mode");
    const manualStatus = await waitFor("the status bar to show manual mode", 60_000, async () => {
      const text = (await status.innerText()).trim();
      return /manual/.test(text) ? text : undefined;
    });
    log(`manual mode: status bar ${manualStatus}`);
    await toEndOfCaretLine(page);
    await page.keyboard.press("Enter");
    await page.keyboard.type(TYPED, { delay: 60 });
    await page.keyboard.press("Control+s");
    const typedLine = /\n[ \t]*Console\.Wri\n/;
    const beforeWord = await waitFor("the typed line to be saved", 30_000, async () => {
      const text = fs.readFileSync(programPath, "utf8");
      return typedLine.test(text) ? text : undefined;
    });
    const requestsBefore = inlineRequests(userDataDir);
    const typedWhileManual = requestsBefore.length - requestsAfterFirstPart;
    if (typedWhileManual !== 0)
      throw new Error(`typing in manual mode sent ${typedWhileManual} inlineCompletion request(s); it must send none`);
    log("manual mode: typing sent no request");
    await page.keyboard.press("Alt+\\");
    const ghost2 = await ghostText(page, "ghost text after Alt+\\");
    await page.screenshot({ path: path.join(RESULTS, "manual-ghost-text.png") });
    // The trace file is written a little after the message goes out: wait for the request to be in it.
    const asked = await waitFor("the Alt+\\ request in the LSP trace", 30_000, async () => {
      const sent = inlineRequests(userDataDir).slice(requestsBefore.length);
      return sent.length ? sent : undefined;
    });
    log(
      `manual mode: ${asked.length} request(s) after Alt+\\ (trigger kinds ${asked.map((r) => r.triggerKind).join(", ")}); ghost text ${JSON.stringify(ghost2)}`,
    );
    if (!asked.length || asked.some((r) => r.triggerKind !== 1))
      throw new Error(`Alt+\\ must send invoked requests (trigger kind 1) only; sent ${JSON.stringify(asked)}`);

    // Ctrl+Right accepts the next word of the ghost text, through VS Code's accept-next-word.
    await page.keyboard.press("Control+ArrowRight");
    await page.keyboard.press("Control+s");
    const caret = beforeWord.search(typedLine) + beforeWord.match(typedLine)[0].length - 1;
    const afterWord = await waitFor("the accepted word to be saved", 30_000, async () => {
      const text = fs.readFileSync(programPath, "utf8");
      return text !== beforeWord ? text : undefined;
    });
    const inserted = afterWord.slice(caret, caret + afterWord.length - beforeWord.length);
    const onlyInserted =
      afterWord.slice(0, caret) === beforeWord.slice(0, caret) && afterWord.slice(caret + inserted.length) === beforeWord.slice(caret);
    // One word of the ghost text, and not all of it unless the ghost text is itself one word.
    const oneWordOfGhost =
      inserted && ghost2.startsWith(inserted) && ONE_WORD.test(inserted) && (inserted !== ghost2 || ONE_WORD.test(ghost2));
    if (!onlyInserted || !oneWordOfGhost) {
      throw new Error(
        `Ctrl+Right must insert one word of the ghost text ${JSON.stringify(ghost2)} at the caret; the document changed by ${JSON.stringify(inserted)}${onlyInserted ? "" : " (and elsewhere)"}`,
      );
    }
    log(`accept next word: the document gained ${JSON.stringify(inserted)} (of ${JSON.stringify(ghost2)})`);
    await page.screenshot({ path: path.join(RESULTS, "accepted-word.png") });
    await page.keyboard.press("Escape");

    // The acceptances were counted locally: the whole one (Tab) and the partial one, with their characters.
    await runCommand(page, "CharRnnCode: Show Completion Statistics");
    const report = await waitFor("the statistics dialog", 30_000, async () => {
      const text = await page.locator(".monaco-dialog-box").innerText();
      return text.includes("suggestions accepted") ? text : undefined;
    });
    await page.screenshot({ path: path.join(RESULTS, "statistics.png") });
    const expectedCharacters = ghost.length + inserted.length;
    for (const line of [
      "suggestions accepted: 1",
      "suggestions partly accepted: 1 (1 next-word/next-line accepts)",
      `characters accepted: ${expectedCharacters}`,
    ]) {
      if (!report.includes(line)) throw new Error(`statistics lack "${line}":\n${report}`);
    }
    log(
      `statistics: ${report
        .split("\n")
        .filter((l) => /shown|accepted|rate|latency/.test(l))
        .join("; ")}`,
    );
    await page.keyboard.press("Escape");

    // The status-bar menu opens on a click, with every action.
    await status.click();
    const menuRows = page.locator(".quick-input-widget .quick-input-list .monaco-list-row");
    await menuRows.filter({ hasText: "Train on this workspace" }).first().waitFor({ timeout: 30_000 });
    const labels = (await menuRows.locator(".label-name").allInnerTexts()).map((t) => t.trim());
    await page.screenshot({ path: path.join(RESULTS, "menu.png") });
    for (const expected of [
      "Disable completions",
      "Switch to automatic mode",
      "Pause for 30 minutes",
      "Choose checkpoint",
      "Train on this workspace",
      "Show statistics",
      "Show output",
      "Restart server",
    ]) {
      if (!labels.some((l) => l.includes(expected))) throw new Error(`the menu lacks "${expected}": ${JSON.stringify(labels)}`);
    }
    log(`menu: ${labels.join(" | ")}`);

    // Train on this workspace, from the menu: a new tiny model for one minute, cancelled once it shows a
    // validation loss: nothing is left behind and the server keeps its checkpoint.
    const runsDirectory = path.join(userDataDir, "User", "globalStorage", "charrnncode.charrnn-code", "runs");
    const beforeTraining = lastSentCheckpoint(userDataDir);
    await menuRows.filter({ hasText: "Train on this workspace" }).first().click();
    const cancelled = await startTraining(page);
    await waitFor("the training notification to show a validation loss", READY_TIMEOUT_MS, async () =>
      /val \d+\.\d+ bpc/.test(await cancelled.innerText()),
    );
    await cancelled.locator(".monaco-button", { hasText: "Cancel" }).click();
    const cancelNote = page.locator(".notifications-toasts .notification-toast", { hasText: "training cancelled" }).first();
    await cancelNote.waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(RESULTS, "training-cancelled.png") });
    const left = fs.existsSync(runsDirectory) ? fs.readdirSync(runsDirectory) : [];
    if (left.length || lastSentCheckpoint(userDataDir) !== beforeTraining) {
      throw new Error(
        `a cancelled run left ${JSON.stringify(left)} in ${runsDirectory} and the server was sent ${lastSentCheckpoint(userDataDir)}`,
      );
    }
    log(`cancelled: "${(await cancelNote.innerText()).replace(/\s+/g, " ")}"; nothing left in runs/; the server keeps ${beforeTraining}`);
    await cancelNote
      .locator(".codicon-notifications-clear, .codicon-close")
      .first()
      .click()
      .catch(() => {});

    // Again, to the end: progress with the validation loss, then the server uses the new model.
    await status.click();
    await menuRows.filter({ hasText: "Train on this workspace" }).first().waitFor({ timeout: 30_000 });
    await menuRows.filter({ hasText: "Train on this workspace" }).first().click();
    const toast = await startTraining(page);
    const progressText = await waitFor("the training notification to show a validation loss", READY_TIMEOUT_MS, async () => {
      const text = (await toast.innerText()).replace(/\s+/g, " ");
      return /val \d+\.\d+ bpc/.test(text) ? text : undefined;
    });
    await page.screenshot({ path: path.join(RESULTS, "training-progress.png") });
    log(`training: ${progressText}`);
    const trained = await statusBarText(
      status,
      "the status bar to show the model trained on the workspace",
      /CharRnn: lstm 1x32, step \d+/,
    );
    const done = page
      .locator(".notifications-toasts .notification-toast", { hasText: "now completing with the model trained on this workspace" })
      .first();
    await done.waitFor({ timeout: 60_000 });
    const summary = (await done.innerText()).replace(/\s+/g, " ");
    await page.screenshot({ path: path.join(RESULTS, "training-done.png") });
    const chosen = lastSentCheckpoint(userDataDir);
    const traceText = readLogs(userDataDir, "CharRnnCode LSP Trace.log");
    const starts = traceText.match(/Sending request 'initialize/g)?.length ?? 0;
    if (starts !== 1 || !fs.existsSync(chosen) || !/[\\/]runs[\\/][^\\/]+[\\/]model[\\/]best\.ckpt$/.test(chosen)) {
      throw new Error(`after training the server was sent the checkpoint ${JSON.stringify(chosen)} and started ${starts} times`);
    }
    log(`trained: status bar ${trained}; checkpoint ${chosen}; same server process`);
    log(`summary: ${summary}`);
  } catch (error) {
    if (page) await page.screenshot({ path: path.join(RESULTS, "failure.png") }).catch(() => {});
    throw error;
  } finally {
    // The extension's output channel (server stderr, LSP trace), for whoever reads the results.
    for (const [name, file] of [
      ["CharRnnCode.log", "extension-output.log"],
      ["CharRnnCode LSP Trace.log", "lsp-trace.log"],
    ]) {
      fs.writeFileSync(path.join(RESULTS, file), readLogs(userDataDir, name));
    }
    await browser?.close().catch(() => {});
    try {
      process.kill(-codeServer.pid, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 500));
    try {
      process.kill(-codeServer.pid, "SIGKILL");
    } catch {
      // stopped on SIGTERM
    }
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => {
    console.log("e2e: ok");
  },
  (error) => {
    console.log(`e2e: FAILED: ${error.message}`);
    console.log(`e2e: results in ${RESULTS} (failure.png, code-server.log, extension-output.log)`);
    process.exitCode = 1;
  },
);
