// Unit tests of the lookup of charrnn-server and the charrnn CLI: order, PATH search, --version check
// and the error message, with real executables (small shell scripts) in temporary folders; a relative
// configured path (what a repository's .vscode/settings.json could set) is never run.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  CLI,
  locateServer,
  locateTool,
  notFoundMessage,
  probeServer,
  resolveExecutablePath,
  resolveUserPath,
  serverCandidates,
  toolCandidates,
} from "../../src/bootstrap";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "charrnn-locate-"));
}

/** Writes an executable that prints `output` for --version and exits with `code`. */
function fakeExecutable(dir: string, output: string, code = 0, name = "charrnn-server"): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\necho '${output}'\nexit ${code}\n`, { mode: 0o755 });
  return file;
}

/** An executable named `name` in each place a lookup tries: a (the setting), b (the variable), ext/server (the bundle), bin (PATH). */
function oneInEachPlace(root: string, version: string, name = "charrnn-server") {
  return {
    setting: fakeExecutable(path.join(root, "a"), version, 0, name),
    env: fakeExecutable(path.join(root, "b"), version, 0, name),
    bundled: fakeExecutable(path.join(root, "ext", "server"), version, 0, name),
    onPath: fakeExecutable(path.join(root, "bin"), version, 0, name),
  };
}

/** The documented order of the candidates: setting, environment, bundled, PATH. */
function inDocumentedOrder(places: ReturnType<typeof oneInEachPlace>) {
  return [
    { source: "setting", path: places.setting },
    { source: "environment", path: places.env },
    { source: "bundled", path: places.bundled },
    { source: "path", path: places.onPath },
  ];
}

test("candidates come in the documented order: setting, environment, bundled, PATH", () => {
  const root = tempDir();
  const places = oneInEachPlace(root, "charrnn-server 1.0.0");
  assert.equal(places.bundled, path.join(root, "ext", "server", "charrnn-server"));
  const candidates = serverCandidates({
    settingPath: places.setting,
    env: { CHARRNN_SERVER_PATH: places.env, PATH: [path.join(root, "empty"), path.join(root, "bin")].join(path.delimiter) },
    extensionPath: path.join(root, "ext"),
    platform: "linux",
  });
  assert.deepEqual(candidates, inDocumentedOrder(places));
});

// The five platform-specific packages (vsce package --target) and the file each one's server/ holds.
const PACKAGE_TARGETS: { target: string; platform: NodeJS.Platform; bundledFile: string }[] = [
  { target: "linux-x64", platform: "linux", bundledFile: "charrnn-server" },
  { target: "linux-arm64", platform: "linux", bundledFile: "charrnn-server" },
  { target: "win32-x64", platform: "win32", bundledFile: "charrnn-server.exe" },
  { target: "darwin-x64", platform: "darwin", bundledFile: "charrnn-server" },
  { target: "darwin-arm64", platform: "darwin", bundledFile: "charrnn-server" },
];

for (const { target, platform, bundledFile } of PACKAGE_TARGETS) {
  test(`the ${target} package's bundled server is found as server/${bundledFile}, and only under that name`, () => {
    const root = tempDir();
    const ext = path.join(root, "ext");
    fakeExecutable(path.join(ext, "server"), "charrnn-server 0.1.0", 0, bundledFile);
    assert.deepEqual(serverCandidates({ settingPath: "", env: { PATH: "" }, extensionPath: ext, platform }), [
      { source: "bundled", path: path.join(ext, "server", bundledFile) },
    ]);
    // Another platform's file name in server/ is not this platform's server.
    const otherName = bundledFile.endsWith(".exe") ? "charrnn-server" : "charrnn-server.exe";
    const other = path.join(root, "other");
    fakeExecutable(path.join(other, "server"), "charrnn-server 0.1.0", 0, otherName);
    assert.deepEqual(serverCandidates({ settingPath: "", env: { PATH: "" }, extensionPath: other, platform }), []);
  });
}

