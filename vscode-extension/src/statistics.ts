// Local-only completion statistics: how many suggestions were shown and accepted, and how long the
// server took. Kept in the editor's global state on this machine; nothing is ever sent anywhere.
// Does not know what was shown on screen beyond what the editor asked for and got back: a suggestion
// counts as shown when a request returned at least one item and was not cancelled before it arrived.
// Accepting counts items and characters: a whole suggestion (Tab) or part of one (next word, next line);
// a suggestion partly accepted several times counts once as an item, its characters every time.

/** Latencies kept for percentiles: the most recent ones, so that old sessions fade out. */
export const LATENCY_WINDOW = 1000;

export interface StatisticsSnapshot {
  requests: number;
  shown: number;
  accepted: number;
  /** Suggestions of which a part was accepted (next word / next line), each counted once. */
  partiallyAccepted: number;
  /** Next-word and next-line accepts. */
  partialAccepts: number;
  /** Characters inserted by accepting, whole or in part. */
  charactersAccepted: number;
  latenciesMs: number[];
}

export interface StatisticsSummary {
  requests: number;
  shown: number;
  accepted: number;
  partiallyAccepted: number;
  partialAccepts: number;
  charactersAccepted: number;
  /** (accepted + partiallyAccepted) / shown, or null before anything was shown. */
  acceptanceRate: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
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
  /** The suggestion shown last, and whether a part of it was already counted; not saved. */
  private lastShown = 0;
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
    }
  }

  /** A request that completed (not cancelled), with the number of items it returned. */
  recordResponse(latencyMs: number, itemCount: number): void {
    this.requests++;
    this.latencies.push(latencyMs);
    if (this.latencies.length > LATENCY_WINDOW) this.latencies.splice(0, this.latencies.length - LATENCY_WINDOW);
    if (itemCount > 0) {
      this.shown++;
      this.lastShown++;
    }
  }

  /** A whole suggestion accepted (Tab) that inserted `characters`. */
  recordAccepted(characters: number): void {
    this.accepted++;
    this.charactersAccepted += Math.max(0, Math.floor(characters));
  }

  /** Part of the suggestion shown last accepted (next word or next line), inserting `characters`. */
  recordPartialAccept(characters: number): void {
    this.partialAccepts++;
    this.charactersAccepted += Math.max(0, Math.floor(characters));
    if (this.lastPartiallyCounted !== this.lastShown) {
      this.partiallyAccepted++;
      this.lastPartiallyCounted = this.lastShown;
    }
  }

  reset(): void {
    this.requests = this.shown = this.accepted = this.partiallyAccepted = this.partialAccepts = this.charactersAccepted = 0;
    this.latencies = [];
  }

  private counts(): Omit<StatisticsSnapshot, "latenciesMs"> {
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
    return { ...this.counts(), latenciesMs: [...this.latencies] };
  }

  summary(): StatisticsSummary {
    return {
      ...this.counts(),
      acceptanceRate: this.shown ? Math.min(1, (this.accepted + this.partiallyAccepted) / this.shown) : null,
      p50Ms: percentile(this.latencies, 50),
      p90Ms: percentile(this.latencies, 90),
      p99Ms: percentile(this.latencies, 99),
    };
  }
}

function nonNegative(x: unknown): number {
  return typeof x === "number" && Number.isFinite(x) && x > 0 ? Math.floor(x) : 0;
}

/** The report the "Show Completion Statistics" command prints. */
export function formatSummary(s: StatisticsSummary): string {
  const ms = (x: number | null) => (x === null ? "-" : `${Math.round(x)} ms`);
  const rate = s.acceptanceRate === null ? "-" : `${(100 * s.acceptanceRate).toFixed(1)}%`;
  return [
    "CharRnnCode completion statistics (this machine only; nothing is sent anywhere)",
    `requests answered: ${s.requests}`,
    `suggestions shown: ${s.shown}`,
    `suggestions accepted: ${s.accepted}`,
    `suggestions partly accepted: ${s.partiallyAccepted} (${s.partialAccepts} next-word/next-line accepts)`,
    `characters accepted: ${s.charactersAccepted}`,
    `acceptance rate (whole or partly): ${rate}`,
    `latency p50 / p90 / p99: ${ms(s.p50Ms)} / ${ms(s.p90Ms)} / ${ms(s.p99Ms)}`,
  ].join("\n");
}
