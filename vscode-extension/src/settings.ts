// Reads the extension's settings and maps them to what charrnn-server takes (initializationOptions and
// workspace/didChangeConfiguration). Pure: the editor's configuration is passed in as a getter, so the
// mapping is tested without an editor. Does not decide when to send them (extension.ts does).
import { resolveUserPath } from "./serverLocator";

export const SECTION = "charRnnCode";

export interface ExtensionSettings {
  enable: boolean;
  serverPath: string;
  checkpoint: string;
  temperature: number;
  candidates: number;
  maxChars: number;
  maxLines: number;
  debounceMs: number;
  rerank: boolean;
  languages: string[];
}

/** The settings charrnn-server understands, with the names it uses. */
export interface ServerSettings {
  checkpoint: string | null;
  temperature: number;
  candidates: number;
  maxChars: number;
  maxLines: number;
  rerank: boolean;
}

export type SettingGetter = <T>(key: string, defaultValue: T) => T;

export const DEFAULTS: ExtensionSettings = {
  enable: true,
  serverPath: "",
  checkpoint: "",
  temperature: 0.3,
  candidates: 8,
  maxChars: 100,
  maxLines: 4,
  debounceMs: 75,
  rerank: true,
  languages: ["csharp"],
};

/** Keys (under charRnnCode.) whose change must reach the running server. */
export const SERVER_KEYS = ["checkpoint", "temperature", "candidates", "maxChars", "maxLines", "rerank"] as const;
/** Keys whose change needs a new server process or a new client. */
export const RESTART_KEYS = ["server.path", "languages"] as const;

function clamp(value: unknown, min: number, max: number, fallback: number, integer: boolean): number {
  let n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) return fallback;
  if (integer) n = Math.round(n);
  return Math.min(max, Math.max(min, n));
}

/** Reads every setting, replacing out-of-range or mistyped values (settings.json is hand-edited) by bounds or defaults. */
export function readSettings(get: SettingGetter): ExtensionSettings {
  const languages = get<unknown>("languages", DEFAULTS.languages);
  return {
    enable: get<unknown>("enable", DEFAULTS.enable) !== false,
    serverPath: String(get<unknown>("server.path", "") ?? ""),
    checkpoint: String(get<unknown>("checkpoint", "") ?? ""),
    temperature: clamp(get("temperature", DEFAULTS.temperature), 0, 2, DEFAULTS.temperature, false),
    candidates: clamp(get("candidates", DEFAULTS.candidates), 1, 32, DEFAULTS.candidates, true),
    maxChars: clamp(get("maxChars", DEFAULTS.maxChars), 1, 1000, DEFAULTS.maxChars, true),
    maxLines: clamp(get("maxLines", DEFAULTS.maxLines), 1, 50, DEFAULTS.maxLines, true),
    debounceMs: clamp(get("debounceMs", DEFAULTS.debounceMs), 0, 2000, DEFAULTS.debounceMs, true),
    rerank: get<unknown>("rerank", DEFAULTS.rerank) !== false,
    languages: Array.isArray(languages)
      ? languages.filter((l): l is string => typeof l === "string" && l.trim() !== "").map((l) => l.trim())
      : DEFAULTS.languages,
  };
}

/** What the server receives; a relative checkpoint path is resolved against the workspace folder. */
export function toServerSettings(settings: ExtensionSettings, workspaceFolder: string | undefined): ServerSettings {
  const checkpoint = settings.checkpoint.trim();
  return {
    checkpoint: checkpoint ? resolveUserPath(checkpoint, workspaceFolder) : null,
    temperature: settings.temperature,
    candidates: settings.candidates,
    maxChars: settings.maxChars,
    maxLines: settings.maxLines,
    rerank: settings.rerank,
  };
}

/** Which of the keys changed, given a predicate like ConfigurationChangeEvent.affectsConfiguration. */
export function changedKeys(affects: (section: string) => boolean, keys: readonly string[]): string[] {
  return keys.filter((key) => affects(`${SECTION}.${key}`));
}
