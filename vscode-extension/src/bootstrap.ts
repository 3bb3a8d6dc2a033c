// Finds the executables the extension runs, charrnn-server and the charrnn CLI, in the documented order:
// the setting (charRnnCode.server.path, charRnnCode.cli.path), the environment variable
// (CHARRNN_SERVER_PATH, CHARRNN_CLI_PATH), the copy bundled in the extension's server/ folder, then PATH.
// A configured path counts only when it is absolute (or starts with ~): it is never resolved against
// the workspace folder, so that a repository cannot name a program of its own to be run; a relative one
// is rejected without being run. Each other candidate is run with --version before it is used. Knows
// nothing of the editor API, so that the order and the failure messages can be tested with real
// processes outside the editor.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** One executable to find: where it may be configured, what it is called and how it answers --version. */
export interface ToolSpec {
  /** The executable's name without .exe: charrnn-server, charrnn. */
  name: string;
  settingKey: string;
  envVariable: string;
  /** Accepts the first line of `--version`. */
  version: RegExp;
  /** How a user builds it, for the not-found message; <folder> is where it was published. */
  buildHint: string;
}

export const SERVER: ToolSpec = {
  name: "charrnn-server",
  settingKey: "charRnnCode.server.path",
  envVariable: "CHARRNN_SERVER_PATH",
  version: /^charrnn-server \S+/,
  buildHint: "dotnet publish server/CharRnnCode.Server -c Release -o <folder>",
};

export const CLI: ToolSpec = {
  name: "charrnn",
  settingKey: "charRnnCode.cli.path",
  envVariable: "CHARRNN_CLI_PATH",
  // `charrnn --version` prints "charrnn <version>" (older builds: the bare version).
  version: /^(charrnn )?\d+\.\d+\.\d+\S*$/,
  buildHint: "dotnet publish src/CharRnnCode.Cli -c Release -o <folder>",
};

export const SERVER_ENV_VARIABLE = SERVER.envVariable;

export type CandidateSource = "setting" | "environment" | "bundled" | "path";

export interface Candidate {
  source: CandidateSource;
  path: string;
  /** Why it is not tried at all (a relative configured path); it is never run. */
  invalid?: string;
}

export interface LocateInputs {
  /** Value of the tool's setting ("" or undefined when unset). */
  settingPath: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Folder the extension is installed in; bundled executables live in its server/ folder. */
  extensionPath: string;
  platform?: NodeJS.Platform;
}

export interface ProbeResult {
  ok: boolean;
  /** "charrnn-server 0.1.0" (the first line of --version) when ok; why it failed otherwise. */
  detail: string;
}

export interface Rejected {
  candidate: Candidate;
  reason: string;
}

export type LocateResult =
  { found: true; candidate: Candidate; version: string; rejected: Rejected[] } | { found: false; rejected: Rejected[]; message: string };

export function executableName(platform: NodeJS.Platform = process.platform, tool: ToolSpec = SERVER): string {
  return platform === "win32" ? `${tool.name}.exe` : tool.name;
}

/** Expands a leading ~ and resolves a relative path against baseFolder (or leaves it if there is none). */
export function resolveUserPath(value: string, baseFolder: string | undefined): string {
  let p = value.trim();
  if (p === "~" || p.startsWith("~/")) p = path.join(os.homedir(), p.slice(1));
  if (!path.isAbsolute(p) && baseFolder) p = path.resolve(baseFolder, p);
  return p;
}

/**
 * A configured executable's path: absolute, or ~ expanded to the home folder; undefined for any other
 * (relative) path, which is never resolved against the workspace or the current folder.
 */
export function resolveExecutablePath(value: string): string | undefined {
  const p = resolveUserPath(value, undefined);
  return path.isAbsolute(p) ? p : undefined;
}

function configuredCandidate(source: CandidateSource, value: string): Candidate {
  const resolved = resolveExecutablePath(value);
  return resolved !== undefined
    ? { source, path: resolved }
    : { source, path: value, invalid: "not an absolute path (an executable's path is never resolved against the workspace folder)" };
}

