// Local-only completion statistics: how many suggestions were shown and accepted, and how long the
// server took. Kept in the editor's global state on this machine; nothing is ever sent anywhere.
// Does not know what was shown on screen beyond what the editor asked for and got back: a suggestion
// counts as shown when a request returned at least one item and was not cancelled before it arrived.
// Accepting counts items and characters: a whole suggestion (Tab) or part of one (next word, next line);
// a suggestion partly accepted several times counts once as an item, its characters every time.
// Suggestions that carry the model's confidence (the server's item data) are also counted by confidence
// band, to show whether confident suggestions are the ones accepted (and so where minConfidence is worth
// setting); a suggestion without one (an older server) counts in the totals only.

/** Latencies kept for percentiles: the most recent ones, so that old sessions fade out. */
export const LATENCY_WINDOW = 1000;

/** The confidence bands' lower bounds: [0, 0.25), [0.25, 0.5), [0.5, 0.75), [0.75, 1]. */
export const CONFIDENCE_BANDS = [0, 0.25, 0.5, 0.75] as const;

/** The band of a confidence in 0..1 (1 falls in the last band), or undefined for none or one out of range. */
export function confidenceBand(confidence: number | undefined): number | undefined {
  if (typeof confidence !== "number" || !Number.isFinite(confidence) || confidence < 0 || confidence > 1) return undefined;
  let band = 0;
  while (band + 1 < CONFIDENCE_BANDS.length && confidence >= CONFIDENCE_BANDS[band + 1]) band++;
  return band;
}

/** "[0.25, 0.5)"; the last band is closed at 1. */
export function bandLabel(band: number): string {
  const upper = band + 1 < CONFIDENCE_BANDS.length ? `${CONFIDENCE_BANDS[band + 1]})` : "1]";
  return `[${CONFIDENCE_BANDS[band]}, ${upper}`;
}

export interface BandSummary {
  label: string;
  shown: number;
  /** Accepted whole or partly, as in the overall rate. */
  accepted: number;
  /** accepted / shown, or null when nothing in the band was shown. */
  acceptanceRate: number | null;
}

/** The counters that a snapshot saves and a summary reports as they are. */
export interface StatisticsCounts {
  requests: number;
  shown: number;
  accepted: number;
  /** Suggestions of which a part was accepted (next word / next line), each counted once. */
  partiallyAccepted: number;
  /** Next-word and next-line accepts. */
  partialAccepts: number;
  /** Characters inserted by accepting, whole or in part. */
  charactersAccepted: number;
}

export interface StatisticsSnapshot extends StatisticsCounts {
  latenciesMs: number[];
  /** Per confidence band (CONFIDENCE_BANDS): suggestions shown, and those accepted whole or partly. */
  shownByConfidence: number[];
  acceptedByConfidence: number[];
}

export interface StatisticsSummary extends StatisticsCounts {
  /** (accepted + partiallyAccepted) / shown, or null before anything was shown. */
  acceptanceRate: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  byConfidence: BandSummary[];
}

