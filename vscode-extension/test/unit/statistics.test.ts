// Unit tests of the local statistics and the status mapping.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { CompletionStatistics, formatSummary, LATENCY_WINDOW, percentile } from "../../src/statistics";
import { parseServerStatus, shortModelName } from "../../src/lsp_ext";

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
    ].join("\n"),
  );
  stats.reset();
  assert.deepEqual(stats.summary(), {
    requests: 0,
    shown: 0,
    accepted: 0,
    partiallyAccepted: 0,
    partialAccepts: 0,
    charactersAccepted: 0,
    acceptanceRate: null,
    p50Ms: null,
    p90Ms: null,
    p99Ms: null,
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
    requests: 0,
    shown: 0,
    accepted: 0,
    partiallyAccepted: 0,
    partialAccepts: 0,
    charactersAccepted: 0,
    latenciesMs: [],
  });
});

test("server status answers map to status-bar states", () => {
  assert.deepEqual(parseServerStatus({ state: "ready", model: "lstm 2x256, step 1200, val 1.83 bpc" }), {
    kind: "ready",
    model: "lstm 2x256, step 1200, val 1.83 bpc",
  });
  assert.deepEqual(parseServerStatus({ state: "loading", checkpoint: "/m.ckpt" }), { kind: "loading", detail: "/m.ckpt" });
  // No checkpoint configured: the server serves its default model, and the status bar says so by shape alone.
  assert.deepEqual(
    parseServerStatus({ state: "ready", model: "lstm 2x256, step 38000, val 1.21 bpc", checkpoint: "/ext/server/charrnn-default.ckpt", defaultModel: true }),
    { kind: "ready", model: "default model (lstm 2x256)", defaultModel: true },
  );
  assert.deepEqual(parseServerStatus({ state: "ready", model: "lstm 2x256, step 9, val 3.0 bpc", defaultModel: false }), {
    kind: "ready",
    model: "lstm 2x256, step 9, val 3.0 bpc",
  });
  assert.deepEqual(parseServerStatus({ state: "noCheckpoint" }), { kind: "noCheckpoint" });
  assert.deepEqual(parseServerStatus({ state: "failed", error: "corrupt checkpoint", model: null }), { kind: "error", message: "corrupt checkpoint" });
  assert.deepEqual(parseServerStatus(null), { kind: "error", message: "the server sent no status" });
  assert.equal(shortModelName("/runs/tiny/model.ckpt"), "model.ckpt");
});
