// Unit tests of the settings: reading with bounds and defaults, the mapping to the server's names (each
// language's minConfidence among them), which requests reach the server (trigger mode, enable, pause),
// and what an untrusted workspace may set.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  changedKeys,
  DEFAULTS,
  executableSetting,
  type ExtensionSettings,
  minConfidenceByLanguage,
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

/** The parts of package.json read here: the settings it declares and what an untrusted workspace may not set. */
interface Manifest {
  contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
  capabilities: { untrustedWorkspaces: { supported: unknown; description: unknown; restrictedConfigurations: string[] } };
}

/** The manifest VS Code reads, not the code under test. */
function readManifest(): Manifest {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as Manifest;
}

test("unset settings give the defaults, which are the server's", () => {
  assert.deepEqual(readSettings(getterOf({})), DEFAULTS);
  // The server's own defaults (ServerSettings.cs), written out here rather than read from the code under test.
  assert.deepEqual(toServerSettings(DEFAULTS, "/w", false, { csharp: 0.75 }), {
    trustedWorkspace: false,
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
    workspaceCache: true,
    dynamicEvaluation: false,
    typeThrough: true,
    constrain: true,
    constrainWaitMs: 50,
    loadWorkspace: true,
    minConfidence: 0.75,
    minConfidenceByLanguage: { csharp: 0.75 },
    cliPath: null,
  });
});

test("every setting is read, and mapped to the server's names", () => {
  // Every setting set to a value other than its default.
  const written: ExtensionSettings = {
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
    workspaceCache: false,
    dynamicEvaluation: true,
    typeThrough: false,
    constrain: false,
    constrainWaitMs: 200,
    loadWorkspace: false,
    debounceMs: 0,
    rerank: false,
    minConfidence: 0.35,
    languages: ["csharp", "c"],
    trainPreset: "tiny",
    trainMinutes: 3,
  };
  // The settings (under charRnnCode.) whose names are not the fields': the rest are read under the field's own name.
  const settingNames: Partial<Record<keyof ExtensionSettings, string>> = {
    serverPath: "server.path",
    cliPath: "cli.path",
    trainPreset: "train.preset",
    trainMinutes: "train.minutes",
  };
  const settings = readSettings(
    getterOf(
      Object.fromEntries(Object.entries(written).map(([field, value]) => [settingNames[field as keyof ExtensionSettings] ?? field, value])),
    ),
  );
  assert.deepEqual(settings, written);
  // The server gets all but what only the extension uses, with the checkpoint resolved in the trusted workspace.
  const { enable, triggerMode, serverPath, debounceMs, languages, trainPreset, trainMinutes, ...forServer } = written;
  assert.deepEqual(toServerSettings(settings, "/home/me/project", true, { csharp: 0.35, c: 0.8 }), {
    ...forServer,
    trustedWorkspace: true,
    checkpoint: "/home/me/project/runs/tiny/model.ckpt",
    minConfidenceByLanguage: { csharp: 0.35, c: 0.8 },
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
      minConfidence: 1.7,
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
      minConfidence: 1,
      triggerMode: "automatic",
      trainPreset: "small-cpu",
      trainMinutes: 1,
    },
  );
});

test("a path setting of another type: a number is kept as its text, an object or a list gives the default", () => {
  assert.equal(readSettings(getterOf({ "server.path": 42 })).serverPath, "42");
  assert.equal(readSettings(getterOf({ "cli.path": { path: "/opt/charrnn" } })).cliPath, "");
  assert.equal(readSettings(getterOf({ checkpoint: ["a.ckpt"] })).checkpoint, "");
  assert.equal(readSettings(getterOf({ checkpoint: null })).checkpoint, "");
});

test("minConfidence: a mistyped value gives the default, one out of 0..1 the nearer bound", () => {
  assert.equal(readSettings(getterOf({ minConfidence: "high" })).minConfidence, 0.75);
  assert.equal(readSettings(getterOf({ minConfidence: -0.2 })).minConfidence, 0);
  assert.equal(readSettings(getterOf({ minConfidence: 0 })).minConfidence, 0);
  assert.equal(readSettings(getterOf({ minConfidence: "0.75" })).minConfidence, 0.75);
});

test("each served language gets its own minConfidence, or the general one where its value is not a number", () => {
  // What getConfiguration(..., { languageId }).get("minConfidence") answers: c and python override it.
  const perLanguage: Record<string, unknown> = { csharp: 0.5, c: 0.2, python: "high", rust: 3 };
  assert.deepEqual(
    minConfidenceByLanguage(["csharp", "c", "python", "rust"], (id) => perLanguage[id], 0.4),
    {
      csharp: 0.5,
      c: 0.2,
      python: 0.4,
      rust: 1,
    },
  );
  assert.deepEqual(
    minConfidenceByLanguage(["go"], () => undefined, 0.6),
    { go: 0.6 },
  );
  assert.deepEqual(
    minConfidenceByLanguage([], () => 0.1, 0.5),
    {},
  );
  // The server is sent a copy: a later change to the map does not reach settings already built.
  const byLanguage = { csharp: 0.3 };
  const sent = toServerSettings(DEFAULTS, "/w", true, byLanguage);
  byLanguage.csharp = 0.9;
  assert.deepEqual(sent.minConfidenceByLanguage, { csharp: 0.3 });
});

