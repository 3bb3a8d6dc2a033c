// "Train on this workspace": harvests the open workspace folders with `charrnn harvest`, trains a new
// model (`charrnn train --preset`) or fine-tunes the current one (`--init-from`) for a chosen number of
// minutes, evaluates it briefly (`charrnn eval`), then points charRnnCode.checkpoint at it, which the
// running server loads without a restart. VS Code progress shows the live validation loss and offers
// Cancel. Everything is written into a hidden staging folder that is renamed into place only when the
// run succeeded; a cancelled or failed run deletes it and leaves the checkpoint setting alone.
// The CLI is found like the server (bootstrap.ts); the argument lists and parsing are in trainOutput.ts.
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { CLI, locateTool, sourceLabel } from "./bootstrap";
import { errorText } from "./client";
import type { Ctx } from "./ctx";
import {
  addedCharacters,
  errorFromOutput,
  evalArgs,
  evaluationSummary,
  harvestArgs,
  parseTrainLine,
  runName,
  trainArgs,
  type ReportJson,
} from "./trainOutput";

/** Shares of the progress bar: harvesting is quick, training is the run, the evaluation is short. */
const HARVEST_SHARE = 5;
const TRAIN_SHARE = 85;

let running = false;

class Cancelled extends Error {}

export async function trainOnWorkspace(ctx: Ctx): Promise<void> {
  if (running) {
    void vscode.window.showInformationMessage("CharRnnCode is already training; its progress is in the notification.");
    return;
  }
  const folders = vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath) ?? [];
  if (!folders.length) {
    void vscode.window.showErrorMessage("CharRnnCode: open a folder (a git repository) to train on it.");
    return;
  }
  const settings = ctx.settings();
  const cli = await locateTool(CLI, {
    settingPath: settings.cliPath,
    env: process.env,
    extensionPath: ctx.extension.extensionPath,
  });
  if (!cli.found) {
    const choice = await vscode.window.showErrorMessage(cli.message, "Open Settings");
    if (choice) await vscode.commands.executeCommand("workbench.action.openSettings", CLI.settingKey);
    return;
  }
  ctx.output.appendLine(`Using charrnn ${cli.version} (${sourceLabel(cli.candidate.source, CLI)}): ${cli.candidate.path}`);

  const current = ctx.serverSettings().checkpoint;
  const choices: (vscode.QuickPickItem & { initFrom?: string })[] = [
    { label: "$(add) Train a new model", description: `preset ${settings.trainPreset} (charRnnCode.train.preset)` },
  ];
  if (current && fs.existsSync(current)) {
    choices.push({
      label: "$(sync) Fine-tune the current model",
      description: `${path.basename(path.dirname(current))}/${path.basename(current)}: keeps its shape, learns the new characters`,
      initFrom: current,
    });
  }
  const start = await vscode.window.showQuickPick(choices, { title: "CharRnnCode: train on this workspace", placeHolder: "Start from" });
  if (!start) return;
  const minutesText = await vscode.window.showInputBox({
    title: "CharRnnCode: train on this workspace",
    prompt: "Minutes of training (it stops earlier when the preset's steps are done)",
    value: String(settings.trainMinutes),
    validateInput: (text) => (Number(text) > 0 && Number(text) <= 24 * 60 ? undefined : "Minutes: a number from 1 to 1440"),
  });
  if (!minutesText) return;

  running = true;
  try {
    await runTraining(
      ctx,
      cli.candidate.path,
      folders,
      Number(minutesText),
      start.initFrom === undefined ? { preset: settings.trainPreset } : { initFrom: start.initFrom },
    );
  } finally {
    running = false;
  }
}

