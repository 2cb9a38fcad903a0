import { expect } from 'chai';
import { planBackfill } from '../../../src/cli/backfill/backfill-plan';
import { MAX_BACKFILL_PERIODS, timeperiodRange } from '../../../src/cli/backfill/timeperiod-range';

import { CliUsageError } from '../../../src/errors';
import { FlowState, InvalidTimeperiodError } from '../../../src';

describe('backfill ranges and plans', () => {
  it('walks each granularity across its boundaries, both bounds included', () => {
    expect(timeperiodRange('2026123122', '2027010101')).to.deep.equal({
      granularity: 'hourly',
      timeperiods: ['2026123122', '2026123123', '2027010100', '2027010101'],
    });
    expect(timeperiodRange('2028022700', '2028030100').timeperiods).to.deep.equal(['2028022700', '2028022800', '2028022900', '2028030100']);
    expect(timeperiodRange('2026022700', '2026030100').timeperiods).to.deep.equal(['2026022700', '2026022800', '2026030100']);
    expect(timeperiodRange('2026110000', '2027020000')).to.deep.equal({
      granularity: 'monthly',
      timeperiods: ['2026110000', '2026120000', '2027010000', '2027020000'],
    });
    expect(timeperiodRange('2025000000', '2027000000').timeperiods).to.deep.equal(['2025000000', '2026000000', '2027000000']);
    expect(timeperiodRange('2026112600', '2026112600').timeperiods).to.deep.equal(['2026112600']);
    expect(timeperiodRange('2026010100', '2026123100').timeperiods).to.have.length(365);
  });

  it('counts years below 100 as written (not 19xx) and ends at year 9999', () => {
    expect(timeperiodRange('0050010100', '0050010300').timeperiods).to.deep.equal(['0050010100', '0050010200', '0050010300']);
    expect(timeperiodRange('9998000000', '9999000000').timeperiods).to.deep.equal(['9998000000', '9999000000']);
    expect(timeperiodRange('9999123122', '9999123123').timeperiods).to.deep.equal(['9999123122', '9999123123']);
  });

  it('refuses a range of more periods than MAX_BACKFILL_PERIODS before listing any, naming the count and the limit', () => {
    // 1000-01-01 01h .. 9999-12-31 23h is about 79 million hours: listing them took 1.4 GB and aborted.
    const used = process.memoryUsage().heapUsed;
    expect(() => timeperiodRange('1000010101', '9999123123')).to.throw(
      CliUsageError,
      /spans 78,892,[0-9]{3} hourly periods, more than the limit of 100,000/,
    );
    expect(process.memoryUsage().heapUsed - used).to.be.below(50 * 1024 * 1024);
    expect(() => timeperiodRange('2026010100', '2300010100')).to.throw(CliUsageError, /spans 100,077 daily periods/);

    expect(MAX_BACKFILL_PERIODS).to.equal(100_000);
    expect(timeperiodRange('2026010101', '2037052916').timeperiods).to.have.length(100_000);
    expect(() => timeperiodRange('2026010101', '2037052917')).to.throw(CliUsageError, /spans 100,001 hourly periods/);
  });

  it('reads a daily bound beside an hourly one as its hour 00: an hourly backfill can start or end at midnight', () => {
    expect(timeperiodRange('2026120500', '2026120503')).to.deep.equal({
      granularity: 'hourly',
      timeperiods: ['2026120500', '2026120501', '2026120502', '2026120503'],
    });
    expect(timeperiodRange('2026120422', '2026120500')).to.deep.equal({
      granularity: 'hourly',
      timeperiods: ['2026120422', '2026120423', '2026120500'],
    });
  });

  it('rejects reversed bounds, mixed granularities and bad timeperiods', () => {
    expect(() => timeperiodRange('2026120100', '2026113000')).to.throw(CliUsageError, '--from 2026120100 is after --to 2026113000');
    expect(() => timeperiodRange('2026112607', '2026120000')).to.throw(
      CliUsageError,
      '--from 2026112607 is hourly but --to 2026120000 is monthly',
    );
    expect(() => timeperiodRange('2026000000', '2026110000')).to.throw(CliUsageError, 'e.g. --to 2026000000');
    expect(() => timeperiodRange('2026113100', '2026120100')).to.throw(InvalidTimeperiodError, 'day 31 does not exist');
  });

  it('runs the new periods, skips the done ones, recovers the invalid ones only when asked, never touches unfinished ones', () => {
    const tps = ['2026112900', '2026113000', '2026120100', '2026120200', '2026120300'];
    const persisted = new Map([
      ['2026113000', FlowState.PROCESSED],
      ['2026120100', FlowState.INVALID],
      ['2026120200', FlowState.IN_PROGRESS],
      ['2026120300', FlowState.NOOP],
    ]);
    const actions = (rerun: boolean) => planBackfill(tps, persisted, rerun).map((i) => i.action);
    expect(actions(false)).to.deep.equal(['run', 'skip', 'skip', 'skip', 'skip']);
    expect(actions(true)).to.deep.equal(['run', 'skip', 'recover', 'skip', 'skip']);
    expect(planBackfill(tps, persisted, false)[3].reason).to.match(
      /^in_progress when the backfill began, another engine may be running it: check with status, resume with recover$/,
    );
  });
});
