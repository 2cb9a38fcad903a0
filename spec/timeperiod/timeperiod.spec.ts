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
    ['0000000000', 'year 0000 does not exist'],
    ['0000010100', 'year 0000 does not exist'],
  ]) {
    it(`rejects ${bad} with a message that shows the format`, () => {
      expect(() => parseTimeperiod(bad)).to.throw(InvalidTimeperiodError, why);
      expect(() => parseTimeperiod(bad)).to.throw(/Expected ten digits YYYYMMDDHH/);
    });
  }

  // Airflow's ds and ds_nodash, an ISO time: the message names the timeperiod to type, not a generic example.
  for (const [written, hint] of [
    ['2026-11-26', "'-' at position 5 is not a digit (for the day 2026-11-26 write 2026112600)"],
    ['20261126', 'it has 8 characters, not ten digits (for the day 2026-11-26 write 2026112600)'],
    ['2026-11-26T07:00:00Z', 'it has 20 characters, not ten digits (for 2026-11-26 07:00 write 2026112607)'],
    ['2026-11-26 07', 'it has 13 characters, not ten digits (for 2026-11-26 07:00 write 2026112607)'],
    ['2026/11/26', "'/' at position 5 is not a digit (write 2026120100, not 2026-12-01)"],
    ['202611260', 'it has 9 characters, not ten digits. Expected'],
  ]) {
    it(`rejects ${written} naming the timeperiod it most likely means`, () => {
      expect(() => parseTimeperiod(written)).to.throw(InvalidTimeperiodError, `invalid timeperiod "${written}": ${hint}`);
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

  it('keeps years below 100 as written, not as 19xx', () => {
    // Date.UTC maps years 0-99 to 1900-1999: 0050 is not a leap year, 1950 is not either, but 0048 is and 1948 too;
    // 0100 is not a leap year while 2000 (what 00 would become in a naive 20xx rule) is.
    expect(parseTimeperiod('0048022900').day).to.equal(29);
    expect(() => parseTimeperiod('0100022900')).to.throw(InvalidTimeperiodError, 'day 29 does not exist');
    expect(nextTimeperiod('0050010100')).to.equal('0050010200');
    expect(nextTimeperiod('0099123123')).to.equal('0100010100');
    expect(nextTimeperiod('0001123100')).to.equal('0002010100');
  });

  it('refuses to step past year 9999, the last a timeperiod can name', () => {
    expect(() => nextTimeperiod('9999000000')).to.throw(InvalidTimeperiodError, 'year 9999 is the last');
    expect(() => nextTimeperiod('9999123123')).to.throw(InvalidTimeperiodError, 'year 9999 is the last');
    expect(nextTimeperiod('9999123022')).to.equal('9999123023');
  });
});
