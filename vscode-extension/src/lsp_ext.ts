// A typed mirror of charrnn-server's own protocol, beside the standard LSP: the `charRnn/status` request
// (server/CharRnnCode.Server/Features/Status/StatusHandler.cs), the `data` the server puts on its
// inline-completion items, and the mapping of both to what the status bar and the statistics use. The
// mapping is pure, so it is tested without an editor, and tolerant of fields it does not know or an
// older server does not send. It sends nothing itself (ctx.ts and client.ts ask).

export const STATUS_METHOD = "charRnn/status";

/** The server's answer to `charRnn/status` (camelCase JSON of StatusResult). */
export interface StatusResult {
  state: "noCheckpoint" | "loading" | "ready" | "failed";
  checkpoint: string | null;
  /** "lstm 2x256, step 1200, val 1.83 bpc" when a model is loaded. */
  model: string | null;
  device: string;
  error: string | null;
  roslynReady: boolean;
  openDocuments: number;
  latency: LatencySummary;
  lastCompletion: CompletionTrace | null;
  cache: PrefixCacheStatistics;
  managedMemoryBytes: number;
  /** The model is the default one that ships with the server: no checkpoint is configured. */
  defaultModel: boolean;
  /** Metadata references Roslyn's compilation has: the .NET reference assemblies and the projects' packages. */
  roslynReferences: number;
  /** The workspace's files and its projects' references are loaded (true too when loadWorkspace is off). */
  workspaceLoaded: boolean;
  /** The workspace cache (the workspaceCache setting): segments, characters counted, bytes held, files and edits not yet counted. */
  workspaceCache?: WorkspaceCacheStatus;
}

export interface WorkspaceCacheStatus {
  segments: number;
  characters: number;
  approximateBytes: number;
  pending: number;
}

export interface LatencySummary {
  count: number;
  lastMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface RankedCandidate {
  text: string;
  logProbabilityPerChar: number;
  syntaxErrorsIntroduced: number;
  undefinedIdentifiers: string[];
  score: number;
}

/** How the last completion was made (CompletionPipeline.CompletionTrace). */
export interface CompletionTrace {
  totalMs: number;
  encodeMs: number;
  encodedChars: number;
  modelMs: number;
  roslynMs: number;
  generated: number;
  kept: number;
  budgetExpired: boolean;
  budgetExtended: boolean;
  reranked: boolean;
  declined: string | null;
  ranked: RankedCandidate[];
  /** The best candidate's confidence (0 to 1); null when nothing was generated, undefined from a server that predates it. */
  confidence?: number | null;
  /** An automatic request was answered empty because the confidence was below minConfidence (declined says by how much). */
  heldBack?: boolean;
}

/** The `data` of each `textDocument/inlineCompletion` item; an older server sends none. */
export interface InlineCompletionItemData {
  /** How sure the model is of the item's text, 0 to 1. */
  confidence: number;
}

/** An item's confidence, or undefined when its `data` has none (an older server) or a value outside 0 to 1. */
export function itemConfidence(data: unknown): number | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const confidence = (data as Partial<InlineCompletionItemData>).confidence;
  return typeof confidence === "number" && Number.isFinite(confidence) && confidence >= 0 && confidence <= 1 ? confidence : undefined;
}

/**
 * The status bar's line for a request the server held back for low confidence, or undefined when the
 * last request was not held back. The threshold comes from the server's `declined` text ("low confidence
 * (0.31 < 0.50)"), which names the one it applied; `threshold` (what the extension sent) stands in where
 * that text says none.
 */
export function heldBackText(trace: unknown, threshold?: number): string | undefined {
  if (typeof trace !== "object" || trace === null) return undefined;
  const t = trace as Partial<Record<keyof CompletionTrace, unknown>>;
  if (t.heldBack !== true) return undefined;
  const declined = typeof t.declined === "string" ? t.declined : "";
  const stated = /<\s*([0-9]*\.?[0-9]+)/.exec(declined);
  const below = stated ? Number(stated[1]) : threshold;
  const confidence = typeof t.confidence === "number" && Number.isFinite(t.confidence) ? t.confidence : undefined;
  if (confidence === undefined) return declined ? `Last suggestion held back: ${declined}` : "Last suggestion held back: low confidence";
  return below === undefined
    ? `Last suggestion held back: confidence ${confidence.toFixed(2)}`
    : `Last suggestion held back: confidence ${confidence.toFixed(2)} below ${below.toFixed(2)}`;
}

export interface PrefixCacheStatistics {
  documents: number;
  states: number;
  hits: number;
  misses: number;
  charactersEncoded: number;
  charactersEncodedAhead: number;
}

export type ServerState =
  | { kind: "loading"; detail?: string }
  | { kind: "ready"; model: string; defaultModel?: true }
  | { kind: "noCheckpoint" }
  | { kind: "error"; message: string };

export function parseServerStatus(raw: unknown): ServerState {
  if (typeof raw !== "object" || raw === null) return { kind: "error", message: "the server sent no status" };
  const r = raw as Partial<Record<keyof StatusResult, unknown>> & Record<string, unknown>;
  const state = typeof r.state === "string" ? r.state.toLowerCase() : "";
  const text = (x: unknown) => (typeof x === "string" && x.trim() ? x.trim() : undefined);
  switch (state) {
    case "ready": {
      const model = text(r.model) ?? text(r.description) ?? text(r.checkpoint) ?? "model";
      return r.defaultModel === true
        ? { kind: "ready", model: defaultModelName(model), defaultModel: true }
        : { kind: "ready", model: shortModelName(model) };
    }
    case "loading":
    case "starting":
      return { kind: "loading", detail: text(r.checkpoint) };
    case "nocheckpoint":
    case "no-checkpoint":
    case "idle":
      return { kind: "noCheckpoint" };
    case "failed":
    case "error":
      return { kind: "error", message: text(r.error) ?? text(r.message) ?? "the server could not load the model" };
    default:
      return { kind: "error", message: `the server sent an unknown status ${JSON.stringify(r.state)}` };
  }
}

/** "default model (lstm 2x256)": the default model by its shape alone (its step and loss say nothing to someone who did not train it). */
export function defaultModelName(description: string): string {
  const shape = description.split(",")[0].trim();
  return shape ? `default model (${shortModelName(shape)})` : "default model";
}

/** The status bar has little room: keep the file name of a path, cut long descriptions. */
export function shortModelName(model: string): string {
  const base = model.split(/[\\/]/).pop() ?? model;
  return base.length > 40 ? `${base.slice(0, 39)}…` : base;
}