async function runTraining(
  ctx: Ctx,
  cli: string,
  folders: string[],
  minutes: number,
  start: { preset: string } | { initFrom: string },
): Promise<void> {
  const runsRoot = path.join(ctx.extension.globalStorageUri.fsPath, "runs");
  const name = runName(path.basename(folders[0]), new Date());
  const staging = path.join(runsRoot, `.${name}.partial`);
  const final = path.join(runsRoot, name);
  const corpus = path.join(staging, "corpus");
  const model = path.join(staging, "model");
  const report = path.join(staging, "report");
  fs.mkdirSync(staging, { recursive: true });

  const outcome = await vscode.window
    .withProgress(
      { location: vscode.ProgressLocation.Notification, title: "CharRnnCode: training on this workspace", cancellable: true },
      async (progress, token) => {
        let child: ChildProcess | undefined;
        const cancel = token.onCancellationRequested(() => child && stopProcess(child));
        /** Runs one charrnn command, its output to the output channel and to `onLine`; rejects on failure or Cancel. */
        const run = (args: string[], onLine: (line: string) => void = () => {}): Promise<string> =>
          new Promise((resolve, reject) => {
            if (token.isCancellationRequested) return reject(new Cancelled());
            ctx.output.appendLine(`$ charrnn ${args.join(" ")}`);
            let output = "";
            let pending = "";
            child = spawn(cli, args, { cwd: folders[0], env: { ...process.env, NO_COLOR: "1" }, windowsHide: true });
            const take = (chunk: Buffer) => {
              output += chunk.toString();
              pending += chunk.toString();
              const lines = pending.split(/\r?\n/);
              pending = lines.pop() ?? "";
              for (const line of lines) {
                ctx.output.appendLine(line);
                onLine(line);
              }
            };
            child.stdout?.on("data", take);
            child.stderr?.on("data", take);
            child.on("error", (error) => reject(new Error(`could not run ${cli}: ${error.message}`)));
            child.on("close", (code) => {
              if (pending) ctx.output.appendLine(pending);
              if (token.isCancellationRequested) reject(new Cancelled());
              else if (code === 0) resolve(output + pending);
              else reject(new Error(`charrnn ${args[0]} failed: ${errorFromOutput(output + pending)}`));
            });
          });

        try {
          progress.report({ message: `harvesting ${folders.map((f) => path.basename(f)).join(", ")}…` });
          await run(harvestArgs(folders, ctx.settings().languages, corpus));
          progress.report({ increment: HARVEST_SHARE, message: "training…" });

          const began = Date.now();
          let shown = 0;
          let validation = "";
          const trainOutput = await run(trainArgs(corpus, model, minutes, start), (line) => {
            const parsed = parseTrainLine(line);
            if (!parsed) return;
            if (parsed.kind === "validation") validation = ` · val ${parsed.bitsPerChar.toFixed(3)} bpc${parsed.best ? " (best)" : ""}`;
            const byTime = (Date.now() - began) / (minutes * 60_000);
            const bySteps = parsed.kind === "step" ? parsed.step / parsed.totalSteps : 0;
            const share = Math.min(1, Math.max(byTime, bySteps)) * TRAIN_SHARE;
            progress.report({ increment: Math.max(0, share - shown), message: `training: step ${parsed.step}${validation}` });
            shown = Math.max(shown, share);
          });
          progress.report({ increment: Math.max(0, TRAIN_SHARE - shown), message: `evaluating${validation}…` });

          const checkpoint = path.join(model, "best.ckpt");
          if (!fs.existsSync(checkpoint)) throw new Error(`charrnn train wrote no ${checkpoint}`);
          let summary: string;
          try {
            await run(evalArgs(checkpoint, corpus, report));
            summary = evaluationSummary(JSON.parse(fs.readFileSync(path.join(report, "report.json"), "utf8")) as ReportJson);
          } catch (error) {
            if (error instanceof Cancelled) throw error;
            // The model is good without its report: a workspace too small for every measure still gets one.
            summary = `the evaluation did not run (${errorText(error)}); best validation as trained: ${validation.replace(/^ · /, "") || "none"}`;
          }
          return { summary, added: addedCharacters(trainOutput) };
        } finally {
          cancel.dispose();
        }
      },
    )
    .then(
      (result) => ({ ok: true as const, ...result }),
      (error: unknown) => ({ ok: false as const, error }),
    );

  if (!outcome.ok) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (outcome.error instanceof Cancelled) {
      ctx.output.appendLine("Training cancelled: its files are deleted; the model in use is unchanged.");
      void vscode.window.showInformationMessage("CharRnnCode: training cancelled. The model in use is unchanged.");
    } else {
      const message = errorText(outcome.error);
      ctx.output.appendLine(`Training failed: ${message}`);
      const choice = await vscode.window.showErrorMessage(`CharRnnCode: ${message} The model in use is unchanged.`, "Show Output");
      if (choice) ctx.output.show(true);
    }
    return;
  }

  // The run is whole: move it into place, then switch the server to it (workspace/didChangeConfiguration).
  fs.renameSync(staging, final);
  const checkpoint = path.join(final, "model", "best.ckpt");
  ctx.output.appendLine(`Trained ${checkpoint}: ${outcome.summary}`);
  await ctx.updateSetting("checkpoint", checkpoint);
  const added = outcome.added === undefined ? "" : ` The vocabulary gained ${outcome.added} character${outcome.added === 1 ? "" : "s"}.`;
  const choice = await vscode.window.showInformationMessage(
    `CharRnnCode: now completing with the model trained on this workspace: ${outcome.summary}.${added}`,
    "Open Report",
    "Show Output",
  );
  if (choice === "Open Report")
    await vscode.commands.executeCommand("markdown.showPreview", vscode.Uri.file(path.join(final, "report", "report.md")));
  else if (choice === "Show Output") ctx.output.show(true);
}

/** Asks the CLI to stop (it writes nothing more after SIGINT's checkpoint), and ends it if it does not. */
function stopProcess(child: ChildProcess): void {
  if (child.exitCode !== null) return;
  child.kill("SIGINT");
  const timer = setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 10_000);
  child.once("close", () => clearTimeout(timer));
}
