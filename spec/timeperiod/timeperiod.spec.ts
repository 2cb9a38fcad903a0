import { expect } from 'chai';
import { InvalidTimeperiodError, nextTimeperiod, parseTimeperiod } from '../../src';

describe('timeperiod', () => {
  it('tells the granularity by the zeroed trailing fields', () => {
    expect(parseTimeperiod('2026112607').granularity).to.equal('hourly');
    expect(parseTimeperiod('2026112600').granularity).to.equal('daily');
    expect(parseTimeperiod('2026110000').granularity).to.equal('monthly');
    expect(parseTimeperiod('2026000000').granularity).to.equal('yearly');
  });

  for (const [bad, why] of [
    ['202611260', 'has 9 characters'],
    ['20261126000', 'has 11 characters'],
    ['2026132600', 'month 13'],
    ['2026112624', 'hour 24'],
    ['2026023100', 'day 31 does not exist'],
    ['2025022900', 'day 29 does not exist'],
    ['2026001500', 'yearly period'],
    ['2026110007', 'monthly period'],
    ['abcdefghij', 'ten digits'],
  ]) {
    it(`rejects ${bad} with a message that shows the format`, () => {
      expect(() => parseTimeperiod(bad)).to.throw(InvalidTimeperiodError, why);
      expect(() => parseTimeperiod(bad)).to.throw(/Expected ten digits YYYYMMDDHH/);
    });
  }

  it('accepts 29 February in a leap year', () => {
    expect(parseTimeperiod('2028022900').day).to.equal(29);
  });

  it('steps to the next period across month, year and day boundaries', () => {
    expect(nextTimeperiod('2026113000')).to.equal('2026120100');
    expect(nextTimeperiod('2026123123')).to.equal('2027010100');
    expect(nextTimeperiod('2026110000')).to.equal('2026120000');
    expect(nextTimeperiod('2026120000')).to.equal('2027010000');
    expect(nextTimeperiod('2026000000')).to.equal('2027000000');
    expect(nextTimeperiod('2028022800')).to.equal('2028022900');
  });
});
