import { expect } from 'chai';
import { ConfigurationError, Flow, Main, Step, type StepContext } from '../../../src';
import { createTestingApp, type TestingApp } from '../../../src/testing';

const EVENTS = ['SIGINT', 'SIGTERM', 'uncaughtException', 'unhandledRejection'] as const;
const listeners = () => Object.fromEntries(EVENTS.map((event) => [event, process.listenerCount(event)]));
let during: ReturnType<typeof listeners> | undefined;

@Step({ name: 'look' })
class Look {
  @Main() run(_ctx: StepContext) {
    during = listeners();
  }
}

@Flow({ name: 'look_flow', steps: [Look] })
class LookFlow {}

describe('engine/reliability: signal handlers', () => {
  let t: TestingApp | undefined;

  afterEach(async () => {
    await t?.teardown();
    during = undefined;
  });

  it('are installed only while a run is in flight: between runs SIGINT/SIGTERM and unhandled errors keep their default behaviour', async () => {
    t = await createTestingApp({ flows: [LookFlow], handleSignals: true });
    const before = listeners();
    await t.app.run('look_flow', { timeperiod: '2026112600' });
    expect(during).to.deep.equal(Object.fromEntries(EVENTS.map((event) => [event, before[event] + 1])));
    expect(listeners()).to.deep.equal(before);
  });

  it('are never installed by default, nor with handleSignals: false (the embedding program handles signals itself)', async () => {
    t = await createTestingApp({ flows: [LookFlow] });
    let before = listeners();
    await t.app.run('look_flow', { timeperiod: '2026112600' });
    expect(during).to.deep.equal(before);
    await t.teardown();
    t = await createTestingApp({ flows: [LookFlow], handleSignals: false });
    before = listeners();
    await t.app.run('look_flow', { timeperiod: '2026112600' });
    expect(during).to.deep.equal(before);
  });

  it('rejects a gracePeriodMs that is not a duration', async () => {
    for (const gracePeriodMs of [-1, Number.NaN, '5s' as unknown as number, 2 ** 31]) {
      const error = await createTestingApp({ flows: [LookFlow], gracePeriodMs }).then(
        (app) => app.teardown().then(() => null),
        (err: unknown) => err,
      );
      expect(error, String(gracePeriodMs)).to.be.instanceOf(ConfigurationError);
      expect((error as Error).message).to.match(
        /\n  - gracePeriodMs: must be a whole number of milliseconds from 0 to 2147483647 .*, got /,
      );
    }
  });
});
