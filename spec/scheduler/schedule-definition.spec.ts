import { expect } from 'chai';
import { bootstrap, FlowDefinitionError, type ScheduleOptions, type Type } from '../../src';
import { scheduledFlow } from './fixtures/scheduled-flows';

/** The FlowDefinitionError bootstrap() throws for these flows (it fails before any database or log directory is touched). */
async function definitionError(...flows: Type[]): Promise<FlowDefinitionError> {
  const err = await bootstrap({ flows, database: { type: 'better-sqlite3', database: ':memory:' } }).then(
    async (app) => {
      await app.close();
      throw new Error('bootstrap() accepted the flows');
    },
    (e: unknown) => e,
  );
  expect(err).to.be.instanceOf(FlowDefinitionError);
  return err as FlowDefinitionError;
}

const bad = (schedule: unknown) => scheduledFlow('etl', schedule as ScheduleOptions);

describe('@Flow({ schedule }) at bootstrap', () => {
  it('fills the defaults: delayMs 0, maxActiveRuns 1, onFailure recover, retries 2, retryDelayMs 300000, no after', async () => {
    const app = await bootstrap({
      flows: [scheduledFlow('etl', { every: 'day', start: '2026010100' })],
      database: { type: 'better-sqlite3', database: ':memory:' },
    });
    try {
      expect(app.definition('etl').schedule).to.deep.equal({
        every: 'day',
        granularity: 'daily',
        start: '2026010100',
        delayMs: 0,
        maxActiveRuns: 1,
        onFailure: 'recover',
        retries: 2,
        retryDelayMs: 300_000,
        after: [],
      });
    } finally {
      await app.close();
    }
  });

  it('refuses a bad every', async () => {
    const err = await definitionError(bad({ every: 'week', start: '2026010100' }));
    expect(err.kind).to.equal('invalid-schedule');
    expect(err.flow).to.equal('etl');
    expect(err.message).to.equal("flow 'etl': @Flow({ schedule }) every must be 'hour', 'day', 'month' or 'year', got 'week'");
  });

  it('refuses a start that is not a timeperiod of the every granularity', async () => {
    const daily = await definitionError(bad({ every: 'day', start: '2026010105' }));
    expect(daily.message).to.equal(
      "flow 'etl': @Flow({ schedule }) start '2026010105' is not a daily timeperiod: with every: 'day' write a period like '2026010100' (YYYYMMDDHH, UTC)",
    );
    const monthly = await definitionError(bad({ every: 'month', start: '2026010100' }));
    expect(monthly.message).to.include("start '2026010100' is not a monthly timeperiod");
    const invalid = await definitionError(bad({ every: 'hour', start: '2026133100' }));
    expect(invalid.message).to.include("start '2026133100' is not a hourly timeperiod");
  });

  it('lists every problem of a schedule, with a did-you-mean for a misspelt option', async () => {
    const err = await definitionError(bad({ every: 'hour', start: '2026010100', retrys: 3, maxActiveRuns: 0, onFailure: 'ignore' }));
    expect(err.message).to.include('maxActiveRuns must be a whole number from 1 to 1000, got 0');
    expect(err.message).to.include("onFailure must be 'recover', 'stop' or 'continue', got 'ignore'");
    expect(err.message).to.include("'retrys' is not a schedule option: did you mean 'retries'?");
  });

  it('refuses an after that names a flow the application does not have', async () => {
    const err = await definitionError(
      scheduledFlow('hourly_ingest', { every: 'hour', start: '2026010100' }),
      scheduledFlow('daily_rollup', { every: 'day', start: '2026010100', after: ['hourly_ingst'] }),
    );
    expect(err.kind).to.equal('unknown-after');
    expect(err.flow).to.equal('daily_rollup');
    expect(err.message).to.equal(
      "flow 'daily_rollup': schedule.after names 'hourly_ingst', which is not a flow of this application (hourly_ingest, daily_rollup): did you mean 'hourly_ingest'?",
    );
  });

  it('refuses a cycle of after between flows, printing its path', async () => {
    const err = await definitionError(
      scheduledFlow('a', { every: 'day', start: '2026010100', after: ['b'] }),
      scheduledFlow('b', { every: 'day', start: '2026010100', after: ['a'] }),
    );
    expect(err.kind).to.equal('after-cycle');
    expect(err.message).to.match(/form a cycle: (a -> b -> a|b -> a -> b);/);
  });
});
