import { expect } from 'chai';
import { timeperiodRange } from '../../../src/cli/backfill/timeperiod-range';
import { planBackfill } from '../../../src/cli/backfill/backfill-plan';
import { CliUsageError } from '../../../src/cli/cli-usage.error';
import { FlowState, InvalidTimeperiodError } from '../../../src';

describe('backfill ranges and plans', () => {
  it('walks each granularity across its boundaries, both bounds included', () => {
    expect(timeperiodRange('2026123122', '2027010101')).to.deep.equal({ granularity: 'hourly', timeperiods: ['2026123122', '2026123123', '2027010100', '2027010101'] });
    expect(timeperiodRange('2028022700', '2028030100').timeperiods).to.deep.equal(['2028022700', '2028022800', '2028022900', '2028030100']);
    expect(timeperiodRange('2026022700', '2026030100').timeperiods).to.deep.equal(['2026022700', '2026022800', '2026030100']);
    expect(timeperiodRange('2026110000', '2027020000')).to.deep.equal({ granularity: 'monthly', timeperiods: ['2026110000', '2026120000', '2027010000', '2027020000'] });
    expect(timeperiodRange('2025000000', '2027000000').timeperiods).to.deep.equal(['2025000000', '2026000000', '2027000000']);
    expect(timeperiodRange('2026112600', '2026112600').timeperiods).to.deep.equal(['2026112600']);
    expect(timeperiodRange('2026010100', '2026123100').timeperiods).to.have.length(365);
  });

  it('rejects reversed bounds, mixed granularities and bad timeperiods', () => {
    expect(() => timeperiodRange('2026120100', '2026113000')).to.throw(CliUsageError, '--from 2026120100 is after --to 2026113000');
    expect(() => timeperiodRange('2026112607', '2026112700')).to.throw(CliUsageError, 'e.g. --to 2026112700');
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
    expect(planBackfill(tps, persisted, false)[3].reason).to.match(/^in_progress: another engine may be running it/);
  });
});
