// Unit tests of what "Train on this workspace" gives to and reads from the charrnn CLI: argument lists,
// the live lines of `charrnn train` (copied from a real run), errors, the report summary, run names.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import {
  addedCharacters,
  errorFromOutput,
  evaluationSummary,
  harvestArgs,
  parseTrainLine,
  runName,
  trainArgs,
} from "../../src/trainOutput";

test("harvest gets every folder and the languages it knows; train starts from a preset or a checkpoint", () => {
  assert.deepEqual(harvestArgs(["/w/a", "/w/b"], ["csharp", "razor", "c", "csharp"], "/r/corpus"), [
    "harvest",
    "--repo",
    "/w/a",
    "--repo",
    "/w/b",
    "--lang",
    "csharp",
    "--lang",
    "c",
    "--out",
    "/r/corpus",
  ]);
  assert.deepEqual(trainArgs("/r/corpus", "/r/model", 5, { preset: "tiny" }), [
    "train",
    "--corpus",
    "/r/corpus",
    "--out",
    "/r/model",
    "--preset",
    "tiny",
    "--max-minutes",
    "5",
  ]);
  assert.deepEqual(trainArgs("/r/corpus", "/r/model", 2.5, { initFrom: "/m/best.ckpt" }), [
    "train",
    "--corpus",
    "/r/corpus",
    "--out",
    "/r/model",
    "--init-from",
    "/m/best.ckpt",
    "--max-minutes",
    "2.5",
  ]);
});

test("the progress and validation lines of charrnn train are read; the others are not", () => {
  assert.deepEqual(parseTrainLine("step 50/150 loss 1.770 lr 7.83e-3 1,185 chars/s, 0m05s left: 33%"), {
    kind: "step",
    step: 50,
    totalSteps: 150,
    loss: 1.77,
  });
  assert.deepEqual(parseTrainLine("  step 100: val loss 1.6680 nats, 2.406 bpc (best)"), {
    kind: "validation",
    step: 100,
    bitsPerChar: 2.406,
    best: true,
  });
  assert.deepEqual(parseTrainLine("  step 250: val loss 1.3101 nats, 1.890 bpc"), {
    kind: "validation",
    step: 250,
    bitsPerChar: 1.89,
    best: false,
  });
  assert.equal(parseTrainLine("done: reached 150 steps. step 150, epoch 0, best val 2.227 bpc at step 150."), undefined);
});

test("the added characters of an --init-from run are found across a wrapped line", () => {
  assert.equal(
    addedCharacters("train lstm 2x256 ...; initialised from /m/best.ckpt (step 300), vocabulary\nextended by 3 characters (ß ö ä)\n"),
    3,
  );
  assert.equal(addedCharacters("train lstm 1x32, 8,899 parameters"), undefined);
});

test("a failure is told with the CLI's own error line, unwrapped", () => {
  assert.equal(
    errorFromOutput(
      "harvesting\nerror: repository ws: /w is not a git repository (no .git folder, not a\nbare repository). Run `git init` there or pass another path.\nSet CHARRNN_DEBUG=1 for the stack trace.\n",
    ),
    "repository ws: /w is not a git repository (no .git folder, not a bare repository). Run `git init` there or pass another path.",
  );
  assert.equal(errorFromOutput("one\ntwo\nthree\nfour\n"), "two three four");
});

test("the evaluation summary names bits per character against the baseline, parse rates and exact matches", () => {
  const report = {
    model: "lstm 1x32, step 150, val 2.23 bpc",
    modelLoss: { bitsPerCharacter: 2.2285 },
    nGramBestOrder: 20,
    nGramBestBpc: 0.116,
    freeRunning: { temperatures: [{ temperature: 0.5, parseRate: 0.25 }] },
    lineCompletion: {
      summary: [
        { strategy: "greedy", exactMatch: 0, parseOk: 1 },
        { strategy: "best of K re-ranked by Roslyn", exactMatch: 0.0833, parseOk: 0.75 },
      ],
    },
  };
  assert.equal(
    evaluationSummary(report),
    "validation 2.23 bits/char (20-gram baseline 0.12); samples at T=0.5 parse 25%; line completions re-ranked by Roslyn parse 75%, exact 8%",
  );
  assert.equal(evaluationSummary({}), "no figures in the report");
});

test("run folders are named after the workspace folder and the local time, with safe characters", () => {
  assert.equal(runName("my project (copy)", new Date(2026, 10, 29, 17, 5, 9)), "my-project-copy-20261129-170509");
  assert.equal(runName("..", new Date(2026, 0, 2, 3, 4, 5)), "workspace-20260102-030405");
});
