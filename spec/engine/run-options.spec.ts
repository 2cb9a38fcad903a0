import { expect } from 'chai';
import { ConfigurationError, FlowRunNotFoundError, FlowState, InvalidTimeperiodError, type RunOptions } from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { EightStepFlow } from '../../samples';
import { rejection } from '../support/rejection';
import { tempDatabase } from '../support/temp-database';

const TP = '2026112600';

describe('engine/run options: validated before anything is locked or written', () => {
  let t: TestingApp;
  let db: ReturnType<typeof tempDatabase>;

  beforeEach(async () => {
    db = tempDatabase();
    t = await createTestingApp({ flows: [EightStepFlow], database: db.database });
  });

  afterEach(async () => {
    await t.teardown();
    db.cleanup();
  });

  it('a bad signal is refused, and the run that follows is not locked out by a leaked lease', async () => {
    const error = await rejection(t.app.run('eight_steps', { timeperiod: TP, signal: {} as AbortSignal }));
    expect(error).to.be.instanceOf(ConfigurationError);
    expect(error!.message).to.include('signal: must be an AbortSignal');
    expect(await rejection(t.app.status('eight_steps', TP)), 'nothing was written').to.be.instanceOf(FlowRunNotFoundError);
    expect(t.events, 'nothing was announced').to.deep.equal([]);

    const result = await t.app.run('eight_steps', { timeperiod: TP });
    expect(result.state).to.equal(FlowState.PROCESSED);
  });

  it('every run mode refuses each bad option with a ConfigurationError that names it, persisting nothing', async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ failFast: 'no' }, "failFast: must be true or false, got 'no'"],
      [{ failFast: 0 }, 'failFast: must be true or false, got 0'],
      [{ clusters: 0 }, 'clusters: must be a whole number from 1 to 1000, got 0'],
      [{ clusters: 1.5 }, 'clusters: must be a whole number from 1 to 1000, got 1.5'],
      [{ clusters: 1001 }, 'clusters: must be a whole number from 1 to 1000, got 1001'],
      [{ clusters: '2' }, "clusters: must be a whole number from 1 to 1000, got '2'"],
      [{ clusters: Number.NaN }, 'clusters: must be a whole number from 1 to 1000, got NaN'],
      [{ signal: 'stop' }, 'signal: must be an AbortSignal'],
      [{ startTimeperiod: '2026112700', endTimeperiod: '2026112600' }, 'endTimeperiod: 2026112600 is before startTimeperiod 2026112700'],
      [{ timePeriod: TP }, "timePeriod: unknown option; did you mean 'timeperiod'?"],
    ];
    const modes: Array<[string, (options: RunOptions) => Promise<unknown>]> = [
      ['run', (o) => t.app.run('eight_steps', o)],
      ['recover', (o) => t.app.recover('eight_steps', o)],
      ['runOne', (o) => t.app.runOne('eight_steps', 'step_1', o)],
      ['runFrom', (o) => t.app.runFrom('eight_steps', 'step_1', o)],
    ];
    for (const [mode, call] of modes) {
      for (const [options, text] of bad) {
        const error = await rejection(call({ timeperiod: TP, ...options }));
        expect(error, `${mode} ${JSON.stringify(options)}`).to.be.instanceOf(ConfigurationError);
        expect(error!.message, mode).to.include(text);
      }
    }
    expect(await rejection(t.app.status('eight_steps', TP))).to.be.instanceOf(FlowRunNotFoundError);
    expect(t.events).to.deep.equal([]);
  });

  it('lists every problem at once, and a lone bad timeperiod stays an InvalidTimeperiodError', async () => {
    const error = await rejection(
      t.app.run('eight_steps', {
        timeperiod: '2026133100',
        startTimeperiod: '2026120100',
        endTimeperiod: '2026110100',
        clusters: -1,
        failfast: false,
      } as RunOptions),
    );
    expect(error).to.be.instanceOf(ConfigurationError);
    expect((error as ConfigurationError).problems.map((p) => p.path)).to.have.members([
      'timeperiod',
      'clusters',
      'failfast',
      'endTimeperiod',
    ]);
    expect(error!.message).to.include('month 13 does not exist').and.to.include("did you mean 'failFast'?");

    const lone = await rejection(t.app.run('eight_steps', { timeperiod: TP, endTimeperiod: '2026023000' }));
    expect(lone).to.be.instanceOf(InvalidTimeperiodError);
    expect(lone!.message).to.include('day 30 does not exist');
    expect(await rejection(t.app.run('eight_steps', undefined as unknown as RunOptions))).to.be.instanceOf(ConfigurationError);
  });

  it('accepts what the options allow: an equal start and end, 1000 clusters, failFast false, a real signal', async () => {
    const result = await t.app.run('eight_steps', {
      timeperiod: TP,
      startTimeperiod: TP,
      endTimeperiod: TP,
      clusters: 3,
      failFast: false,
      signal: new AbortController().signal,
    });
    expect(result.state).to.equal(FlowState.PROCESSED);
    expect(await rejection(t.app.runOne('eight_steps', 'step_1', { timeperiod: TP, clusters: 1000 }))).to.equal(null);
  });
});
