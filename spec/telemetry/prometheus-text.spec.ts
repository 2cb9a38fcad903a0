import { expect } from 'chai';
import { PrometheusText } from '../../src/telemetry/prometheus-text';

describe('telemetry/prometheus-text', () => {
  it('escapes backslashes, double quotes and line feeds in label values and help texts', () => {
    const text = new PrometheusText().family('x_total', 'counter', 'a \\ help\nline', [[{ flow: 'a\\b"c\nd' }, 3]]).toString();
    expect(text).to.equal('# HELP x_total a \\\\ help\\nline\n# TYPE x_total counter\nx_total{flow="a\\\\b\\"c\\nd"} 3\n');
  });

  it('writes a histogram with cumulative buckets, +Inf, sum and count', () => {
    const text = new PrometheusText().histogram(
      'd_ms',
      'durations',
      [10, 100],
      [[{ state: 'ok' }, { counts: [2, 1], sum: 150.5, count: 4 }]],
    );
    expect(text.toString().split('\n')).to.deep.equal([
      '# HELP d_ms durations',
      '# TYPE d_ms histogram',
      'd_ms_bucket{state="ok",le="10"} 2',
      'd_ms_bucket{state="ok",le="100"} 3',
      'd_ms_bucket{state="ok",le="+Inf"} 4',
      'd_ms_sum{state="ok"} 150.5',
      'd_ms_count{state="ok"} 4',
      '',
    ]);
  });
});
