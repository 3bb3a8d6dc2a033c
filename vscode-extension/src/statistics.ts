// Local-only completion statistics: how many suggestions were shown and accepted, and how long the
// server took. Kept in the editor's global state on this machine; nothing is ever sent anywhere.
// Does not know what was shown on screen beyond what the editor asked for and got back: a suggestion
// counts as shown when a request returned at least one item and was not cancelled before it arrived.

/** Latencies kept for percentiles: the most recent ones, so that old sessions fade out. */
export const LATENCY_WINDOW = 1000;

export interface StatisticsSnapshot {
  requests: number;
  shown: number;
  accepted: number;
  latenciesMs: number[];
}

export interface StatisticsSummary {
  requests: number;
  shown: number;
  accepted: number;
  /** accepted / shown, or null before anything was shown. */
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
  private latencies: number[] = [];

  constructor(snapshot?: Partial<StatisticsSnapshot>) {
    if (snapshot) {
      this.requests = nonNegative(snapshot.requests);
      this.shown = nonNegative(snapshot.shown);
      this.accepted = nonNegative(snapshot.accepted);
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
    if (itemCount > 0) this.shown++;
  }

  recordAccepted(): void {
    this.accepted++;
  }

  reset(): void {
    this.requests = this.shown = this.accepted = 0;
    this.latencies = [];
  }

  snapshot(): StatisticsSnapshot {
    return { requests: this.requests, shown: this.shown, accepted: this.accepted, latenciesMs: [...this.latencies] };
  }

  summary(): StatisticsSummary {
    return {
      requests: this.requests,
      shown: this.shown,
      accepted: this.accepted,
      acceptanceRate: this.shown ? this.accepted / this.shown : null,
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
    `acceptance rate: ${rate}`,
    `latency p50 / p90 / p99: ${ms(s.p50Ms)} / ${ms(s.p90Ms)} / ${ms(s.p99Ms)}`,
  ].join("\n");
}
