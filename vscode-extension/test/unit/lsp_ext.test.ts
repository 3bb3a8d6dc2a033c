// Unit tests of the confidence the server sends: each item's data, and the status bar's note on a
// request held back for low confidence, from servers that send these fields and older ones that do not.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { heldBackText, itemConfidence } from "../../src/lsp_ext";

test("an item's confidence comes from its data, when it is a number from 0 to 1", () => {
  assert.equal(itemConfidence({ confidence: 0.73 }), 0.73);
  assert.equal(itemConfidence({ confidence: 0 }), 0);
  assert.equal(itemConfidence({ confidence: 1 }), 1);
  // An older server sends no data; anything else unusable counts as none.
  for (const data of [
    undefined,
    null,
    {},
    { confidence: "0.7" },
    { confidence: 1.2 },
    { confidence: -0.1 },
    { confidence: Number.NaN },
    0.5,
  ]) {
    assert.equal(itemConfidence(data), undefined);
  }
});

test("a request held back for low confidence is told with the server's threshold", () => {
  const trace = { generated: 8, kept: 5, confidence: 0.31, heldBack: true, declined: "low confidence (0.31 < 0.50)" };
  assert.equal(heldBackText(trace, 0.4), "Last suggestion held back: confidence 0.31 below 0.50");
  // Without a threshold in its text, the one the extension sent stands in; without either, none is named.
  assert.equal(heldBackText({ ...trace, declined: "low confidence" }, 0.45), "Last suggestion held back: confidence 0.31 below 0.45");
  assert.equal(heldBackText({ ...trace, declined: null }), "Last suggestion held back: confidence 0.31");
  assert.equal(
    heldBackText({ heldBack: true, confidence: 0.127, declined: "low confidence (0.127 < .2)" }),
    "Last suggestion held back: confidence 0.13 below 0.20",
  );
  // No confidence given: the server's reason as it is.
  assert.equal(heldBackText({ heldBack: true, confidence: null, declined: "low confidence" }), "Last suggestion held back: low confidence");
  assert.equal(heldBackText({ heldBack: true }), "Last suggestion held back: low confidence");
});

test("a request not held back, or a server that predates heldBack, gives no note", () => {
  assert.equal(heldBackText({ confidence: 0.8, heldBack: false, declined: null }, 0.5), undefined);
  assert.equal(heldBackText({ confidence: 0.2, heldBack: false, declined: "no candidate holds a whole token" }, 0.5), undefined);
  assert.equal(heldBackText({ generated: 8, kept: 0, declined: "no candidate holds a whole token" }, 0.5), undefined);
  assert.equal(heldBackText(null, 0.5), undefined);
  assert.equal(heldBackText(undefined), undefined);
});
