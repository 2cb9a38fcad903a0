import { expect } from 'chai';
import { timeperiodOrdinal } from '../../src/timeperiod/timeperiod';
import {
  isTimeperiodOf,
  previousTimeperiod,
  timeperiodAt,
  timeperiodEnd,
  timeperiodFromOrdinal,
  timeperiodStart,
} from '../../src/timeperiod/timeperiod-time';

describe('timeperiods as UTC instants', () => {
  it('a period starts and ends in UTC, whatever the granularity', () => {
    expect(timeperiodStart('2026010105').toISOString()).to.equal('2026-01-01T05:00:00.000Z');
    expect(timeperiodEnd('2026010123', 'hourly').toISOString()).to.equal('2026-01-02T00:00:00.000Z');
    expect(timeperiodEnd('2026022800', 'daily').toISOString()).to.equal('2026-03-01T00:00:00.000Z');
    expect(timeperiodEnd('2026120000', 'monthly').toISOString()).to.equal('2027-01-01T00:00:00.000Z');
    expect(timeperiodEnd('2024000000', 'yearly').toISOString()).to.equal('2025-01-01T00:00:00.000Z');
    // Hour 00 of an hourly flow reads like a day: its granularity says which.
    expect(timeperiodEnd('2026010100', 'hourly').toISOString()).to.equal('2026-01-01T01:00:00.000Z');
  });

  it('finds the period of an instant, and the one before', () => {
    const instant = new Date('2028-02-29T23:59:59.999Z');
    expect(['hourly', 'daily', 'monthly', 'yearly'].map((g) => timeperiodAt(instant, g as never))).to.deep.equal([
      '2028022923',
      '2028022900',
      '2028020000',
      '2028000000',
    ]);
    expect(previousTimeperiod('2026010100', 'hourly')).to.equal('2025123123');
    expect(previousTimeperiod('2026030100', 'daily')).to.equal('2026022800');
    expect(previousTimeperiod('2026010000', 'monthly')).to.equal('2025120000');
  });

  it('tells which granularity a period can be of', () => {
    expect(isTimeperiodOf('2026010100', 'hourly')).to.equal(true);
    expect(isTimeperiodOf('2026010100', 'daily')).to.equal(true);
    expect(isTimeperiodOf('2026010105', 'daily')).to.equal(false);
    expect(isTimeperiodOf('2026010000', 'hourly')).to.equal(false);
    expect(isTimeperiodOf('2026000000', 'yearly')).to.equal(true);
  });

  it('maps ordinals back to periods', () => {
    for (const [tp, g] of [
      ['2026030105', 'hourly'],
      ['2028022900', 'daily'],
      ['2026120000', 'monthly'],
      ['2026000000', 'yearly'],
    ] as const) {
      expect(timeperiodFromOrdinal(timeperiodOrdinal(tp, g), g)).to.equal(tp);
    }
  });
});