test("empty settings, a missing bundle and PATH folders without the server give no candidates", () => {
  const root = tempDir();
  fs.mkdirSync(path.join(root, "bin"));
  fs.writeFileSync(path.join(root, "bin", "charrnn-server"), "not executable", { mode: 0o644 });
  assert.deepEqual(
    serverCandidates({
      settingPath: "  ",
      env: { CHARRNN_SERVER_PATH: "", PATH: path.join(root, "bin") },
      extensionPath: root,
      platform: "linux",
    }),
    [],
  );
});

test("a relative data path (a checkpoint) is resolved against the given folder, ~ against the home folder", () => {
  assert.equal(resolveUserPath("runs/model.ckpt", "/work/space"), "/work/space/runs/model.ckpt");
  assert.equal(resolveUserPath("~/bin/charrnn-server", "/work/space"), path.join(os.homedir(), "bin/charrnn-server"));
  assert.equal(resolveUserPath("/abs/charrnn-server", "/work/space"), "/abs/charrnn-server");
});

test("an executable's configured path counts only when absolute or under ~", () => {
  assert.equal(resolveExecutablePath("/abs/charrnn-server"), "/abs/charrnn-server");
  assert.equal(resolveExecutablePath("~/bin/charrnn-server"), path.join(os.homedir(), "bin/charrnn-server"));
  assert.equal(resolveExecutablePath("tools/charrnn-server"), undefined);
  assert.equal(resolveExecutablePath("./charrnn-server"), undefined);
  assert.equal(resolveExecutablePath("charrnn-server"), undefined);
});

test("a relative server or cli path is rejected without being run, from the workspace or the current folder", async () => {
  const root = tempDir();
  const workspace = path.join(root, "repo");
  const ran = path.join(root, "ran");
  // What a hostile repository would ship: a program that leaves a trace when it is run, then passes the check.
  for (const [dir, name, version] of [
    [path.join(workspace, "tools"), "charrnn-server", "charrnn-server 9.9.9"],
    [path.join(workspace, "tools"), "charrnn", "charrnn 9.9.9"],
  ]) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, name), `#!/bin/sh\ntouch '${ran}'\necho '${version}'\n`, { mode: 0o755 });
  }
  fakeExecutable(path.join(root, "ext", "server"), "charrnn-server 0.1.0");
  const cwd = process.cwd();
  process.chdir(workspace); // even with the repository as the current folder
  try {
    const server = await locateServer({
      settingPath: "tools/charrnn-server",
      env: { CHARRNN_SERVER_PATH: "./tools/charrnn-server", PATH: "tools" },
      extensionPath: path.join(root, "ext"),
      platform: "linux",
    });
    assert.ok(server.found);
    assert.deepEqual(server.candidate, { source: "bundled", path: path.join(root, "ext", "server", "charrnn-server") });
    assert.deepEqual(
      server.rejected.map((r) => [r.candidate.source, r.candidate.path, r.reason]),
      [
        ["setting", "tools/charrnn-server", "not an absolute path (an executable's path is never resolved against the workspace folder)"],
        [
          "environment",
          "./tools/charrnn-server",
          "not an absolute path (an executable's path is never resolved against the workspace folder)",
        ],
      ],
    );
    const cli = await locateTool(CLI, {
      settingPath: "tools/charrnn",
      env: { PATH: "tools" },
      extensionPath: path.join(root, "none"),
      platform: "linux",
    });
    assert.equal(cli.found, false);
    assert.ok(
      !cli.found && cli.message.includes("setting charRnnCode.cli.path (tools/charrnn: not an absolute path"),
      !cli.found ? cli.message : "",
    );
  } finally {
    process.chdir(cwd);
  }
  assert.equal(fs.existsSync(ran), false, "a program named by a relative path was run");
});

test("the first candidate that answers --version wins; the ones before it are reported", async () => {
  const root = tempDir();
  const broken = fakeExecutable(path.join(root, "broken"), "segmentation fault", 139);
  const wrong = fakeExecutable(path.join(root, "wrong"), "some-other-tool 1.2");
  fakeExecutable(path.join(root, "ext", "server"), "charrnn-server 0.1.0");
  const result = await locateServer({
    settingPath: broken,
    env: { CHARRNN_SERVER_PATH: wrong, PATH: "" },
    extensionPath: path.join(root, "ext"),
    platform: "linux",
  });
  assert.equal(result.found, true);
  assert.ok(result.found);
  assert.deepEqual(result.candidate, { source: "bundled", path: path.join(root, "ext", "server", "charrnn-server") });
  assert.equal(result.version, "charrnn-server 0.1.0");
  assert.deepEqual(
    result.rejected.map((r) => [r.candidate.source, r.reason]),
    [
      ["setting", "exited with code 139: segmentation fault"],
      ["environment", 'unexpected --version output: "some-other-tool 1.2"'],
    ],
  );
});

