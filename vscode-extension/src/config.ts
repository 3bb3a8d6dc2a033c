// Reads the extension's settings and maps them to what charrnn-server takes (initializationOptions and
// workspace/didChangeConfiguration). Pure: the editor's configuration is passed in as a getter, so the
// mapping is tested without an editor. Does not decide when to send them (ctx.ts does). The ranges here
// are the server's (server/CharRnnCode.Server/Features/Configuration/ServerSettings.cs) and package.json's.
import { resolveUserPath } from "./bootstrap";

export const SECTION = "charRnnCode";

export type TriggerMode = "automatic" | "manual";
export type Device = "cpu" | "cuda" | "auto";

export interface ExtensionSettings {
  /** Automatic ghost text on or off; language-overridable. An explicit request (Alt+\) is answered either way. */
  enable: boolean;
  triggerMode: TriggerMode;
  serverPath: string;
  cliPath: string;
  checkpoint: string;
  temperature: number;
  topP: number;
  candidates: number;
  maxChars: number;
  maxLines: number;
  timeBudgetMs: number;
  invokedItems: number;
  /** null: a fresh seed per request. */
  seed: number | null;
  device: Device;
  /** null: one per CPU (the server's default). */
  threads: number | null;
  encodeAhead: boolean;
  workspaceCache: boolean;
  dynamicEvaluation: boolean;
  typeThrough: boolean;
  constrain: boolean;
  constrainWaitMs: number;
  loadWorkspace: boolean;
  debounceMs: number;
  rerank: boolean;
  /** Automatic ghost text only from this confidence (0 to 1) up; language-overridable. Explicit requests always get the best there is. */
  minConfidence: number;
  languages: string[];
  trainPreset: string;
  trainMinutes: number;
}

/** The settings charrnn-server understands, with the names it uses (the same as the extension's). */
export type ServerSettings = Pick<
  ExtensionSettings,
  | "temperature"
  | "topP"
  | "candidates"
  | "maxChars"
  | "maxLines"
  | "rerank"
  | "timeBudgetMs"
  | "invokedItems"
  | "seed"
  | "device"
  | "threads"
  | "encodeAhead"
  | "workspaceCache"
  | "dynamicEvaluation"
  | "typeThrough"
  | "constrain"
  | "constrainWaitMs"
  | "loadWorkspace"
  | "minConfidence"
> & {
  /** Resolved to an absolute path; null: none. */
  checkpoint: string | null;
  /** VS Code trusts the workspace: only then may the server let MSBuild build its projects (which runs their targets). */
  trustedWorkspace: boolean;
  /** minConfidence as set for each language served (its override, else the general value), for the server to pick by document. */
  minConfidenceByLanguage: Record<string, number>;
  /** The command-line tool dynamic evaluation runs (absolute); null: charrnn on PATH. */
  cliPath: string | null;
};

export type SettingGetter = <T>(key: string, defaultValue: T) => T;

export const DEFAULTS: ExtensionSettings = {
  enable: true,
  triggerMode: "automatic",
  serverPath: "",
  cliPath: "",
  checkpoint: "",
  temperature: 0.3,
  topP: 0.95,
  candidates: 8,
  maxChars: 100,
  maxLines: 4,
  timeBudgetMs: 120,
  invokedItems: 3,
  seed: null,
  device: "cpu",
  threads: null,
  encodeAhead: true,
  workspaceCache: true,
  dynamicEvaluation: false,
  typeThrough: true,
  constrain: true,
  constrainWaitMs: 50,
  loadWorkspace: true,
  debounceMs: 75,
  rerank: true,
  minConfidence: 0.75,
  languages: ["csharp"],
  trainPreset: "small-cpu",
  trainMinutes: 10,
};

/** Keys (under charRnnCode.) whose change must reach the running server. */
export const SERVER_KEYS = [
  "checkpoint",
  "temperature",
  "topP",
  "candidates",
  "maxChars",
  "maxLines",
  "rerank",
  "timeBudgetMs",
  "invokedItems",
  "seed",
  "device",
  "threads",
  "encodeAhead",
  "workspaceCache",
  "dynamicEvaluation",
  "cli.path",
  "typeThrough",
  "constrain",
  "constrainWaitMs",
  "loadWorkspace",
  "minConfidence",
] as const;
/** Keys whose change needs a new server process or a new client. */
export const RESTART_KEYS = ["server.path", "languages"] as const;
/** Keys that change only what the extension does (the status bar shows them). */
export const CLIENT_KEYS = ["enable", "triggerMode"] as const;

