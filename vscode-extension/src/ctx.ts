// The extension's lifecycle and shared state: finds and starts charrnn-server (once a document of one
// of charRnnCode.languages is open), restarts it, follows settings changes (sent to the running server,
// or a restart where they need one), asks `charRnn/status` while a model loads, and keeps the status
// bar (with a note when the server held back an automatic suggestion for low confidence), the statistics
// and the pause. Commands (commands.ts) and training (training.ts) act through it.
// Workspace trust: in an untrusted workspace the executables' paths come from the user's own settings
// only, and the server is told the workspace is untrusted (it then builds no project); when the user
// grants trust, the server is told so through workspace/didChangeConfiguration.
// It creates the LanguageClient through client.ts and registers no completion provider of its own.
import * as vscode from "vscode";
import { DidChangeConfigurationNotification, type LanguageClient, State } from "vscode-languageclient/node";
import { locateServer, sourceLabel } from "./bootstrap";
import { createClient, errorText, sleep } from "./client";
import {
  CLIENT_KEYS,
  changedKeys,
  executableSetting,
  type ExtensionSettings,
  minConfidenceByLanguage,
  readSettings,
  RESTART_KEYS,
  SECTION,
  SERVER_KEYS,
  shouldAnswer,
  type ServerSettings,
  toServerSettings,
} from "./config";
import { heldBackText, parseServerStatus, STATUS_METHOD, type StatusResult } from "./lsp_ext";
import { CompletionStatistics, type StatisticsSnapshot } from "./statistics";
import { type ServerState, StatusBar } from "./statusBar";
import { createTraceChannel } from "./traceChannel";

const STATISTICS_KEY = "charRnnCode.statistics";
/** How often the status is asked for while the server loads a model. */
const STATUS_POLL_MS = 400;
/** How long a status that does not yet reflect the configured checkpoint is taken as "not started loading yet". */
const STALE_STATUS_GRACE_MS = 10_000;

