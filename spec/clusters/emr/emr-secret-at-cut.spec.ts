import { expect } from 'chai';
import { Flow, Main, Step, type StepContext } from '../../../src';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import { logFileTexts } from '../../support/persisted-text';
import { FakeEmrEndpoint } from '../../support/fake-emr-endpoint';

const TOKEN = 'cutAcross/Api+Token-0123456789abcdefABCDEF';
const TIMEPERIOD = '2026112600';

/** A command whose quoted text (`printf ` and 94 characters) cuts the token after 16 characters, at the 117 an error shows. */
@Step({ name: 'bell' })
class Bell {
  @Main() async run(ctx: StepContext) {
    const { token } = ctx.credentials as { token: string };
    await ctx.cluster.runCommand(['printf', `${'p'.repeat(93)} ${token}\u0007`]);
  }
}

/** A command long enough that its EMR step name (`cut_flow 2026112600: bash -c ...`, 253 characters kept) cuts the token. */
@Step({ name: 'long_name' })
class LongName {
  @Main() async run(ctx: StepContext) {
    const { token } = ctx.credentials as { token: string };
    const prefix = `cut_flow ${ctx.timeperiod}: bash -c `;
    await ctx.cluster.runShellCommand(`echo ${'n'.repeat(240 - prefix.length - 'echo '.length)}${token}`);
  }
}

@Flow({ name: 'cut_flow', steps: [Bell, LongName] })
class CutFlow {}

/** Every 6-character piece of the token: none may be left where its text was shortened. */
function expectNoPiece(what: string, text: string): void {
  for (let i = 0; i + 6 <= TOKEN.length; i++) expect(text, `${what} holds ${TOKEN.slice(i, i + 6)}`).not.to.include(TOKEN.slice(i, i + 6));
}

describe('EMR: a secret across the cut of a step text', () => {
  let fake: FakeEmrEndpoint;
  let t: TestingApp;

  beforeEach(async () => {
    fake = await FakeEmrEndpoint.start();
    t = await createTestingApp({
      flows: [CutFlow],
      credentials: { token: TOKEN },
      cluster: {
        type: 'emr',
        count: 1,
        name: 'cut',
        region: 'eu-west-1',
        endpoint: fake.url,
        credentials: { accessKeyId: 'AKIACUT0000000000001', secretAccessKey: 'cut/Secret+Access+Key' },
        pollIntervalMs: 5,
      },
    });
  });
  afterEach(async () => {
    await t.teardown();
    await fake.close();
  });

  it("EmrStepTextError's first 117 characters and the step's EMR name: masked before they are cut, no piece of the token left", async () => {
    const result = await t.app.run('cut_flow', { timeperiod: TIMEPERIOD, failFast: false });
    expect(result.error, 'the run').to.equal(undefined);
    const steps = Object.fromEntries((await t.app.status('cut_flow', TIMEPERIOD)).steps.map((s) => [s.stepName, s]));
    expect(steps.bell.state).to.equal('invalid');
    expect(steps.bell.error).to.match(
      /^EmrStepTextError: printf p{93} \*\*\*.* on EMR cluster 'cut' was not submitted: argument 2 contains/,
    );
    expect(steps.long_name.state).to.equal('processed');
    const names = fake.steps().map((s) => s.name);
    expect(names).to.have.length(1);
    expect(names[0]).to.match(/^cut_flow 2026112600: bash -c echo n+\*\*\*$/);
    await t.app.logs.written();
    expectNoPiece('the EMR step name', names[0]);
    expectNoPiece('the error', steps.bell.error ?? '');
    expectNoPiece('the events', JSON.stringify(t.events));
    expectNoPiece('the logs', logFileTexts(t.logDirectory).join('\n'));
  });
});
