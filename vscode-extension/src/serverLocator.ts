// Finds the charrnn-server executable, in the documented order: the setting charRnnCode.server.path,
// the environment variable CHARRNN_SERVER_PATH, the server bundled in the extension, then PATH.
// Each candidate is run with --version before it is used. Knows nothing of the editor API, so that
// the order and the failure messages can be tested with real processes outside the editor.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const SERVER_ENV_VARIABLE = "CHARRNN_SERVER_PATH";

export type CandidateSource = "setting" | "environment" | "bundled" | "path";

export interface ServerCandidate {
  source: CandidateSource;
  path: string;
}

export interface LocateInputs {
  /** Value of charRnnCode.server.path ("" or undefined when unset). */
  settingPath: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Folder the extension is installed in; the bundled server lives in its server/ folder. */
  extensionPath: string;
  /** Relative setting paths are resolved against this folder (the first workspace folder). */
  workspaceFolder?: string;
  platform?: NodeJS.Platform;
}

export interface ProbeResult {
  ok: boolean;
  /** "charrnn-server 0.1.0" when ok; why it failed otherwise. */
  detail: string;
}

export interface Rejected {
  candidate: ServerCandidate;
  reason: string;
}

export type LocateResult =
  | { found: true; candidate: ServerCandidate; version: string; rejected: Rejected[] }
  | { found: false; rejected: Rejected[]; message: string };

export function executableName(platform: NodeJS.Platform = process.platform): string {
  return platform === "win32" ? "charrnn-server.exe" : "charrnn-server";
}

/** Expands a leading ~ and resolves a relative path against baseFolder (or leaves it if there is none). */
export function resolveUserPath(value: string, baseFolder: string | undefined): string {
  let p = value.trim();
  if (p === "~" || p.startsWith("~/")) p = path.join(os.homedir(), p.slice(1));
  if (!path.isAbsolute(p) && baseFolder) p = path.resolve(baseFolder, p);
  return p;
}

/** The candidates in lookup order; empty settings and PATH entries without the executable are skipped. */
export function serverCandidates(inputs: LocateInputs): ServerCandidate[] {
  const platform = inputs.platform ?? process.platform;
  const name = executableName(platform);
  const candidates: ServerCandidate[] = [];
  const setting = inputs.settingPath?.trim();
  if (setting) candidates.push({ source: "setting", path: resolveUserPath(setting, inputs.workspaceFolder) });
  const fromEnv = inputs.env[SERVER_ENV_VARIABLE]?.trim();
  if (fromEnv) candidates.push({ source: "environment", path: resolveUserPath(fromEnv, undefined) });
  const bundled = path.join(inputs.extensionPath, "server", name);
  if (fs.existsSync(bundled)) {
    ensureExecutable(bundled);
    candidates.push({ source: "bundled", path: bundled });
  }
  const searchPath = inputs.env.PATH ?? inputs.env.Path ?? "";
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
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

/** Runs `<file> --version` and accepts the output "charrnn-server <version>". */
export function probeServer(file: string, timeoutMs = 20_000): Promise<ProbeResult> {
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
          code === "EACCES" ? "not executable"
          : typeof code === "number" ? `exited with code ${code}`
          : error.killed ? `no answer within ${timeoutMs / 1000} s`
          : error.message.split("\n")[0];
        const said = stderr.toString().trim().split(/\r?\n/)[0] || firstLine;
        resolve({ ok: false, detail: said ? `${why}: ${said}` : why });
      } else if (/^charrnn-server \S+/.test(firstLine)) {
        resolve({ ok: true, detail: firstLine });
      } else {
        resolve({ ok: false, detail: `unexpected --version output: ${JSON.stringify(firstLine.slice(0, 80))}` });
      }
    });
  });
}

export const SOURCE_LABELS: Record<CandidateSource, string> = {
  setting: "setting charRnnCode.server.path",
  environment: `environment variable ${SERVER_ENV_VARIABLE}`,
  bundled: "server bundled with the extension",
  path: "charrnn-server on PATH",
};

/** Tries the candidates in order and returns the first that answers --version. */
export async function locateServer(
  inputs: LocateInputs,
  probe: (file: string) => Promise<ProbeResult> = probeServer,
): Promise<LocateResult> {
  const rejected: Rejected[] = [];
  for (const candidate of serverCandidates(inputs)) {
    const result = await probe(candidate.path);
    if (result.ok) return { found: true, candidate, version: result.detail, rejected };
    rejected.push({ candidate, reason: result.detail });
  }
  return { found: false, rejected, message: notFoundMessage(rejected, inputs.platform ?? process.platform) };
}

/** The error a user sees: what was tried, and what to do. */
export function notFoundMessage(rejected: Rejected[], platform: NodeJS.Platform = process.platform): string {
  const tried = rejected.length
    ? ` Tried: ${rejected.map((r) => `${SOURCE_LABELS[r.candidate.source]} (${r.candidate.path}: ${r.reason})`).join("; ")}.`
    : ` No server is bundled for ${platform}, and none is set or on PATH.`;
  return (
    "CharRnnCode: no working charrnn-server was found." +
    tried +
    " Build it with `dotnet publish server/CharRnnCode.Server -c Release -o <folder>`, then set " +
    `charRnnCode.server.path to <folder>/${executableName(platform)} (or set ${SERVER_ENV_VARIABLE}, or put it on PATH).`
  );
}
