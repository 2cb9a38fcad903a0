/**
 * Prometheus's text exposition format (version 0.0.4), for the few metric types the viewer's
 * `/metrics` serves: a small writer instead of a client library, as the format is a page of rules.
 */

/** The content type a Prometheus scraper expects. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Label names to values, in the order written. */
export type Labels = Readonly<Record<string, string>>;

/** One cumulative histogram: counts per upper bound (`bounds[i]`, then +Inf), sum and count. */
export interface HistogramValue {
  /** Observations at most `bounds[i]`, not cumulated: the writer cumulates them. */
  counts: number[];
  sum: number;
  count: number;
}

/** Writes metric families into one text: each with its HELP and TYPE lines, then its samples. */
export class PrometheusText {
  private readonly lines: string[] = [];

  /** A counter or a gauge: one sample per label set. */
  family(name: string, type: 'counter' | 'gauge', help: string, samples: Iterable<[Labels, number]>): this {
    this.header(name, type, help);
    for (const [labels, value] of samples) this.lines.push(`${name}${labelText(labels)} ${numberText(value)}`);
    return this;
  }

  /** A histogram: its `_bucket` lines with `le`, cumulated, then `_sum` and `_count`, per label set. */
  histogram(name: string, help: string, bounds: readonly number[], samples: Iterable<[Labels, HistogramValue]>): this {
    this.header(name, 'histogram', help);
    for (const [labels, value] of samples) {
      let cumulated = 0;
      bounds.forEach((bound, i) => {
        cumulated += value.counts[i];
        this.lines.push(`${name}_bucket${labelText({ ...labels, le: numberText(bound) })} ${cumulated}`);
      });
      this.lines.push(`${name}_bucket${labelText({ ...labels, le: '+Inf' })} ${value.count}`);
      this.lines.push(`${name}_sum${labelText(labels)} ${numberText(value.sum)}`);
      this.lines.push(`${name}_count${labelText(labels)} ${value.count}`);
    }
    return this;
  }

  /** The text, ending with a line break as the format requires. */
  toString(): string {
    return this.lines.length ? `${this.lines.join('\n')}\n` : '';
  }

  private header(name: string, type: string, help: string): void {
    this.lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
  }
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

/** Backslash, double quote and line feed are the three characters a label value escapes. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
