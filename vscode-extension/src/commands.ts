// The extension's commands and the status-bar menu. Each command is a few lines over Ctx (lifecycle,
// settings, statistics) or one of VS Code's own inline-suggestion commands; training lives in
// training.ts. Nothing here talks to the server directly.
import * as vscode from "vscode";
import { ACCEPTED_COMMAND } from "./client";
import type { Ctx } from "./ctx";
import { formatSummary } from "./statistics";
import { MENU_COMMAND } from "./statusBar";
import { trainOnWorkspace } from "./training";

export const PAUSE_MINUTES = 30;

/** VS Code's own commands behind ours: the editor does the work, we count what it inserted. */
const EDITOR_TRIGGER = "editor.action.inlineSuggest.trigger";
const EDITOR_ACCEPT_WORD = "editor.action.inlineSuggest.acceptNextWord";
const EDITOR_ACCEPT_LINE = "editor.action.inlineSuggest.acceptNextLine";

export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  const command = (id: string, run: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, run);
  const activeDocument = () => vscode.window.activeTextEditor?.document;
  return [
    command(MENU_COMMAND, () => showMenu(ctx)),
    command("charRnnCode.restartServer", () => ctx.restart()),
    command("charRnnCode.chooseCheckpoint", () => chooseCheckpoint(ctx)),
    command("charRnnCode.toggleCompletions", () => ctx.updateSetting("enable", !ctx.settings(activeDocument()).enable, activeDocument())),
    command("charRnnCode.enableCompletions", () => ctx.updateSetting("enable", true, activeDocument())),
    command("charRnnCode.disableCompletions", () => ctx.updateSetting("enable", false, activeDocument())),
    command("charRnnCode.toggleTriggerMode", () => toggleTriggerMode(ctx)),
    command("charRnnCode.pauseCompletions", () => ctx.pause(PAUSE_MINUTES)),
    command("charRnnCode.resumeCompletions", () => ctx.pause(undefined)),
    command("charRnnCode.triggerCompletion", () => vscode.commands.executeCommand(EDITOR_TRIGGER)),
    command("charRnnCode.acceptNextWord", () => acceptPart(ctx, EDITOR_ACCEPT_WORD)),
    command("charRnnCode.acceptNextLine", () => acceptPart(ctx, EDITOR_ACCEPT_LINE)),
    command("charRnnCode.trainOnWorkspace", () => trainOnWorkspace(ctx)),
    command("charRnnCode.showOutput", () => ctx.output.show(true)),
    command("charRnnCode.showStatistics", () => showStatistics(ctx)),
    command("charRnnCode.resetStatistics", async () => {
      ctx.statistics.reset();
      await ctx.saveStatistics();
    }),
    command("charRnnCode.showErrorDetails", () => showErrorDetails(ctx)),
    command(ACCEPTED_COMMAND, (original, characters, confidence) =>
      onAccepted(ctx, original as vscode.Command | undefined, characters, confidence),
    ),
  ];
}

interface MenuItem extends vscode.QuickPickItem {
  run: () => unknown;
}

async function showMenu(ctx: Ctx): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  const settings = ctx.settings(document);
  const where = document && settings.languages.includes(document.languageId) ? `for ${document.languageId}` : undefined;
  const items: MenuItem[] = [];
  if (ctx.lastError)
    items.push({ label: "$(error) Show error details", description: ctx.lastError.slice(0, 80), run: () => showErrorDetails(ctx) });
  items.push(
    settings.enable
      ? { label: "$(circle-slash) Disable completions", description: where, run: () => ctx.updateSetting("enable", false, document) }
      : { label: "$(check) Enable completions", description: where, run: () => ctx.updateSetting("enable", true, document) },
    settings.triggerMode === "manual"
      ? { label: "$(zap) Switch to automatic mode", description: "ghost text as you type", run: () => toggleTriggerMode(ctx) }
      : { label: "$(keyboard) Switch to manual mode", description: "ghost text on Alt+\\ only", run: () => toggleTriggerMode(ctx) },
    ctx.paused
      ? { label: "$(debug-start) Resume completions", run: () => ctx.pause(undefined) }
      : {
          label: `$(debug-pause) Pause for ${PAUSE_MINUTES} minutes`,
          description: "Alt+\\ still asks",
          run: () => ctx.pause(PAUSE_MINUTES),
        },
    { label: "$(file) Choose checkpoint…", description: settings.checkpoint || undefined, run: () => chooseCheckpoint(ctx) },
    { label: "$(mortar-board) Train on this workspace…", description: "harvest, train, switch", run: () => trainOnWorkspace(ctx) },
    { label: "$(graph) Show statistics", run: () => showStatistics(ctx) },
    { label: "$(output) Show output", run: () => ctx.output.show(true) },
    { label: "$(debug-restart) Restart server", run: () => ctx.restart() },
  );
  const picked = await vscode.window.showQuickPick(items, { title: "CharRnnCode", placeHolder: "What should CharRnnCode do?" });
  await picked?.run();
}

/** Automatic <-> manual, where the mode is set (for the active file's language when it is overridden there). */
function toggleTriggerMode(ctx: Ctx): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  return ctx.updateSetting("triggerMode", ctx.settings(document).triggerMode === "manual" ? "automatic" : "manual", document);
}

/**
 * Accepts part of the visible ghost text with VS Code's own command and counts what it inserted. The
 * document change reaches the extension before the command's answer (one ordered channel), so when
 * the version moved, the listener has already seen the insertion.
 */
async function acceptPart(ctx: Ctx, editorCommand: string): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document) return;
  const version = document.version;
  let inserted = 0;
  const listener = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document !== document) return;
    for (const change of e.contentChanges) inserted += change.text.length - change.rangeLength;
  });
  try {
    await vscode.commands.executeCommand(editorCommand);
  } finally {
    listener.dispose();
  }
  if (document.version === version || inserted <= 0) return;
  ctx.statistics.recordPartialAccept(inserted);
  await ctx.saveStatistics();
}

async function onAccepted(ctx: Ctx, original: vscode.Command | undefined, characters: unknown, confidence: unknown): Promise<void> {
  ctx.statistics.recordAccepted(typeof characters === "number" ? characters : 0, typeof confidence === "number" ? confidence : undefined);
  await ctx.saveStatistics();
  if (original?.command) await vscode.commands.executeCommand(original.command, ...((original.arguments ?? []) as unknown[]));
}

async function showStatistics(ctx: Ctx): Promise<void> {
  const report = formatSummary(ctx.statistics.summary());
  ctx.output.appendLine(report);
  await vscode.window.showInformationMessage("CharRnnCode statistics", { modal: true, detail: report });
}

async function showErrorDetails(ctx: Ctx): Promise<void> {
  const message = ctx.lastError ?? "no error so far.";
  const choice = await vscode.window.showErrorMessage(
    message.startsWith("CharRnnCode") ? message : `CharRnnCode: ${message}`,
    "Open Settings",
    "Show Output",
    "Restart Server",
  );
  if (choice === "Open Settings") await vscode.commands.executeCommand("workbench.action.openSettings", "charRnnCode");
  else if (choice === "Show Output") ctx.output.show(true);
  else if (choice === "Restart Server") await ctx.restart();
}

async function chooseCheckpoint(ctx: Ctx): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    canSelectFolders: false,
    openLabel: "Use Checkpoint",
    title: "CharRnnCode: choose a model checkpoint (made by charrnn train)",
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  if (!picked?.length) return;
  await ctx.updateSetting("checkpoint", picked[0].fsPath);
}
