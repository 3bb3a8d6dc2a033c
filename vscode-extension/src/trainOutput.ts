// What "Train on this workspace" reads from and gives to the charrnn CLI, without an editor: the
// arguments of harvest/train/eval, the live lines of `charrnn train` (step and validation), the
// summary of `charrnn eval`'s report.json, and the run folder's name. Pure, so it is unit-tested; it
// runs nothing (training.ts does).

/** VS Code language ids that `charrnn harvest --lang` knows by the same name. */
export const HARVEST_LANGUAGES = ["c", "cpp", "csharp", "fsharp", "go", "java", "javascript", "python", "rust", "typescript"] as const;

/** The --lang values for the configured languages; the others are left to harvest's defaults. */
export function harvestLanguages(languageIds: readonly string[]): string[] {
  return [...new Set(languageIds.filter((id) => (HARVEST_LANGUAGES as readonly string[]).includes(id)))];
}

export function harvestArgs(folders: readonly string[], languageIds: readonly string[], corpus: string): string[] {
  return [
    "harvest",
    ...folders.flatMap((f) => ["--repo", f]),
    ...harvestLanguages(languageIds).flatMap((l) => ["--lang", l]),
    "--out",
    corpus,
  ];
}

/** A new model from a preset, or a fine-tune of a checkpoint (which keeps its own model and settings). */
export function trainArgs(
  corpus: string,
  runDirectory: string,
  minutes: number,
  start: { preset: string } | { initFrom: string },
): string[] {
  const from = "initFrom" in start ? ["--init-from", start.initFrom] : ["--preset", start.preset];
  return ["train", "--corpus", corpus, "--out", runDirectory, ...from, "--max-minutes", String(minutes)];
}

/** A short evaluation: one temperature, a few samples and positions (seconds on a small model). */
export function evalArgs(checkpoint: string, corpus: string, reportDirectory: string): string[] {
  return [
    "eval",
    "--checkpoint",
    checkpoint,
    "--corpus",
    corpus,
    "--out",
    reportDirectory,
    "--samples",
    "4",
    "--positions",
    "12",
    "--temperatures",
    "0.5",
  ];
}

export type TrainLine =
  | { kind: "step"; step: number; totalSteps: number; loss: number }
  | { kind: "validation"; step: number; bitsPerChar: number; best: boolean };

/** One line of `charrnn train`'s output: a progress line or a validation line; undefined for the others. */
export function parseTrainLine(line: string): TrainLine | undefined {
  const validation = /^\s*step (\d+): val loss [\d.]+ nats, ([\d.]+) bpc( \(best\))?/.exec(line);
  if (validation) return { kind: "validation", step: Number(validation[1]), bitsPerChar: Number(validation[2]), best: !!validation[3] };
  const step = /^\s*step (\d+)\/(\d+) loss ([\d.]+)/.exec(line);
  if (step) return { kind: "step", step: Number(step[1]), totalSteps: Number(step[2]), loss: Number(step[3]) };
  return undefined;
}

/** "vocabulary extended by N characters" from the train output of an --init-from run (lines may be wrapped). */
export function addedCharacters(trainOutput: string): number | undefined {
  const match = /vocabulary extended by (\d+) characters?/.exec(trainOutput.replace(/\s+/g, " "));
  return match ? Number(match[1]) : undefined;
}

/** The CLI's own error line ("error: ..."), for a failure message; the last lines otherwise. */
export function errorFromOutput(output: string): string {
  const lines = output.split(/\r?\n/).map((l) => l.trimEnd());
  const start = lines.findIndex((l) => l.startsWith("error:"));
  if (start >= 0) {
    // Spectre wraps at 80 columns: the indented or plain continuation lines belong to the message.
    const rest = lines.slice(start + 1).filter((l) => l && !/^Set CHARRNN_DEBUG/.test(l));
    return [lines[start].slice("error:".length).trim(), ...rest].join(" ").replace(/\s+/g, " ").trim();
  }
  return (
    lines
      .filter((l) => l.trim())
      .slice(-3)
      .join(" ")
      .trim() || "no output"
  );
}

/** What the summary reads of the report.json written by charrnn eval. */
export interface ReportJson {
  model?: string;
  modelLoss?: { bitsPerCharacter?: number };
  nGramBestOrder?: number;
  nGramBestBpc?: number;
  freeRunning?: { temperatures?: { temperature: number; parseRate: number }[] };
  lineCompletion?: { summary?: { strategy: string; exactMatch: number; parseOk: number }[] };
}

/** The few numbers of report.json a user reads first, as one sentence. */
export function evaluationSummary(report: ReportJson): string {
  const parts: string[] = [];
  const bpc = report.modelLoss?.bitsPerCharacter;
  if (typeof bpc === "number") {
    const baseline =
      typeof report.nGramBestBpc === "number" ? ` (${report.nGramBestOrder ?? "n"}-gram baseline ${report.nGramBestBpc.toFixed(2)})` : "";
    parts.push(`validation ${bpc.toFixed(2)} bits/char${baseline}`);
  }
  const free = report.freeRunning?.temperatures?.[0];
  if (free) parts.push(`samples at T=${free.temperature} parse ${percent(free.parseRate)}`);
  const reranked = report.lineCompletion?.summary?.find((s) => /roslyn/i.test(s.strategy));
  if (reranked)
    parts.push(`line completions re-ranked by Roslyn parse ${percent(reranked.parseOk)}, exact ${percent(reranked.exactMatch)}`);
  return parts.length ? parts.join("; ") : "no figures in the report";
}

function percent(x: number): string {
  return `${Math.round(100 * x)}%`;
}

/** The run folder's name: the workspace folder's name (safe characters only) and the local time. */
export function runName(folderName: string, now: Date): string {
  const safe = folderName.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+|-+$/g, "") || "workspace";
  const two = (n: number) => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
  return `${safe}-${stamp}`;
}