function clamp(value: unknown, min: number, max: number, fallback: number, integer: boolean): number {
  let n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) return fallback;
  if (integer) n = Math.round(n);
  return Math.min(max, Math.max(min, n));
}

/** A whole number in range, or null for "unset" (null, "" or a value that is not a number). */
function optionalInteger(value: unknown, min: number, max: number): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? clamp(n, min, max, min, true) : null;
}

/** A path setting as text: a number or boolean is kept as written, anything else not a string (null, an object, a list) gives "". */
function pathText(value: unknown): string {
  if (typeof value === "string") return value;
  return typeof value === "number" || typeof value === "boolean" ? String(value) : "";
}

/** A confidence threshold in 0..1; a value that is not a number gives `fallback`. */
function readConfidence(value: unknown, fallback: number): number {
  return clamp(value, 0, 1, fallback, false);
}

/**
 * minConfidence for each language: `valueFor(languageId)` is the setting as it applies to that language
 * (workspace.getConfiguration with { languageId }); a mistyped value gives the general one.
 */
export function minConfidenceByLanguage(
  languages: readonly string[],
  valueFor: (languageId: string) => unknown,
  general: number,
): Record<string, number> {
  const byLanguage: Record<string, number> = {};
  for (const languageId of languages) byLanguage[languageId] = readConfidence(valueFor(languageId), general);
  return byLanguage;
}