test("package.json declares minConfidence: a number from 0 to 1, 0.75 by default, overridable per language, not restricted", () => {
  const manifest = readManifest();
  const setting = manifest.contributes.configuration.properties["charRnnCode.minConfidence"];
  assert.deepEqual(
    { type: setting.type, minimum: setting.minimum, maximum: setting.maximum, default: setting.default, scope: setting.scope },
    { type: "number", minimum: 0, maximum: 1, default: 0.75, scope: "language-overridable" },
  );
  assert.ok(typeof setting.markdownDescription === "string" && setting.markdownDescription.includes("Alt+"));
  assert.ok(!manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes("charRnnCode.minConfidence"));
  assert.ok(SERVER_KEYS.includes("minConfidence"), "a change of minConfidence is not sent to the running server");
});

test("no checkpoint is sent as null; ~ is expanded", () => {
  assert.equal(toServerSettings(DEFAULTS, "/w", true, {}).checkpoint, null);
  assert.equal(toServerSettings({ ...DEFAULTS, checkpoint: "~/m.ckpt" }, "/w", true, {}).checkpoint, path.join(os.homedir(), "m.ckpt"));
});

test("a relative checkpoint is resolved against the workspace folder only when the workspace is trusted", () => {
  const relative = { ...DEFAULTS, checkpoint: "runs/m.ckpt" };
  assert.equal(toServerSettings(relative, "/w", true, {}).checkpoint, "/w/runs/m.ckpt");
  assert.equal(toServerSettings(relative, "/w", false, {}).checkpoint, "runs/m.ckpt");
  assert.equal(toServerSettings({ ...DEFAULTS, checkpoint: "/m/a.ckpt" }, "/w", false, {}).checkpoint, "/m/a.ckpt");
});

test("in an untrusted workspace an executable's path comes from the user's settings only, never the workspace's", () => {
  const fromWorkspace = { globalValue: undefined, workspaceValue: "./evil/charrnn-server", workspaceFolderValue: "./evil/charrnn-server" };
  assert.equal(executableSetting("./evil/charrnn-server", fromWorkspace, false), "");
  assert.equal(
    executableSetting("./evil/charrnn-server", { ...fromWorkspace, globalValue: "/opt/charrnn/charrnn-server" }, false),
    "/opt/charrnn/charrnn-server",
  );
  assert.equal(executableSetting("", undefined, false), "");
  // Trusted, the effective value (the workspace's, here) is the one the user chose to trust.
  assert.equal(
    executableSetting("/ws/tools/charrnn-server", { workspaceValue: "/ws/tools/charrnn-server" }, true),
    "/ws/tools/charrnn-server",
  );
});

test("package.json restricts, in untrusted workspaces, every setting that names a program, a checkpoint or a project load", () => {
  const manifest = readManifest();
  const untrusted = manifest.capabilities.untrustedWorkspaces;
  assert.equal(untrusted.supported, "limited");
  assert.ok(typeof untrusted.description === "string" && untrusted.description.length > 20);
  for (const key of ["charRnnCode.server.path", "charRnnCode.cli.path", "charRnnCode.checkpoint", "charRnnCode.loadWorkspace"]) {
    assert.ok(untrusted.restrictedConfigurations.includes(key), `${key} is not restricted`);
    assert.ok(key in manifest.contributes.configuration.properties, `${key} is not a setting`);
  }
});

test("changed keys are found with the editor's affectsConfiguration predicate", () => {
  const changed = new Set(["charRnnCode.temperature", "charRnnCode.checkpoint", "charRnnCode.encodeAhead"]);
  assert.deepEqual(
    changedKeys((s) => changed.has(s), SERVER_KEYS),
    ["checkpoint", "temperature", "encodeAhead"],
  );
  assert.deepEqual(
    changedKeys((s) => changed.has(s), RESTART_KEYS),
    [],
  );
  assert.deepEqual(
    changedKeys((s) => s === "charRnnCode.server.path", RESTART_KEYS),
    ["server.path"],
  );
});

test("an explicit request is always answered; automatic ones only when enabled, automatic and not paused", () => {
  const on = { enable: true, triggerMode: "automatic" as const, pausedUntil: undefined };
  const now = 1_000_000;
  assert.equal(shouldAnswer({ explicit: false, now }, on), true);
  assert.equal(shouldAnswer({ explicit: false, now }, { ...on, enable: false }), false);
  assert.equal(shouldAnswer({ explicit: false, now }, { ...on, triggerMode: "manual" }), false);
  assert.equal(shouldAnswer({ explicit: false, now }, { ...on, pausedUntil: now + 1 }), false);
  assert.equal(shouldAnswer({ explicit: false, now }, { ...on, pausedUntil: now }), true);
  for (const state of [
    { ...on, enable: false },
    { ...on, triggerMode: "manual" as const },
    { ...on, pausedUntil: now + 60_000 },
  ]) {
    assert.equal(shouldAnswer({ explicit: true, now }, state), true);
  }
});