export class Ctx implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private readonly trace: vscode.LogOutputChannel;
  readonly statusBar = new StatusBar();
  readonly statistics: CompletionStatistics;
  private client: LanguageClient | undefined;
  private started = false;
  lastError: string | undefined;
  /** What the server said last; the status bar shows it unless the client side (off, paused) says more. */
  private serverState: ServerState = { kind: "starting" };
  private stopping = false;
  /** Bumped on every (re)start and settings change, so that an older status poll gives up. */
  private generation = 0;
  private pausedUntil: number | undefined;
  private pauseTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel("CharRnnCode", { log: true });
    this.trace = createTraceChannel("CharRnnCode LSP Trace");
    this.statistics = new CompletionStatistics(extension.globalState.get<StatisticsSnapshot>(STATISTICS_KEY));
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)),
      vscode.workspace.onDidOpenTextDocument(() => this.startWhenNeeded()),
      vscode.window.onDidChangeActiveTextEditor(() => this.refreshStatus()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.onTrustGranted()),
    );
    this.statusBar.setManual(this.settings().triggerMode === "manual");
  }

  /** The settings, with charRnnCode.enable as it applies to `scope` (a document: its language's override). */
  settings(scope?: vscode.ConfigurationScope): ExtensionSettings {
    const configuration = vscode.workspace.getConfiguration(SECTION, scope);
    const settings = readSettings((key, defaultValue) => configuration.get(key, defaultValue));
    const trusted = vscode.workspace.isTrusted;
    return {
      ...settings,
      serverPath: executableSetting(settings.serverPath, configuration.inspect("server.path"), trusted),
      cliPath: executableSetting(settings.cliPath, configuration.inspect("cli.path"), trusted),
    };
  }

  /**
   * What the server is sent: the settings, the checkpoint resolved, whether the workspace is trusted, and
   * minConfidence as each served language has it ("[c]": { "charRnnCode.minConfidence": … } included).
   */
  serverSettings(): ServerSettings {
    const settings = this.settings();
    const byLanguage = minConfidenceByLanguage(
      settings.languages,
      (languageId) => vscode.workspace.getConfiguration(SECTION, { languageId }).get<unknown>("minConfidence"),
      settings.minConfidence,
    );
    return toServerSettings(settings, this.workspaceFolder(), vscode.workspace.isTrusted, byLanguage);
  }

  workspaceFolder(): string | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  }

  get isRunning(): boolean {
    return this.client?.isRunning() ?? false;
  }

  /** Starts the server once a document of a configured language is open (at once if one is). */
  async startWhenNeeded(): Promise<void> {
    if (this.started) return;
    const languages = this.settings().languages;
    if (!vscode.workspace.textDocuments.some((d) => languages.includes(d.languageId))) return;
    await this.start();
  }

  async start(): Promise<void> {
    this.started = true;
    this.statusBar.reveal();
    const generation = ++this.generation;
    this.lastError = undefined;
    this.showServerState({ kind: "starting" });
    const settings = this.settings();
    const located = await locateServer({
      settingPath: settings.serverPath,
      env: process.env,
      extensionPath: this.extension.extensionPath,
    });
    for (const r of located.rejected) {
      this.output.appendLine(`Skipped ${sourceLabel(r.candidate.source)} ${r.candidate.path}: ${r.reason}`);
    }
    if (!located.found) {
      this.fail(located.message, true);
      return;
    }
    const configuredButBroken = located.rejected.filter((r) => r.candidate.source === "setting" || r.candidate.source === "environment");
    if (configuredButBroken.length) {
      const r = configuredButBroken[0];
      void vscode.window.showWarningMessage(
        `CharRnnCode: the ${sourceLabel(r.candidate.source)} (${r.candidate.path}) does not work (${r.reason}); using ${located.candidate.path} instead.`,
      );
    }
    this.output.appendLine(`Starting ${located.version} (${sourceLabel(located.candidate.source)}): ${located.candidate.path}`);

    const client = createClient({
      serverPath: located.candidate.path,
      settings,
      serverSettings: this.serverSettings(),
      output: this.output,
      trace: this.trace,
      hooks: {
        shouldAsk: (document, explicit) => {
          const scoped = this.settings(document);
          return shouldAnswer(
            { explicit, now: Date.now() },
            { enable: scoped.enable, triggerMode: scoped.triggerMode, pausedUntil: this.pausedUntil },
          );
        },
        debounceMs: () => this.settings().debounceMs,
        onAnswered: ({ latencyMs, itemCount, explicit, confidence }) => {
          this.statistics.recordResponse(latencyMs, itemCount, confidence);
          void this.saveStatistics();
          // Only an automatic request answered empty can have been held back; the server says why in its status.
          if (itemCount === 0 && !explicit) void this.checkHeldBack();
          else this.statusBar.setHeldBack(undefined);
          const state = this.serverState;
          if (state.kind === "ready") this.showServerState({ ...state, latencyMs });
          // A model answered, so whatever the status bar says otherwise is out of date: ask again.
          else if (itemCount > 0 && state.kind !== "error") void this.pollStatus(++this.generation);
        },
      },
    });
    this.client = client;
    client.onDidChangeState((e) => {
      if (e.newState === State.Stopped && !this.stopping && this.client === client) {
        this.fail("the language server stopped. See the output for why, then run “CharRnnCode: Restart Server”.", false);
      }
    });
    client.onNotification(STATUS_METHOD, (raw: unknown) => void this.applyServerStatus(raw));
    try {
      await client.start();
    } catch (error) {
      if (this.client === client) this.fail(`the language server did not start: ${errorText(error)}`, true);
      return;
    }
    await this.pollStatus(generation);
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.generation++;
    if (!client) return;
    this.stopping = true;
    try {
      await client.stop(5000);
    } catch (error) {
      this.output.appendLine(`Stopping the server: ${errorText(error)}`);
    } finally {
      this.stopping = false;
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** The server's full status, for the menu and the training summary; undefined when it is not running. */
  async serverStatus(): Promise<StatusResult | undefined> {
    if (!this.client?.isRunning()) return undefined;
    return await this.client.sendRequest<StatusResult>(STATUS_METHOD, {});
  }

  /**
   * Asks the server for its status until it is no longer loading (or a newer start/change took over).
   * Right after start or a settings change the server may not have begun loading the configured
   * checkpoint yet and still reports no model or the previous one; such an answer is final only after
   * STALE_STATUS_GRACE_MS.
   */
  private async pollStatus(generation: number): Promise<void> {
    const started = Date.now();
    const expected = this.serverSettings().checkpoint;
    while (generation === this.generation && this.client) {
      try {
        const raw = await this.client.sendRequest(STATUS_METHOD, {});
        if (generation !== this.generation) return;
        const state = parseServerStatus(raw);
        const reported = (raw as Partial<StatusResult> | null)?.checkpoint ?? null;
        const stale = expected !== null && state.kind !== "loading" && (state.kind === "noCheckpoint" || reported !== expected);
        const early = Date.now() - started < STALE_STATUS_GRACE_MS;
        if (stale && early) {
          this.showServerState({ kind: "loading", detail: expected ?? undefined });
        } else if (state.kind === "noCheckpoint" && early) {
          // With no checkpoint set the server may be about to load its default model: keep asking a while.
          this.applyServerStatus(raw);
        } else if (this.applyServerStatus(raw) !== "loading") {
          return;
        }
      } catch (error) {
        if (generation === this.generation) this.fail(`the server did not answer ${STATUS_METHOD}: ${errorText(error)}`, false);
        return;
      }
      await sleep(STATUS_POLL_MS);
    }
  }

  /** Asks the server how its last completion went, for the status bar's note on a suggestion held back for low confidence. */
  private async checkHeldBack(): Promise<void> {
    const client = this.client;
    if (!client?.isRunning()) return;
    try {
      const raw = await client.sendRequest<Partial<StatusResult> | null>(STATUS_METHOD, {});
      if (this.client !== client) return;
      const threshold = this.settings(vscode.window.activeTextEditor?.document).minConfidence;
      this.statusBar.setHeldBack(heldBackText(raw?.lastCompletion, threshold));
    } catch (error) {
      this.output.appendLine(`Asking ${STATUS_METHOD} after an empty answer: ${errorText(error)}`);
    }
  }

  private applyServerStatus(raw: unknown): string {
    const state = parseServerStatus(raw);
    if (state.kind === "error") this.fail(state.message, false);
    else this.showServerState(state);
    return state.kind;
  }

  private showServerState(state: ServerState): void {
    this.serverState = state;
    if (state.kind !== "error") this.lastError = undefined;
    this.refreshStatus();
  }

  /** The status bar: an error first, then the client side (paused, off for this language), then the server's state. */
  refreshStatus(): void {
    const state = this.serverState;
    const document = vscode.window.activeTextEditor?.document;
    this.statusBar.setManual(this.settings(document).triggerMode === "manual");
    if (state.kind === "error") this.statusBar.show(state);
    else if (this.pausedUntil !== undefined) this.statusBar.show({ kind: "paused", until: new Date(this.pausedUntil) });
    else if (!this.settings(document).enable) this.statusBar.show({ kind: "disabled" });
    else this.statusBar.show(state);
  }

  fail(message: string, notify: boolean): void {
    this.lastError = message;
    this.output.appendLine(`Error: ${message}`);
    this.serverState = { kind: "error", message };
    this.refreshStatus();
    if (notify) void vscode.commands.executeCommand("charRnnCode.showErrorDetails");
  }

  get paused(): boolean {
    return this.pausedUntil !== undefined;
  }

  /** Automatic completions pause for `minutes` (explicit requests still work); undefined resumes now. */
  pause(minutes: number | undefined): void {
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = undefined;
    this.pausedUntil = minutes === undefined ? undefined : Date.now() + minutes * 60_000;
    if (minutes !== undefined) this.pauseTimer = setTimeout(() => this.pause(undefined), minutes * 60_000);
    this.refreshStatus();
  }

  saveStatistics(): Thenable<void> {
    return this.extension.globalState.update(STATISTICS_KEY, this.statistics.snapshot());
  }

  /** Where a setting's value now comes from, so that writing there is not hidden by a more specific value. */
  targetFor(key: string, scope?: vscode.ConfigurationScope): { target: vscode.ConfigurationTarget; inLanguage: boolean } {
    const inspected = vscode.workspace.getConfiguration(SECTION, scope).inspect(key);
    const T = vscode.ConfigurationTarget;
    if (inspected?.workspaceFolderLanguageValue !== undefined) return { target: T.WorkspaceFolder, inLanguage: true };
    if (inspected?.workspaceLanguageValue !== undefined) return { target: T.Workspace, inLanguage: true };
    if (inspected?.globalLanguageValue !== undefined) return { target: T.Global, inLanguage: true };
    if (inspected?.workspaceFolderValue !== undefined) return { target: T.WorkspaceFolder, inLanguage: false };
    if (inspected?.workspaceValue !== undefined) return { target: T.Workspace, inLanguage: false };
    return { target: T.Global, inLanguage: false };
  }

  /** Writes a setting where its value comes from (for `scope`'s language when it is overridden there). */
  async updateSetting(key: string, value: unknown, scope?: vscode.ConfigurationScope): Promise<void> {
    const { target, inLanguage } = this.targetFor(key, scope);
    await vscode.workspace.getConfiguration(SECTION, scope).update(key, value, target, inLanguage);
  }

  private async onConfigurationChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!e.affectsConfiguration(SECTION)) return;
    const affects = (section: string) => e.affectsConfiguration(section);
    const clientChanged = changedKeys(affects, CLIENT_KEYS);
    if (clientChanged.length) {
      this.output.appendLine(`Settings changed (${clientChanged.join(", ")}): applied by the extension.`);
      this.refreshStatus();
    }
    if (!this.started) {
      await this.startWhenNeeded();
      return;
    }
    if (changedKeys(affects, RESTART_KEYS).length) {
      this.output.appendLine("Settings changed that need a new server process: restarting.");
      await this.restart();
      return;
    }
    const changed = changedKeys(affects, SERVER_KEYS);
    const client = this.client;
    if (changed.length && client?.isRunning()) {
      const settings = this.serverSettings();
      this.output.appendLine(`Settings changed (${changed.join(", ")}): sent to the running server.`);
      await client.sendNotification(DidChangeConfigurationNotification.type, { settings });
      if (changed.includes("checkpoint")) this.showServerState({ kind: "loading", detail: settings.checkpoint ?? undefined });
      await this.pollStatus(++this.generation);
    }
  }

  /** The user trusts the workspace now: the running server may build its projects (trustedWorkspace). */
  private async onTrustGranted(): Promise<void> {
    const client = this.client;
    if (!client?.isRunning()) return; // a server started from now on is told at initialize
    this.output.appendLine("The workspace is trusted now: telling the server, which may now let MSBuild read its projects.");
    await client.sendNotification(DidChangeConfigurationNotification.type, { settings: this.serverSettings() });
  }

  dispose(): void {
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    for (const d of this.disposables) d.dispose();
    this.statusBar.dispose();
    this.output.dispose();
    this.trace.dispose();
  }
}
