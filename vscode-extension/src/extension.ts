// The CharRnnCode extension: a thin client that finds charrnn-server, starts it over stdio with
// vscode-languageclient and lets the standard LSP inline-completion path turn its answers into ghost
// text. Around that it keeps settings in sync with the running server, a status-bar item, a few
// commands and local statistics. It deliberately generates nothing itself and registers no
// completion provider of its own: everything the user sees comes from the server.
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type Middleware,
  type ServerOptions,
  State,
  TransportKind,
} from "vscode-languageclient/node";
import { locateServer, SOURCE_LABELS } from "./serverLocator";
import { parseServerStatus, STATUS_METHOD } from "./serverStatus";
import {
  changedKeys,
  type ExtensionSettings,
  readSettings,
  RESTART_KEYS,
  SECTION,
  SERVER_KEYS,
  toServerSettings,
} from "./settings";
import { CompletionStatistics, formatSummary, type StatisticsSnapshot } from "./statistics";
import { StatusBar } from "./statusBar";
import { createTraceChannel } from "./traceChannel";

const STATISTICS_KEY = "charRnnCode.statistics";
const ACCEPTED_COMMAND = "charRnnCode.didAcceptCompletion";
/** How often the status is asked for while the server loads a model. */
const STATUS_POLL_MS = 400;
const NO_CHECKPOINT_GRACE_MS = 10_000;

let engine: Engine | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  engine = new Engine(context);
  context.subscriptions.push(engine);
  await engine.start();
}

export async function deactivate(): Promise<void> {
  await engine?.stop();
  engine = undefined;
}

