// Unit tests of the settings: reading with bounds and defaults, and the mapping to the server's names.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as os from "node:os";
import * as path from "node:path";
import { changedKeys, DEFAULTS, readSettings, RESTART_KEYS, SERVER_KEYS, type SettingGetter, toServerSettings } from "../../src/settings";

function getterOf(values: Record<string, unknown>): SettingGetter {
  return <T>(key: string, defaultValue: T) => (key in values ? (values[key] as T) : defaultValue);
}

test("unset settings give the defaults", () => {
  assert.deepEqual(readSettings(getterOf({})), DEFAULTS);
});

test("every setting is read, and mapped to the server's names", () => {
  const settings = readSettings(
    getterOf({
      enable: false,
      "server.path": "/opt/charrnn-server",
      checkpoint: "runs/tiny/model.ckpt",
      temperature: 0.8,
      candidates: 6,
      maxChars: 120,
      maxLines: 3,
      debounceMs: 0,
      rerank: false,
      languages: ["csharp", "fsharp"],
    }),
  );
  assert.deepEqual(settings, {
    enable: false,
    serverPath: "/opt/charrnn-server",
    checkpoint: "runs/tiny/model.ckpt",
    temperature: 0.8,
    candidates: 6,
    maxChars: 120,
    maxLines: 3,
    debounceMs: 0,
    rerank: false,
    languages: ["csharp", "fsharp"],
  });
  assert.deepEqual(toServerSettings(settings, "/home/me/project"), {
    checkpoint: "/home/me/project/runs/tiny/model.ckpt",
    temperature: 0.8,
    candidates: 6,
    maxChars: 120,
    maxLines: 3,
    rerank: false,
  });
});

test("hand-edited values out of range or of the wrong type are clamped or replaced by defaults", () => {
  const settings = readSettings(
    getterOf({ temperature: 9, candidates: 2.6, maxChars: "40", maxLines: -1, debounceMs: "soon", languages: "csharp", rerank: "no" }),
  );
  assert.deepEqual(
    { ...settings },
    { ...DEFAULTS, temperature: 2, candidates: 3, maxChars: 40, maxLines: 1, debounceMs: DEFAULTS.debounceMs, languages: ["csharp"], rerank: true },
  );
});

test("no checkpoint is sent as null; ~ is expanded", () => {
  assert.equal(toServerSettings(DEFAULTS, "/w").checkpoint, null);
  assert.equal(toServerSettings({ ...DEFAULTS, checkpoint: "~/m.ckpt" }, "/w").checkpoint, path.join(os.homedir(), "m.ckpt"));
});

test("changed keys are found with the editor's affectsConfiguration predicate", () => {
  const changed = new Set(["charRnnCode.temperature", "charRnnCode.checkpoint"]);
  assert.deepEqual(changedKeys((s) => changed.has(s), SERVER_KEYS), ["checkpoint", "temperature"]);
  assert.deepEqual(changedKeys((s) => changed.has(s), RESTART_KEYS), []);
  assert.deepEqual(changedKeys((s) => s === "charRnnCode.server.path", RESTART_KEYS), ["server.path"]);
});
