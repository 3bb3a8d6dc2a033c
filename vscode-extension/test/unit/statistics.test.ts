// Unit tests of the local statistics (by confidence band too) and the status mapping.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { bandLabel, CompletionStatistics, confidenceBand, formatSummary, LATENCY_WINDOW, percentile } from "../../src/statistics";
import { parseServerStatus, shortModelName } from "../../src/lsp_ext";

/** The four bands with nothing counted, as a summary reports them. */
const EMPTY_BANDS = [
  { label: "[0, 0.25)", shown: 0, accepted: 0, acceptanceRate: null },
  { label: "[0.25, 0.5)", shown: 0, accepted: 0, acceptanceRate: null },
  { label: "[0.5, 0.75)", shown: 0, accepted: 0, acceptanceRate: null },
  { label: "[0.75, 1]", shown: 0, accepted: 0, acceptanceRate: null },
];

/** Every counter at zero, as both a snapshot and a summary hold them. */
const ZERO_COUNTS = { requests: 0, shown: 0, accepted: 0, partiallyAccepted: 0, partialAccepts: 0, charactersAccepted: 0 };

test("percentiles use the nearest rank", () => {
  const values = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 90), 90);
  assert.equal(percentile(values, 99), 100);
  assert.equal(percentile([7], 1), 7);
  assert.equal(percentile([], 50), null);
});

test("shown, accepted, acceptance rate and latencies add up, and survive a snapshot", () => {
  const stats = new CompletionStatistics();
  stats.recordResponse(20, 1);
  stats.recordResponse(40, 0);
  stats.recordResponse(30, 2);
  stats.recordResponse(10, 1);
  stats.recordAccepted(12);
  const expected = {
    requests: 4,
    shown: 3,
    accepted: 1,
    partiallyAccepted: 0,
    partialAccepts: 0,
    charactersAccepted: 12,
    acceptanceRate: 1 / 3,
    p50Ms: 20,
    p90Ms: 40,
    p99Ms: 40,
    // No confidence was given (an older server): the bands count nothing.
    byConfidence: EMPTY_BANDS,
  };
  assert.deepEqual(stats.summary(), expected);
  assert.deepEqual(new CompletionStatistics(stats.snapshot()).summary(), expected);
  assert.equal(
    formatSummary(stats.summary()),
    [
      "CharRnnCode completion statistics (this machine only; nothing is sent anywhere)",
      "requests answered: 4",
      "suggestions shown: 3",
      "suggestions accepted: 1",
      "suggestions partly accepted: 0 (0 next-word/next-line accepts)",
      "characters accepted: 12",
      "acceptance rate (whole or partly): 33.3%",
      "latency p50 / p90 / p99: 20 ms / 40 ms / 40 ms",
      "acceptance rate by the model's confidence:",
      "  [0, 0.25): - (0 of 0)",
      "  [0.25, 0.5): - (0 of 0)",
      "  [0.5, 0.75): - (0 of 0)",
      "  [0.75, 1]: - (0 of 0)",
    ].join("\n"),
  );
  stats.reset();
  assert.deepEqual(stats.summary(), {
    ...ZERO_COUNTS,
    acceptanceRate: null,
    p50Ms: null,
    p90Ms: null,
    p99Ms: null,
    byConfidence: EMPTY_BANDS,
  });
});

test("partial accepts count characters each time and the suggestion once", () => {
  const stats = new CompletionStatistics();
  stats.recordResponse(10, 1);
  stats.recordPartialAccept(7); // "Console"
  stats.recordPartialAccept(1); // "."
  stats.recordResponse(10, 1);
  stats.recordPartialAccept(9);
  const s = stats.summary();
  assert.deepEqual([s.shown, s.partiallyAccepted, s.partialAccepts, s.charactersAccepted, s.acceptanceRate], [2, 2, 3, 17, 1]);
});

test("only the most recent latencies are kept; a corrupt snapshot starts from zero", () => {
  const stats = new CompletionStatistics();
  for (let i = 0; i < LATENCY_WINDOW + 10; i++) stats.recordResponse(i, 1);
  assert.equal(stats.snapshot().latenciesMs.length, LATENCY_WINDOW);
  assert.equal(stats.snapshot().latenciesMs[0], 10);
  const corrupt = new CompletionStatistics({ requests: -3, shown: Number.NaN, latenciesMs: "x" as unknown as number[] });
  assert.deepEqual(corrupt.snapshot(), {
    ...ZERO_COUNTS,
    latenciesMs: [],
    shownByConfidence: [0, 0, 0, 0],
    acceptedByConfidence: [0, 0, 0, 0],
  });
});

test("confidences fall in the bands [0, 0.25), [0.25, 0.5), [0.5, 0.75), [0.75, 1]", () => {
  assert.equal(confidenceBand(0), 0);
  assert.equal(confidenceBand(0.2499), 0);
  assert.equal(confidenceBand(0.25), 1);
  assert.equal(confidenceBand(0.49), 1);
  assert.equal(confidenceBand(0.5), 2);
  assert.equal(confidenceBand(0.74), 2);
  assert.equal(confidenceBand(0.75), 3);
  assert.equal(confidenceBand(1), 3);
  for (const outside of [undefined, -0.01, 1.01, Number.NaN]) assert.equal(confidenceBand(outside), undefined);
  assert.deepEqual([0, 1, 2, 3].map(bandLabel), ["[0, 0.25)", "[0.25, 0.5)", "[0.5, 0.75)", "[0.75, 1]"]);
});