/** The candidates in lookup order; empty settings and PATH entries without the executable are skipped. */
export function toolCandidates(tool: ToolSpec, inputs: LocateInputs): Candidate[] {
  const platform = inputs.platform ?? process.platform;
  const name = executableName(platform, tool);
  const candidates: Candidate[] = [];
  const setting = inputs.settingPath?.trim();
  if (setting) candidates.push(configuredCandidate("setting", setting));
  const fromEnv = inputs.env[tool.envVariable]?.trim();
  if (fromEnv) candidates.push(configuredCandidate("environment", fromEnv));
  const bundled = path.join(inputs.extensionPath, "server", name);
  if (fs.existsSync(bundled)) {
    ensureExecutable(bundled);
    candidates.push({ source: "bundled", path: bundled });
  }
  const searchPath = inputs.env.PATH ?? inputs.env.Path ?? "";
  for (const dir of searchPath.split(path.delimiter)) {
    // A relative PATH entry ("." or "bin") would find a program in whatever folder is current: skipped.
    if (!dir || !path.isAbsolute(dir)) continue;
    const onPath = path.join(dir, name);
    if (isExecutableFile(onPath)) {
      candidates.push({ source: "path", path: onPath });
      break; // only the first match on PATH counts, as in a shell
    }
  }
  return candidates;
}

/** Some unzip paths drop the executable bit of files inside a .vsix; the bundled server is ours to fix. */
function ensureExecutable(file: string): void {
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    try {
      fs.chmodSync(file, 0o755);
    } catch {
      // probeServer reports "not executable" with the path, which says what to do
    }
  }
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function serverCandidates(inputs: LocateInputs): Candidate[] {
  return toolCandidates(SERVER, inputs);
}

/** Runs `<file> --version` and accepts the output "charrnn-server <version>". */
export function probeServer(file: string, timeoutMs = 20_000): Promise<ProbeResult> {
  return probeTool(SERVER, file, timeoutMs);
}

/** Runs `<file> --version` and checks its first line against the tool's version pattern. */
export function probeTool(tool: ToolSpec, file: string, timeoutMs = 20_000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    if (!fs.existsSync(file)) {
      resolve({ ok: false, detail: "no such file" });
      return;
    }
    execFile(file, ["--version"], { timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      const firstLine = stdout.toString().trim().split(/\r?\n/)[0] ?? "";
      if (error) {
        const code = (error as { code?: unknown }).code;
        const why =
          code === "EACCES"
            ? "not executable"
            : typeof code === "number"
              ? `exited with code ${code}`
              : error.killed
                ? `no answer within ${timeoutMs / 1000} s`
                : error.message.split("\n")[0];
        const said = stderr.toString().trim().split(/\r?\n/)[0] || firstLine;
        resolve({ ok: false, detail: said ? `${why}: ${said}` : why });
      } else if (tool.version.test(firstLine)) {
        resolve({ ok: true, detail: firstLine });
      } else {
        resolve({ ok: false, detail: `unexpected --version output: ${JSON.stringify(firstLine.slice(0, 80))}` });
      }
    });
  });
}

/** Where a candidate came from, in words: "setting charRnnCode.server.path", "charrnn on PATH". */
export function sourceLabel(source: CandidateSource, tool: ToolSpec = SERVER): string {
  switch (source) {
    case "setting":
      return `setting ${tool.settingKey}`;
    case "environment":
      return `environment variable ${tool.envVariable}`;
    case "bundled":
      return `${tool.name} bundled with the extension`;
    case "path":
      return `${tool.name} on PATH`;
  }
}

/** Tries the candidates in order and returns the first that answers --version. */
export async function locateTool(
  tool: ToolSpec,
  inputs: LocateInputs,
  probe: (file: string) => Promise<ProbeResult> = (file) => probeTool(tool, file),
): Promise<LocateResult> {
  const rejected: Rejected[] = [];
  for (const candidate of toolCandidates(tool, inputs)) {
    if (candidate.invalid !== undefined) {
      rejected.push({ candidate, reason: candidate.invalid });
      continue;
    }
    const result = await probe(candidate.path);
    if (result.ok) return { found: true, candidate, version: result.detail, rejected };
    rejected.push({ candidate, reason: result.detail });
  }
  return { found: false, rejected, message: notFoundMessage(rejected, inputs.platform ?? process.platform, tool) };
}

export function locateServer(inputs: LocateInputs, probe?: (file: string) => Promise<ProbeResult>): Promise<LocateResult> {
  return locateTool(SERVER, inputs, probe);
}

/** The error a user sees: what was tried, and what to do. */
export function notFoundMessage(rejected: Rejected[], platform: NodeJS.Platform = process.platform, tool: ToolSpec = SERVER): string {
  const tried = rejected.length
    ? ` Tried: ${rejected.map((r) => `${sourceLabel(r.candidate.source, tool)} (${r.candidate.path}: ${r.reason})`).join("; ")}.`
    : ` No ${tool.name} is bundled for ${platform}, and none is set or on PATH.`;
  return (
    `CharRnnCode: no working ${tool.name} was found.` +
    tried +
    ` Build it with \`${tool.buildHint}\`, then set ` +
    `${tool.settingKey} to <folder>/${executableName(platform, tool)} (or set ${tool.envVariable}, or put it on PATH).`
  );
}