test("a setting naming a missing file is rejected, not skipped", async () => {
  const root = tempDir();
  assert.deepEqual(await probeServer(path.join(root, "nope")), { ok: false, detail: "no such file" });
  const result = await locateServer({ settingPath: path.join(root, "nope"), env: { PATH: "" }, extensionPath: root, platform: "linux" });
  assert.equal(result.found, false);
  assert.ok(!result.found);
  assert.equal(
    result.message,
    `CharRnnCode: no working charrnn-server was found. Tried: setting charRnnCode.server.path (${path.join(root, "nope")}: no such file). ` +
      "Build it with `dotnet publish server/CharRnnCode.Server -c Release -o <folder>`, then set charRnnCode.server.path to " +
      "<folder>/charrnn-server (or set CHARRNN_SERVER_PATH, or put it on PATH).",
  );
});

test("with nothing to try, the message says so and what to do", () => {
  assert.equal(
    notFoundMessage([], "linux"),
    "CharRnnCode: no working charrnn-server was found. No charrnn-server is bundled for linux, and none is set or on PATH. " +
      "Build it with `dotnet publish server/CharRnnCode.Server -c Release -o <folder>`, then set charRnnCode.server.path to " +
      "<folder>/charrnn-server (or set CHARRNN_SERVER_PATH, or put it on PATH).",
  );
});

test("the CLI is looked up in the same order under its own names: charRnnCode.cli.path, CHARRNN_CLI_PATH, bundled, PATH", () => {
  const root = tempDir();
  const places = oneInEachPlace(root, "0.1.0", "charrnn");
  assert.equal(places.bundled, path.join(root, "ext", "server", "charrnn"));
  // The server's variable and executables are not the CLI's.
  fakeExecutable(path.join(root, "bin"), "charrnn-server 0.1.0");
  const candidates = toolCandidates(CLI, {
    settingPath: places.setting,
    env: { CHARRNN_CLI_PATH: places.env, CHARRNN_SERVER_PATH: path.join(root, "bin", "charrnn-server"), PATH: path.join(root, "bin") },
    extensionPath: path.join(root, "ext"),
    platform: "linux",
  });
  assert.deepEqual(candidates, inDocumentedOrder(places));
});

test("a CLI answering --version with its bare version is accepted; the server is not taken for the CLI", async () => {
  const root = tempDir();
  const server = fakeExecutable(path.join(root, "elsewhere"), "charrnn-server 0.1.0", 0, "charrnn");
  const cli = fakeExecutable(path.join(root, "bin"), "0.1.0", 0, "charrnn");
  const result = await locateTool(CLI, {
    settingPath: server,
    env: { PATH: path.join(root, "bin") },
    extensionPath: root,
    platform: "linux",
  });
  assert.ok(result.found);
  assert.deepEqual(result.candidate, { source: "path", path: cli });
  assert.equal(result.version, "0.1.0");
  assert.deepEqual(
    result.rejected.map((r) => r.reason),
    ['unexpected --version output: "charrnn-server 0.1.0"'],
  );
});

test("a missing CLI gives an actionable message naming its setting and variable", async () => {
  const root = tempDir();
  const result = await locateTool(CLI, {
    settingPath: "",
    env: { PATH: path.join(root, "empty") },
    extensionPath: root,
    platform: "linux",
  });
  assert.ok(!result.found);
  assert.equal(
    result.message,
    "CharRnnCode: no working charrnn was found. No charrnn is bundled for linux, and none is set or on PATH. " +
      "Build it with `dotnet publish src/CharRnnCode.Cli -c Release -o <folder>`, then set charRnnCode.cli.path to " +
      "<folder>/charrnn (or set CHARRNN_CLI_PATH, or put it on PATH).",
  );
});
