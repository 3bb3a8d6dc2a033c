// Builds the LanguageClient for charrnn-server: stdio transport, the document selector from
// charRnnCode.languages, the server settings as initializationOptions, and one middleware on the
// standard textDocument/inlineCompletion path that decides whether to ask at all (trigger mode, enable,
// pause), waits for typing to pause, and tags each item with its confidence so that its acceptance is
// counted. It does not start the client or keep state (ctx.ts does); it registers no completion
// provider of its own.
import * as vscode from "vscode";
import {
  InlineCompletionRequest,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";
import type { ExtensionSettings, ServerSettings } from "./config";
import { itemConfidence } from "./lsp_ext";

/** Run by the editor after it inserted an item (Tab); carries the item's own command, if any, its length and its confidence. */
export const ACCEPTED_COMMAND = "charRnnCode.didAcceptCompletion";

export interface Answer {
  latencyMs: number;
  itemCount: number;
  explicit: boolean;
  /** The first item's confidence (the one the editor shows); undefined without items or from an older server. */
  confidence: number | undefined;
}

export interface CompletionHooks {
  /** Whether this request goes to the server: explicit requests always, automatic ones by the settings. */
  shouldAsk(document: vscode.TextDocument, explicit: boolean): boolean;
  debounceMs(): number;
  onAnswered(answer: Answer): void;
}

export interface ClientInputs {
  serverPath: string;
  /** For the document selector (charRnnCode.languages). */
  settings: ExtensionSettings;
  /** Sent as initializationOptions; ctx.ts builds them (workspace trust, the checkpoint resolved, each language's minConfidence). */
  serverSettings: ServerSettings;
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
    initializationOptions: inputs.serverSettings,
    // C# files changed on disk (git, builds, other editors) reach the server's Roslyn as didChangeWatchedFiles.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.cs") },
    outputChannel: inputs.output,
    traceOutputChannel: inputs.trace,
    middleware: {
      provideInlineCompletionItems: async (document, position, context, token) => {
        const explicit = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
        if (!hooks.shouldAsk(document, explicit)) return undefined;
        // Wait for typing to pause; a keystroke in the meantime cancels this request.
        const debounceMs = hooks.debounceMs();
        if (debounceMs > 0 && !explicit) {
          await sleep(debounceMs);
          if (token.isCancellationRequested) return undefined;
        }
        const started = performance.now();
        const answer = await requestInlineCompletions(client, document, position, context, token);
        const latencyMs = performance.now() - started;
        if (token.isCancellationRequested || !answer) return undefined;
        const items = Array.isArray(answer.result) ? answer.result : answer.result.items;
        items.forEach((item, i) => {
          const text = typeof item.insertText === "string" ? item.insertText : item.insertText.value;
          // Runs after the editor inserted the item; the server's own command, if any, still runs.
          item.command = { title: "", command: ACCEPTED_COMMAND, arguments: [item.command, text.length, answer.confidences[i]] };
        });
        hooks.onAnswered({ latencyMs, itemCount: items.length, explicit, confidence: answer.confidences[0] });
        return answer.result;
      },
    },
  };
  // The id "charRnnCode" makes the client read charRnnCode.trace.server and follow its changes.
  const client = new LanguageClient("charRnnCode", "CharRnnCode", serverOptions, clientOptions);
  return client;
}

/**
 * The request the client's own inline-completion feature sends (the middleware's `next`), made here
 * because its conversion to the editor's items drops each item's `data`, where the server puts the
 * confidence. The conversion keeps the items' order, so confidences[i] belongs to the i-th item.
 */
async function requestInlineCompletions(
  client: LanguageClient,
  document: vscode.TextDocument,
  position: vscode.Position,
  context: vscode.InlineCompletionContext,
  token: vscode.CancellationToken,
): Promise<{ result: vscode.InlineCompletionList | vscode.InlineCompletionItem[]; confidences: (number | undefined)[] } | undefined> {
  let raw;
  try {
    raw = await client.sendRequest(
      InlineCompletionRequest.type,
      client.code2ProtocolConverter.asInlineCompletionParams(document, position, context),
      token,
    );
  } catch (error) {
    return client.handleFailedRequest(InlineCompletionRequest.type, token, error, undefined);
  }
  if (token.isCancellationRequested || !raw) return undefined;
  const rawItems: unknown[] = Array.isArray(raw) ? raw : raw.items;
  const result = await client.protocol2CodeConverter.asInlineCompletionResult(raw, token);
  if (!result) return undefined;
  return { result, confidences: rawItems.map((item) => itemConfidence((item as { data?: unknown }).data)) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