test("acceptance by confidence band: shown by the first item's confidence, accepted by the accepted item's, partly accepted once", () => {
  const stats = new CompletionStatistics();
  // [0, 0.25): four shown, none accepted.
  for (const c of [0.1, 0.2, 0.05, 0.24]) stats.recordResponse(10, 1, c);
  // [0.25, 0.5): two shown, one accepted whole.
  stats.recordResponse(10, 1, 0.3);
  stats.recordResponse(10, 1, 0.45);
  stats.recordAccepted(5, 0.45);
  // [0.5, 0.75): one shown, partly accepted twice (counts once).
  stats.recordResponse(10, 1, 0.6);
  stats.recordPartialAccept(4);
  stats.recordPartialAccept(2);
  // [0.75, 1]: three shown, two accepted; an empty answer and one without a confidence count in no band.
  stats.recordResponse(10, 1, 0.9);
  stats.recordAccepted(8, 0.9);
  stats.recordResponse(10, 1, 1);
  stats.recordAccepted(3, 1);
  stats.recordResponse(10, 1, 0.8);
  stats.recordResponse(10, 0, 0.95);
  stats.recordResponse(10, 1);
  stats.recordAccepted(6);
  const s = stats.summary();
  assert.deepEqual(s.byConfidence, [
    { label: "[0, 0.25)", shown: 4, accepted: 0, acceptanceRate: 0 },
    { label: "[0.25, 0.5)", shown: 2, accepted: 1, acceptanceRate: 0.5 },
    { label: "[0.5, 0.75)", shown: 1, accepted: 1, acceptanceRate: 1 },
    { label: "[0.75, 1]", shown: 3, accepted: 2, acceptanceRate: 2 / 3 },
  ]);
  assert.deepEqual([s.shown, s.accepted, s.partiallyAccepted], [11, 4, 1]);
  assert.deepEqual(formatSummary(s).split("\n").slice(-5), [
    "acceptance rate by the model's confidence:",
    "  [0, 0.25): 0.0% (0 of 4)",
    "  [0.25, 0.5): 50.0% (1 of 2)",
    "  [0.5, 0.75): 100.0% (1 of 1)",
    "  [0.75, 1]: 66.7% (2 of 3)",
  ]);
  // Saved and restored with the rest.
  const restored = new CompletionStatistics(stats.snapshot());
  assert.deepEqual(restored.snapshot().shownByConfidence, [4, 2, 1, 3]);
  assert.deepEqual(restored.snapshot().acceptedByConfidence, [0, 1, 1, 2]);
  stats.reset();
  assert.deepEqual(stats.summary().byConfidence, EMPTY_BANDS);
});

test("statistics saved before the bands existed, or corrupt bands, start the bands from zero", () => {
  const old = new CompletionStatistics({ requests: 5, shown: 3, accepted: 1 });
  assert.deepEqual(old.snapshot().shownByConfidence, [0, 0, 0, 0]);
  const corrupt = new CompletionStatistics({
    shownByConfidence: [2, -1, "x" as unknown as number],
    acceptedByConfidence: 7 as unknown as number[],
  });
  assert.deepEqual(corrupt.snapshot().shownByConfidence, [2, 0, 0, 0]);
  assert.deepEqual(corrupt.snapshot().acceptedByConfidence, [0, 0, 0, 0]);
});

test("server status answers map to status-bar states", () => {
  assert.deepEqual(parseServerStatus({ state: "ready", model: "lstm 2x256, step 1200, val 1.83 bpc" }), {
    kind: "ready",
    model: "lstm 2x256, step 1200, val 1.83 bpc",
  });
  assert.deepEqual(parseServerStatus({ state: "loading", checkpoint: "/m.ckpt" }), { kind: "loading", detail: "/m.ckpt" });
  // No checkpoint configured: the server serves its default model, and the status bar says so by shape alone.
  assert.deepEqual(
    parseServerStatus({
      state: "ready",
      model: "lstm 2x256, step 38000, val 1.21 bpc",
      checkpoint: "/ext/server/charrnn-default.ckpt",
      defaultModel: true,
    }),
    { kind: "ready", model: "default model (lstm 2x256)", defaultModel: true },
  );
  assert.deepEqual(parseServerStatus({ state: "ready", model: "lstm 2x256, step 9, val 3.0 bpc", defaultModel: false }), {
    kind: "ready",
    model: "lstm 2x256, step 9, val 3.0 bpc",
  });
  assert.deepEqual(parseServerStatus({ state: "noCheckpoint" }), { kind: "noCheckpoint" });
  assert.deepEqual(parseServerStatus({ state: "failed", error: "corrupt checkpoint", model: null }), {
    kind: "error",
    message: "corrupt checkpoint",
  });
  assert.deepEqual(parseServerStatus(null), { kind: "error", message: "the server sent no status" });
  assert.equal(shortModelName("/runs/tiny/model.ckpt"), "model.ckpt");
});