/** Nearest-rank percentile of an unsorted list; null for an empty one. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export class CompletionStatistics {
  private requests = 0;
  private shown = 0;
  private accepted = 0;
  private partiallyAccepted = 0;
  private partialAccepts = 0;
  private charactersAccepted = 0;
  private latencies: number[] = [];
  private shownByConfidence = CONFIDENCE_BANDS.map(() => 0);
  private acceptedByConfidence = CONFIDENCE_BANDS.map(() => 0);
  /** The suggestion shown last, its confidence, and whether a part of it was already counted; not saved. */
  private lastShown = 0;
  private lastShownConfidence: number | undefined;
  private lastPartiallyCounted = -1;

  constructor(snapshot?: Partial<StatisticsSnapshot>) {
    if (snapshot) {
      this.requests = nonNegative(snapshot.requests);
      this.shown = nonNegative(snapshot.shown);
      this.accepted = nonNegative(snapshot.accepted);
      this.partiallyAccepted = nonNegative(snapshot.partiallyAccepted);
      this.partialAccepts = nonNegative(snapshot.partialAccepts);
      this.charactersAccepted = nonNegative(snapshot.charactersAccepted);
      this.latencies = Array.isArray(snapshot.latenciesMs)
        ? snapshot.latenciesMs.filter((x) => typeof x === "number" && Number.isFinite(x)).slice(-LATENCY_WINDOW)
        : [];
      this.shownByConfidence = bandCounts(snapshot.shownByConfidence);
      this.acceptedByConfidence = bandCounts(snapshot.acceptedByConfidence);
    }
  }

  /** A request that completed (not cancelled), with the number of items it returned and the first (shown) one's confidence. */
  recordResponse(latencyMs: number, itemCount: number, confidence?: number): void {
    this.requests++;
    this.latencies.push(latencyMs);
    if (this.latencies.length > LATENCY_WINDOW) this.latencies.splice(0, this.latencies.length - LATENCY_WINDOW);
    if (itemCount > 0) {
      this.shown++;
      this.lastShown++;
      this.lastShownConfidence = confidence;
      this.countBand(this.shownByConfidence, confidence);
    }
  }

  /** A whole suggestion accepted (Tab) that inserted `characters`; `confidence` is the accepted item's own. */
  recordAccepted(characters: number, confidence?: number): void {
    this.accepted++;
    this.charactersAccepted += Math.max(0, Math.floor(characters));
    this.countBand(this.acceptedByConfidence, confidence);
  }

  private countBand(counts: number[], confidence: number | undefined): void {
    const band = confidenceBand(confidence);
    if (band !== undefined) counts[band]++;
  }

  /** Part of the suggestion shown last accepted (next word or next line), inserting `characters`. */
  recordPartialAccept(characters: number): void {
    this.partialAccepts++;
    this.charactersAccepted += Math.max(0, Math.floor(characters));
    if (this.lastPartiallyCounted !== this.lastShown) {
      this.partiallyAccepted++;
      this.lastPartiallyCounted = this.lastShown;
      this.countBand(this.acceptedByConfidence, this.lastShownConfidence);
    }
  }

  reset(): void {
    this.requests = this.shown = this.accepted = this.partiallyAccepted = this.partialAccepts = this.charactersAccepted = 0;
    this.latencies = [];
    this.shownByConfidence = CONFIDENCE_BANDS.map(() => 0);
    this.acceptedByConfidence = CONFIDENCE_BANDS.map(() => 0);
  }

  private counts(): StatisticsCounts {
    return {
      requests: this.requests,
      shown: this.shown,
      accepted: this.accepted,
      partiallyAccepted: this.partiallyAccepted,
      partialAccepts: this.partialAccepts,
      charactersAccepted: this.charactersAccepted,
    };
  }

  snapshot(): StatisticsSnapshot {
    return {
      ...this.counts(),
      latenciesMs: [...this.latencies],
      shownByConfidence: [...this.shownByConfidence],
      acceptedByConfidence: [...this.acceptedByConfidence],
    };
  }

  summary(): StatisticsSummary {
    return {
      ...this.counts(),
      acceptanceRate: this.shown ? Math.min(1, (this.accepted + this.partiallyAccepted) / this.shown) : null,
      p50Ms: percentile(this.latencies, 50),
      p90Ms: percentile(this.latencies, 90),
      p99Ms: percentile(this.latencies, 99),
      byConfidence: CONFIDENCE_BANDS.map((_, band) => {
        const shown = this.shownByConfidence[band];
        const accepted = this.acceptedByConfidence[band];
        return { label: bandLabel(band), shown, accepted, acceptanceRate: shown ? Math.min(1, accepted / shown) : null };
      }),
    };
  }
}

function nonNegative(x: unknown): number {
  return typeof x === "number" && Number.isFinite(x) && x > 0 ? Math.floor(x) : 0;
}

/** One count per band from a saved snapshot; missing (saved before bands existed) or corrupt: zeros. */
function bandCounts(saved: unknown): number[] {
  return CONFIDENCE_BANDS.map((_, band) => (Array.isArray(saved) ? nonNegative(saved[band]) : 0));
}

/** The report the "Show Completion Statistics" command prints. */
export function formatSummary(s: StatisticsSummary): string {
  const ms = (x: number | null) => (x === null ? "-" : `${Math.round(x)} ms`);
  const percent = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(1)}%`);
  const rate = percent(s.acceptanceRate);
  return [
    "CharRnnCode completion statistics (this machine only; nothing is sent anywhere)",
    `requests answered: ${s.requests}`,
    `suggestions shown: ${s.shown}`,
    `suggestions accepted: ${s.accepted}`,
    `suggestions partly accepted: ${s.partiallyAccepted} (${s.partialAccepts} next-word/next-line accepts)`,
    `characters accepted: ${s.charactersAccepted}`,
    `acceptance rate (whole or partly): ${rate}`,
    `latency p50 / p90 / p99: ${ms(s.p50Ms)} / ${ms(s.p90Ms)} / ${ms(s.p99Ms)}`,
    "acceptance rate by the model's confidence:",
    ...s.byConfidence.map((b) => `  ${b.label}: ${percent(b.acceptanceRate)} (${b.accepted} of ${b.shown})`),
  ].join("\n");
}