class Engine implements vscode.Disposable {
  private readonly output: vscode.LogOutputChannel;
  private readonly trace: vscode.LogOutputChannel;
  private readonly statusBar = new StatusBar();
  private readonly statistics: CompletionStatistics;
  private client: LanguageClient | undefined;
  private lastError: string | undefined;
  private stopping = false;
  /** Bumped on every (re)start and settings change, so that an older status poll gives up. */
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel("CharRnnCode", { log: true });
    this.trace = createTraceChannel("CharRnnCode LSP Trace");
    this.statistics = new CompletionStatistics(context.globalState.get<StatisticsSnapshot>(STATISTICS_KEY));
    const command = (id: string, run: (...args: unknown[]) => unknown) =>
      this.disposables.push(vscode.commands.registerCommand(id, run));
    command("charRnnCode.restartServer", () => this.restart());
    command("charRnnCode.chooseCheckpoint", () => this.chooseCheckpoint());
    command("charRnnCode.toggleCompletions", () => this.setEnabled(!this.settings().enable));
    command("charRnnCode.enableCompletions", () => this.setEnabled(true));
    command("charRnnCode.disableCompletions", () => this.setEnabled(false));
    command("charRnnCode.showOutput", () => this.output.show(true));
    command("charRnnCode.showStatistics", () => this.showStatistics());
    command("charRnnCode.resetStatistics", () => this.resetStatistics());
    command("charRnnCode.showErrorDetails", () => this.showErrorDetails());
    command(ACCEPTED_COMMAND, (original) => this.onAccepted(original));
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)));
  }

  private settings(): ExtensionSettings {
    const configuration = vscode.workspace.getConfiguration(SECTION);
    return readSettings((key, defaultValue) => configuration.get(key, defaultValue));
  }

  private workspaceFolder(): string | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  }

  async start(): Promise<void> {
    const generation = ++this.generation;
    this.lastError = undefined;
    this.statusBar.show({ kind: "starting" });
    const settings = this.settings();
    const located = await locateServer({
      settingPath: settings.serverPath,
      env: process.env,
      extensionPath: this.context.extensionPath,
      workspaceFolder: this.workspaceFolder(),
    });
    for (const r of located.rejected) {
      this.output.appendLine(`Skipped ${SOURCE_LABELS[r.candidate.source]} ${r.candidate.path}: ${r.reason}`);
    }
    if (!located.found) {
      this.fail(located.message, true);
      return;
    }
    const configuredButBroken = located.rejected.filter((r) => r.candidate.source === "setting" || r.candidate.source === "environment");
    if (configuredButBroken.length) {
      const r = configuredButBroken[0];
      void vscode.window.showWarningMessage(
        `CharRnnCode: the ${SOURCE_LABELS[r.candidate.source]} (${r.candidate.path}) does not work (${r.reason}); using ${located.candidate.path} instead.`,
      );
    }
    this.output.appendLine(`Starting ${located.version} (${SOURCE_LABELS[located.candidate.source]}): ${located.candidate.path}`);

    const serverOptions: ServerOptions = { command: located.candidate.path, args: [], transport: TransportKind.stdio };
    const clientOptions: LanguageClientOptions = {
      documentSelector: settings.languages.flatMap((language) => [
        { language, scheme: "file" },
        { language, scheme: "untitled" },
      ]),
      initializationOptions: toServerSettings(settings, this.workspaceFolder()),
      outputChannel: this.output,
      traceOutputChannel: this.trace,
      middleware: this.middleware(),
    };
    // The id "charRnnCode" makes the client read charRnnCode.trace.server and follow its changes.
    const client = new LanguageClient("charRnnCode", "CharRnnCode", serverOptions, clientOptions);
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

  /**
   * Asks the server for its status until it is no longer loading (or a newer start/change took over).
   * Right after start or a change the server may not have begun loading the configured checkpoint yet
   * and still says "noCheckpoint"; that answer is final only after NO_CHECKPOINT_GRACE_MS.
   */
  private async pollStatus(generation: number): Promise<void> {
    const started = Date.now();
    const expectingModel = toServerSettings(this.settings(), this.workspaceFolder()).checkpoint !== null;
    while (generation === this.generation && this.client) {
      try {
        const raw = await this.client.sendRequest(STATUS_METHOD, {});
        if (generation !== this.generation) return;
        const state = parseServerStatus(raw);
        if (state.kind === "noCheckpoint" && expectingModel && Date.now() - started < NO_CHECKPOINT_GRACE_MS) {
          this.statusBar.show({ kind: "loading" });
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

  private applyServerStatus(raw: unknown): string {
    const state = parseServerStatus(raw);
    if (state.kind === "error") {
      this.fail(state.message, false);
    } else if (!this.settings().enable) {
      this.statusBar.show({ kind: "disabled" });
    } else {
      this.lastError = undefined;
      this.statusBar.show(state);
    }
    return state.kind;
  }

  private fail(message: string, notify: boolean): void {
    this.lastError = message;
    this.output.appendLine(`Error: ${message}`);
    this.statusBar.show({ kind: "error", message });
    if (notify) void this.showErrorDetails();
  }

  private async showErrorDetails(): Promise<void> {
    const message = this.lastError ?? "no error so far.";
    const choice = await vscode.window.showErrorMessage(
      message.startsWith("CharRnnCode") ? message : `CharRnnCode: ${message}`,
      "Open Settings",
      "Show Output",
      "Restart Server",
    );
    if (choice === "Open Settings") await vscode.commands.executeCommand("workbench.action.openSettings", SECTION);
    else if (choice === "Show Output") this.output.show(true);
    else if (choice === "Restart Server") await this.restart();
  }

  private middleware(): Middleware {
    return {
      provideInlineCompletionItems: async (document, position, context, token, next) => {
        const settings = this.settings();
        if (!settings.enable) return undefined;
        // Wait for typing to pause; a keystroke in the meantime cancels this request.
        if (settings.debounceMs > 0 && context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic) {
          await sleep(settings.debounceMs);
          if (token.isCancellationRequested) return undefined;
        }
        const started = performance.now();
        const result = await next(document, position, context, token);
        const latencyMs = performance.now() - started;
        if (token.isCancellationRequested || !result) return result;
        const items = Array.isArray(result) ? result : result.items;
        for (const item of items) {
          // Runs after the editor inserted the item; the server's own command, if any, still runs.
          item.command = { title: "", command: ACCEPTED_COMMAND, arguments: [item.command] };
        }
        this.statistics.recordResponse(latencyMs, items.length);
        void this.saveStatistics();
        const state = this.statusBar.state;
        if (state.kind === "ready") this.statusBar.show({ kind: "ready", model: state.model, latencyMs });
        return result;
      },
    };
  }

  private async onAccepted(original: unknown): Promise<void> {
    this.statistics.recordAccepted();
    await this.saveStatistics();
    const command = original as vscode.Command | undefined;
    if (command?.command) await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
  }

  private saveStatistics(): Thenable<void> {
    return this.context.globalState.update(STATISTICS_KEY, this.statistics.snapshot());
  }

  private async showStatistics(): Promise<void> {
    const report = formatSummary(this.statistics.summary());
    this.output.appendLine(report);
    await vscode.window.showInformationMessage("CharRnnCode statistics", { modal: true, detail: report });
  }

  private async resetStatistics(): Promise<void> {
    this.statistics.reset();
    await this.saveStatistics();
  }

  private async chooseCheckpoint(): Promise<void> {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      canSelectFolders: false,
      openLabel: "Use Checkpoint",
      title: "CharRnnCode: choose a model checkpoint (made by charrnn train)",
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    if (!picked?.length) return;
    await vscode.workspace.getConfiguration(SECTION).update("checkpoint", picked[0].fsPath, this.targetFor("checkpoint"));
  }

  private async setEnabled(enable: boolean): Promise<void> {
    await vscode.workspace.getConfiguration(SECTION).update("enable", enable, this.targetFor("enable"));
  }

  /** Writes where the value now comes from, so that a workspace value does not hide the change. */
  private targetFor(key: string): vscode.ConfigurationTarget {
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect(key);
    if (inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
    if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
    return vscode.ConfigurationTarget.Global;
  }

  private async onConfigurationChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!e.affectsConfiguration(SECTION)) return;
    const affects = (section: string) => e.affectsConfiguration(section);
    if (changedKeys(affects, RESTART_KEYS).length) {
      this.output.appendLine("Settings changed that need a new server process: restarting.");
      await this.restart();
      return;
    }
    const changed = changedKeys(affects, SERVER_KEYS);
    const client = this.client;
    if (changed.length && client?.isRunning()) {
      const settings = toServerSettings(this.settings(), this.workspaceFolder());
      this.output.appendLine(`Settings changed (${changed.join(", ")}): sent to the running server.`);
      await client.sendNotification(DidChangeConfigurationNotification.type, { settings });
      if (changed.includes("checkpoint")) {
        this.statusBar.show({ kind: "loading", detail: settings.checkpoint ?? undefined });
      }
      await this.pollStatus(++this.generation);
    } else if (e.affectsConfiguration(`${SECTION}.enable`) && client?.isRunning()) {
      await this.pollStatus(++this.generation);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.statusBar.dispose();
    this.output.dispose();
    this.trace.dispose();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
