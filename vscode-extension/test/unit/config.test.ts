// Unit tests of the settings: reading with bounds and defaults, the mapping to the server's names, and
// which requests reach the server (trigger mode, enable, pause).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as os from "node:os";
import * as path from "node:path";
import {
  changedKeys,
  DEFAULTS,
  readSettings,
  RESTART_KEYS,
  SERVER_KEYS,
  type SettingGetter,
  shouldAnswer,
  toServerSettings,
} from "../../src/config";

function getterOf(values: Record<string, unknown>): SettingGetter {
  return <T>(key: string, defaultValue: T) => (key in values ? (values[key] as T) : defaultValue);
}

test("unset settings give the defaults, which are the server's", () => {
  assert.deepEqual(readSettings(getterOf({})), DEFAULTS);
  // The server's own defaults (ServerSettings.cs), written out here rather than read from the code under test.
  assert.deepEqual(toServerSettings(DEFAULTS, "/w"), {
    checkpoint: null,
    temperature: 0.3,
    topP: 0.95,
    candidates: 8,
    maxChars: 100,
    maxLines: 4,
    rerank: true,
    timeBudgetMs: 120,
    invokedItems: 3,
    seed: null,
    device: "cpu",
    threads: null,
    encodeAhead: true,
    typeThrough: true,
    constrain: true,
    constrainWaitMs: 50,
    loadWorkspace: true,
  });
});

test("every setting is read, and mapped to the server's names", () => {
  const settings = readSettings(
    getterOf({
      enable: false,
      triggerMode: "manual",
      "server.path": "/opt/charrnn-server",
      "cli.path": "/opt/charrnn",
      checkpoint: "runs/tiny/model.ckpt",
      temperature: 0.8,
      topP: 0.9,
      candidates: 6,
      maxChars: 120,
      maxLines: 3,
      timeBudgetMs: 250,
      invokedItems: 5,
      seed: 42,
      device: "cuda",
      threads: 2,
      encodeAhead: false,
      typeThrough: false,
      constrain: false,
      constrainWaitMs: 200,
      loadWorkspace: false,
      debounceMs: 0,
      rerank: false,
      languages: ["csharp", "c"],
      "train.preset": "tiny",
      "train.minutes": 3,
    }),
  );
  assert.deepEqual(settings, {
    enable: false,
    triggerMode: "manual",
    serverPath: "/opt/charrnn-server",
    cliPath: "/opt/charrnn",
    checkpoint: "runs/tiny/model.ckpt",
    temperature: 0.8,
    topP: 0.9,
    candidates: 6,
    maxChars: 120,
    maxLines: 3,
    timeBudgetMs: 250,
    invokedItems: 5,
    seed: 42,
    device: "cuda",
    threads: 2,
    encodeAhead: false,
    typeThrough: false,
    constrain: false,
    constrainWaitMs: 200,
    loadWorkspace: false,
    debounceMs: 0,
    rerank: false,
    languages: ["csharp", "c"],
    trainPreset: "tiny",
    trainMinutes: 3,
  });
  assert.deepEqual(toServerSettings(settings, "/home/me/project"), {
    checkpoint: "/home/me/project/runs/tiny/model.ckpt",
    temperature: 0.8,
    topP: 0.9,
    candidates: 6,
    maxChars: 120,
    maxLines: 3,
    rerank: false,
    timeBudgetMs: 250,
    invokedItems: 5,
    seed: 42,
    device: "cuda",
    threads: 2,
    encodeAhead: false,
    typeThrough: false,
    constrain: false,
    constrainWaitMs: 200,
    loadWorkspace: false,
  });
});

test("hand-edited values out of range or of the wrong type are clamped or replaced by defaults", () => {
  const settings = readSettings(
    getterOf({
      temperature: 9,
      topP: 0,
      candidates: 2.6,
      maxChars: "40",
      maxLines: -1,
      timeBudgetMs: 20_000,
      invokedItems: 0,
      seed: "soon",
      device: "tpu",
      threads: 1000,
      debounceMs: "soon",
      languages: "csharp",
      rerank: "no",
      triggerMode: "sometimes",
      "train.preset": "  ",
      "train.minutes": 0,
    }),
  );
  assert.deepEqual(
    { ...settings },
    {
      ...DEFAULTS,
      temperature: 2,
      topP: 0.01,
      candidates: 3,
      maxChars: 40,
      maxLines: 1,
      timeBudgetMs: 10_000,
      invokedItems: 1,
      seed: null,
      device: "cpu",
      threads: 256,
      debounceMs: DEFAULTS.debounceMs,
      languages: ["csharp"],
      rerank: true,
      triggerMode: "automatic",
      trainPreset: "small-cpu",
      trainMinutes: 1,
    },
  );
});

test("no checkpoint is sent as null; ~ is expanded", () => {
  assert.equal(toServerSettings(DEFAULTS, "/w").checkpoint, null);
  assert.equal(toServerSettings({ ...DEFAULTS, checkpoint: "~/m.ckpt" }, "/w").checkpoint, path.join(os.homedir(), "m.ckpt"));
});

test("changed keys are found with the editor's affectsConfiguration predicate", () => {
  const changed = new Set(["charRnnCode.temperature", "charRnnCode.checkpoint", "charRnnCode.encodeAhead"]);
  assert.deepEqual(changedKeys((s) => changed.has(s), SERVER_KEYS), ["checkpoint", "temperature", "encodeAhead"]);
  assert.deepEqual(changedKeys((s) => changed.has(s), RESTART_KEYS), []);
  assert.deepEqual(changedKeys((s) => s === "charRnnCode.server.path", RESTART_KEYS), ["server.path"]);
});

test("an explicit request is always answered; automatic ones only when enabled, automatic and not paused", () => {
  const on = { enable: true, triggerMode: "automatic" as const, pausedUntil: undefined };
  const now = 1_000_000;
  assert.equal(shouldAnswer({ explicit: false, now }, on), true);
  assert.equal(shouldAnswer({ explicit: false, now }, { ...on, enable: false }), false);
  assert.equal(shouldAnswer({ explicit: false, now }, { ...on, triggerMode: "manual" }), false);
  assert.equal(shouldAnswer({ explicit: false, now }, { ...on, pausedUntil: now + 1 }), false);
  assert.equal(shouldAnswer({ explicit: false, now }, { ...on, pausedUntil: now }), true);
  for (const state of [{ ...on, enable: false }, { ...on, triggerMode: "manual" as const }, { ...on, pausedUntil: now + 60_000 }]) {
    assert.equal(shouldAnswer({ explicit: true, now }, state), true);
  }
});
