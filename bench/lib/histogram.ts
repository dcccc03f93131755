/**
 * A mergeable latency histogram with log-spaced buckets (2 % wide), so load
 * generators in several processes can each record millions of samples in
 * constant memory and the runner can merge them before reading percentiles.
 * Percentiles are exact to within one bucket width; `max` is exact.
 */

const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);
/** Smallest distinguishable value, in the unit recorded (we record milliseconds). */
const FLOOR = 0.001;

/** The plain-data form of a histogram, safe to send over IPC. */
export interface HistogramData {
  buckets: Array<[index: number, count: number]>;
  count: number;
  sum: number;
  max: number;
}

/** Percentile summary in the recorded unit. */
export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

/** A log-bucketed histogram of non-negative values. */
export class Histogram {
  private readonly counts = new Map<number, number>();
  private total = 0;
  private sum = 0;
  private maximum = 0;

  /** Builds a histogram from data produced by {@link Histogram.toData}. */
  static from(data: HistogramData): Histogram {
    const h = new Histogram();
    h.merge(data);
    return h;
  }

  /** Records one value; negative values (clock skew) count as zero. */
  record(value: number): void {
    const v = value > 0 ? value : 0;
    const index = v <= FLOOR ? 0 : Math.floor(Math.log(v / FLOOR) / LOG_GROWTH) + 1;
    this.counts.set(index, (this.counts.get(index) ?? 0) + 1);
    this.total += 1;
    this.sum += v;
    if (v > this.maximum) this.maximum = v;
  }

  /** Adds every sample of another histogram to this one. */
  merge(data: HistogramData): void {
    for (const [index, count] of data.buckets) {
      this.counts.set(index, (this.counts.get(index) ?? 0) + count);
    }
    this.total += data.count;
    this.sum += data.sum;
    if (data.max > this.maximum) this.maximum = data.max;
  }

  /** Number of samples recorded. */
  get count(): number {
    return this.total;
  }

  /** The value below which `p` percent of samples fall (upper edge of its bucket, capped at max). */
  percentile(p: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    const indexes = [...this.counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const index of indexes) {
      seen += this.counts.get(index) ?? 0;
      if (seen >= rank) {
        const upper = index === 0 ? FLOOR : FLOOR * GROWTH ** index;
        return Math.min(upper, this.maximum);
      }
    }
    return this.maximum;
  }

  /** count, mean, p50, p99 and max. */
  summary(): Summary {
    return {
      count: this.total,
      mean: this.total === 0 ? Number.NaN : this.sum / this.total,
      p50: this.percentile(50),
      p99: this.percentile(99),
      max: this.total === 0 ? Number.NaN : this.maximum,
    };
  }

  /** Plain data for IPC or merging. */
  toData(): HistogramData {
    return { buckets: [...this.counts.entries()], count: this.total, sum: this.sum, max: this.maximum };
  }
}

/** Merges histogram data from several processes into one histogram. */
export function mergeAll(parts: readonly HistogramData[]): Histogram {
  const h = new Histogram();
  for (const part of parts) h.merge(part);
  return h;
}
