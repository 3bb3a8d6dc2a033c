// The CharRnnCode extension's entry point: a thin client for charrnn-server (see ctx.ts for the
// lifecycle, client.ts for the LanguageClient, commands.ts for the commands and the status-bar menu,
// training.ts for "Train on this workspace"). The standard LSP inline-completion path turns the
// server's answers into ghost text; the extension generates nothing itself.
import * as vscode from "vscode";
import { registerCommands } from "./commands";
import { Ctx } from "./ctx";

/** A context key the keybindings read: the language ids that get completions (charRnnCode.languages). */
const LANGUAGES_CONTEXT = "charRnnCode.languages";

let ctx: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  ctx = new Ctx(context);
  context.subscriptions.push(ctx, ...registerCommands(ctx));
  const publishLanguages = () => vscode.commands.executeCommand("setContext", LANGUAGES_CONTEXT, ctx?.settings().languages ?? []);
  await publishLanguages();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration("charRnnCode.languages") && void publishLanguages()),
  );
  // Activation comes at startup or with a document of a configured language; the server starts with the first such document.
  await ctx.startWhenNeeded();
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