/** Reads every setting, replacing out-of-range or mistyped values (settings.json is hand-edited) by bounds or defaults. */
export function readSettings(get: SettingGetter): ExtensionSettings {
  const languages = get<unknown>("languages", DEFAULTS.languages);
  const device = get<unknown>("device", DEFAULTS.device);
  const preset = get<unknown>("train.preset", DEFAULTS.trainPreset);
  return {
    enable: get<unknown>("enable", DEFAULTS.enable) !== false,
    triggerMode: get<unknown>("triggerMode", DEFAULTS.triggerMode) === "manual" ? "manual" : "automatic",
    serverPath: pathText(get<unknown>("server.path", "")),
    cliPath: pathText(get<unknown>("cli.path", "")),
    checkpoint: pathText(get<unknown>("checkpoint", "")),
    temperature: clamp(get("temperature", DEFAULTS.temperature), 0, 2, DEFAULTS.temperature, false),
    topP: clamp(get("topP", DEFAULTS.topP), 0.01, 1, DEFAULTS.topP, false),
    candidates: clamp(get("candidates", DEFAULTS.candidates), 1, 32, DEFAULTS.candidates, true),
    maxChars: clamp(get("maxChars", DEFAULTS.maxChars), 1, 1000, DEFAULTS.maxChars, true),
    maxLines: clamp(get("maxLines", DEFAULTS.maxLines), 1, 50, DEFAULTS.maxLines, true),
    timeBudgetMs: clamp(get("timeBudgetMs", DEFAULTS.timeBudgetMs), 0, 10_000, DEFAULTS.timeBudgetMs, true),
    invokedItems: clamp(get("invokedItems", DEFAULTS.invokedItems), 1, 32, DEFAULTS.invokedItems, true),
    seed: optionalInteger(get<unknown>("seed", null), Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    device: device === "cuda" || device === "auto" ? device : "cpu",
    threads: optionalInteger(get<unknown>("threads", null), 1, 256),
    encodeAhead: get<unknown>("encodeAhead", DEFAULTS.encodeAhead) !== false,
    workspaceCache: get<unknown>("workspaceCache", DEFAULTS.workspaceCache) !== false,
    dynamicEvaluation: get<unknown>("dynamicEvaluation", DEFAULTS.dynamicEvaluation) === true,
    typeThrough: get<unknown>("typeThrough", DEFAULTS.typeThrough) !== false,
    constrain: get<unknown>("constrain", DEFAULTS.constrain) !== false,
    constrainWaitMs: clamp(get("constrainWaitMs", DEFAULTS.constrainWaitMs), 0, 10_000, DEFAULTS.constrainWaitMs, true),
    loadWorkspace: get<unknown>("loadWorkspace", DEFAULTS.loadWorkspace) !== false,
    debounceMs: clamp(get("debounceMs", DEFAULTS.debounceMs), 0, 2000, DEFAULTS.debounceMs, true),
    rerank: get<unknown>("rerank", DEFAULTS.rerank) !== false,
    minConfidence: readConfidence(get<unknown>("minConfidence", DEFAULTS.minConfidence), DEFAULTS.minConfidence),
    languages: Array.isArray(languages)
      ? languages.filter((l): l is string => typeof l === "string" && l.trim() !== "").map((l) => l.trim())
      : DEFAULTS.languages,
    trainPreset: typeof preset === "string" && preset.trim() ? preset.trim() : DEFAULTS.trainPreset,
    trainMinutes: clamp(get("train.minutes", DEFAULTS.trainMinutes), 1, 24 * 60, DEFAULTS.trainMinutes, false),
  };
}

/**
 * What the server receives. A relative checkpoint path is resolved against the workspace folder only when
 * the workspace is trusted; in an untrusted one it is sent as it is and the server reports it missing.
 * `byLanguage` is minConfidenceByLanguage's answer: the settings of one scope cannot hold every language's value.
 */
export function toServerSettings(
  settings: ExtensionSettings,
  workspaceFolder: string | undefined,
  trusted: boolean,
  byLanguage: Readonly<Record<string, number>>,
): ServerSettings {
  const checkpoint = settings.checkpoint.trim();
  return {
    trustedWorkspace: trusted,
    checkpoint: checkpoint ? resolveUserPath(checkpoint, trusted ? workspaceFolder : undefined) : null,
    temperature: settings.temperature,
    topP: settings.topP,
    candidates: settings.candidates,
    maxChars: settings.maxChars,
    maxLines: settings.maxLines,
    rerank: settings.rerank,
    timeBudgetMs: settings.timeBudgetMs,
    invokedItems: settings.invokedItems,
    seed: settings.seed,
    device: settings.device,
    threads: settings.threads,
    encodeAhead: settings.encodeAhead,
    workspaceCache: settings.workspaceCache,
    dynamicEvaluation: settings.dynamicEvaluation,
    typeThrough: settings.typeThrough,
    constrain: settings.constrain,
    constrainWaitMs: settings.constrainWaitMs,
    loadWorkspace: settings.loadWorkspace,
    minConfidence: settings.minConfidence,
    minConfidenceByLanguage: { ...byLanguage },
    cliPath: settings.cliPath.trim() ? settings.cliPath.trim() : null,
  };
}

/**
 * Settings that name a program to run, a checkpoint to load or a project load: package.json declares them
 * in capabilities.untrustedWorkspaces.restrictedConfigurations, so that VS Code ignores a workspace's
 * values of them until the user trusts the workspace.
 */
export const RESTRICTED_KEYS = ["server.path", "cli.path", "checkpoint", "loadWorkspace", "train.preset", "dynamicEvaluation"] as const;

/** What a configuration.inspect(key) answers, as far as the untrusted case needs it. */
export interface InspectedSetting<T> {
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/**
 * The value of a setting that names an executable: in a trusted workspace the effective one, in an
 * untrusted one only the user's own (global) value, never one the workspace's .vscode/settings.json set.
 * VS Code already ignores restricted settings there; this holds even where an editor does not.
 */
export function executableSetting(effective: string, inspected: InspectedSetting<unknown> | undefined, trusted: boolean): string {
  if (trusted) return effective;
  const user = inspected?.globalValue;
  return typeof user === "string" ? user : "";
}

/** Which of the keys changed, given a predicate like ConfigurationChangeEvent.affectsConfiguration. */
export function changedKeys(affects: (section: string) => boolean, keys: readonly string[]): string[] {
  return keys.filter((key) => affects(`${SECTION}.${key}`));
}

/**
 * Whether a request reaches the server: an explicit one (the user asked, with Alt+\ or the command)
 * always does; an automatic one only when completions are enabled for the document's language, the
 * trigger mode is automatic and they are not paused.
 */
export function shouldAnswer(
  request: { explicit: boolean; now: number },
  state: { enable: boolean; triggerMode: TriggerMode; pausedUntil: number | undefined },
): boolean {
  if (request.explicit) return true;
  if (!state.enable || state.triggerMode === "manual") return false;
  return state.pausedUntil === undefined || request.now >= state.pausedUntil;
}
