// Builds the LanguageClient for charrnn-server: stdio transport, the document selector from
// charRnnCode.languages, the server settings as initializationOptions, and one middleware on the
// standard textDocument/inlineCompletion path that decides whether to ask at all (trigger mode, enable,
// pause), waits for typing to pause, and tags each item so that its acceptance is counted. It does not
// start the client or keep state (ctx.ts does); it registers no completion provider of its own.
import * as vscode from "vscode";
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from "vscode-languageclient/node";
import { type ExtensionSettings, toServerSettings } from "./config";

/** Run by the editor after it inserted an item (Tab); carries the item's own command, if any, and its length. */
export const ACCEPTED_COMMAND = "charRnnCode.didAcceptCompletion";

export interface CompletionHooks {
  /** Whether this request goes to the server: explicit requests always, automatic ones by the settings. */
  shouldAsk(document: vscode.TextDocument, explicit: boolean): boolean;
  debounceMs(): number;
  onAnswered(latencyMs: number, itemCount: number): void;
}

export interface ClientInputs {
  serverPath: string;
  settings: ExtensionSettings;
  workspaceFolder: string | undefined;
  /** vscode.workspace.isTrusted when the client starts; a later grant is sent as a settings change (ctx.ts). */
  trusted: boolean;
  output: vscode.LogOutputChannel;
  trace: vscode.LogOutputChannel;
  hooks: CompletionHooks;
}

export function createClient(inputs: ClientInputs): LanguageClient {
  const serverOptions: ServerOptions = { command: inputs.serverPath, args: [], transport: TransportKind.stdio };
  const { hooks } = inputs;
  const clientOptions: LanguageClientOptions = {
    documentSelector: inputs.settings.languages.flatMap((language) => [
      { language, scheme: "file" },
      { language, scheme: "untitled" },
    ]),
    // trustedWorkspace among them: only then may the server let MSBuild build the workspace's projects.
    initializationOptions: toServerSettings(inputs.settings, inputs.workspaceFolder, inputs.trusted),
    // C# files changed on disk (git, builds, other editors) reach the server's Roslyn as didChangeWatchedFiles.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.cs") },
    outputChannel: inputs.output,
    traceOutputChannel: inputs.trace,
    middleware: {
      provideInlineCompletionItems: async (document, position, context, token, next) => {
        const explicit = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
        if (!hooks.shouldAsk(document, explicit)) return undefined;
        // Wait for typing to pause; a keystroke in the meantime cancels this request.
        const debounceMs = hooks.debounceMs();
        if (debounceMs > 0 && !explicit) {
          await sleep(debounceMs);
          if (token.isCancellationRequested) return undefined;
        }
        const started = performance.now();
        const result = await next(document, position, context, token);
        const latencyMs = performance.now() - started;
        if (token.isCancellationRequested || !result) return result;
        const items = Array.isArray(result) ? result : result.items;
        for (const item of items) {
          const text = typeof item.insertText === "string" ? item.insertText : item.insertText.value;
          // Runs after the editor inserted the item; the server's own command, if any, still runs.
          item.command = { title: "", command: ACCEPTED_COMMAND, arguments: [item.command, text.length] };
        }
        hooks.onAnswered(latencyMs, items.length);
        return result;
      },
    },
  };
  // The id "charRnnCode" makes the client read charRnnCode.trace.server and follow its changes.
  return new LanguageClient("charRnnCode", "CharRnnCode", serverOptions, clientOptions);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
