import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bootstrap, Flow, Main, Step, type FlowEvent, type StepContext, type SynergyFlowApp } from '../../src';
import { FakeEmrEndpoint } from '../support/fake-emr-endpoint';
import { databaseText as persistedRows, logFileTexts } from '../support/persisted-text';

/** Two secrets a scanner of lines would miss before: one of 2 characters, one with a quote and a backslash. */
const PIN = 'k9';
const PASSWORD = 'q"x\\z';
/** Every form in which they may leave the process. */
const LEAKS = [/\bk9\b/, /q"x\\z/, /q\\"x\\\\z/, /q%22x%5Cz/i, new RegExp(Buffer.from(PASSWORD).toString('base64'))];

@Step({ name: 'talkative' })
class Talkative {
  @Main() run(ctx: StepContext) {
    const { pin, password } = ctx.credentials as { pin: string; password: string };
    ctx.logger.info(`calling the API with pin ${pin}`);
    ctx.logger.info(`request body ${JSON.stringify({ pin, password })}`);
    ctx.logger.warn(`GET https://api/?password=${encodeURIComponent(password)}`);
    throw new Error(`login refused for ${JSON.stringify({ password })}, pin ${pin}, basic ${Buffer.from(password).toString('base64')}`);
  }
}

@Flow({ name: 'talkative_flow', steps: [Talkative] })
class TalkativeFlow {}

function expectNoLeak(what: string, text: string): void {
  for (const leak of LEAKS) expect(text, `${what} shows ${leak}`).not.to.match(leak);
}

describe('secrets on every path out (log, database, event, result, HTTP)', () => {
  let dir: string;
  let app: SynergyFlowApp | undefined;
  let events: FlowEvent[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-secrets-'));
    events = [];
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function logText(): string {
    return logFileTexts(path.join(dir, 'logs')).join('\n');
  }

  function databaseText(): string {
    return persistedRows(path.join(dir, 'state.db'));
  }

  async function start(options: Partial<Parameters<typeof bootstrap>[0]> = {}): Promise<SynergyFlowApp> {
    app = await bootstrap({
      flows: [TalkativeFlow],
      database: { type: 'better-sqlite3', database: path.join(dir, 'state.db') },
      logDirectory: path.join(dir, 'logs'),
      credentials: { pin: PIN, password: PASSWORD },
      handleSignals: false,
      ...options,
    });
    app.events$.subscribe((e) => events.push(e));
    return app;
  }

  it("a step's short and escaped secrets are redacted in its log, its error column, its events and the viewer's answers", async () => {
    const result = await (await start()).run('talkative_flow', { timeperiod: '2026112600' });
    expect(result.state).to.equal('invalid');

    const logs = logText();
    expect(logs).to.include('calling the API with pin ***');
    expect(logs).to.include('request body {"pin":"***","password":"***"}');
    expect(logs).to.include('GET https://api/?password=***');
    expectNoLeak('the log files', logs);

    const [step] = (await app!.status('talkative_flow', '2026112600')).steps;
    expect(step.error).to.equal('Error: login refused for {"password":"***"}, pin ***, basic ***');
    expectNoLeak('the database', databaseText());
    expectNoLeak('the events', JSON.stringify(events));
    expectNoLeak('the result', JSON.stringify(result));

    const viewer = await app!.serve({ port: 0 });
    try {
      const run = await (await fetch(`${viewer.url}api/flows/talkative_flow/runs/2026112600`)).text();
      expect(run).to.include('login refused');
      expectNoLeak('the viewer run', run);
      const log = await (await fetch(`${viewer.url}api/flows/talkative_flow/runs/2026112600/steps/talkative/log`)).text();
      expect(log).to.include('calling the API');
      expectNoLeak('the viewer log', log);
    } finally {
      await viewer.close();
    }
  });

  it('a cluster launch error that echoes the access key and the secret is redacted in run().error, the flow log and the events', async () => {
    const fake = await FakeEmrEndpoint.start();
    try {
      const accessKeyId = 'AKIA1';
      const secretAccessKey = 's"e\\c';
      fake.failNext('RunJobFlow', {
        status: 400,
        type: 'ValidationException',
        message: `invalid credentials ${accessKeyId}:${secretAccessKey} (${JSON.stringify(secretAccessKey)})`,
      });
      await start({
        cluster: {
          type: 'emr',
          count: 1,
          name: 'leaky',
          region: 'eu-west-1',
          endpoint: fake.url,
          credentials: { accessKeyId, secretAccessKey },
          pollIntervalMs: 5,
        },
      });
      const result = await app!.run('talkative_flow', { timeperiod: '2026112600' });
      expect(result.state).to.equal('invalid');
      expect(result.error).to.match(/^no cluster could be launched: .*invalid credentials \*\*\*:\*\*\* \("\*\*\*"\)/);
      for (const text of [result.error!, logText(), JSON.stringify(events), databaseText()]) {
        expect(text).not.to.match(/\bAKIA1\b/);
        expect(text).not.to.include(secretAccessKey);
        expect(text).not.to.include(JSON.stringify(secretAccessKey));
      }
    } finally {
      await fake.close();
    }
  });

  it("the AWS keys of the environment (the SDK's default chain, no credentials in the options) are redacted when an endpoint echoes them", async () => {
    const keys = {
      AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT00001',
      AWS_SECRET_ACCESS_KEY: 'env/Secret+Key0123456789abcdefABCDEFghij',
      AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEEnvironmentSessionToken0123==',
    };
    const saved = Object.fromEntries(Object.keys(keys).map((name) => [name, process.env[name]]));
    Object.assign(process.env, keys);
    const fake = await FakeEmrEndpoint.start();
    try {
      const echoed = Object.values(keys).join(' ');
      fake.failNext('RunJobFlow', { status: 400, type: 'ValidationException', message: `request was signed with ${echoed}` });
      await start({ cluster: { type: 'emr', count: 1, name: 'env', region: 'eu-west-1', endpoint: fake.url, pollIntervalMs: 5 } });
      const result = await app!.run('talkative_flow', { timeperiod: '2026112600' });
      expect(result.error).to.match(/request was signed with \*\*\* \*\*\* \*\*\*/);
      for (const text of [result.error!, logText(), JSON.stringify(events), databaseText()])
        for (const key of Object.values(keys)) expect(text).not.to.include(key);
    } finally {
      await fake.close();
      for (const [name, value] of Object.entries(saved))
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
  });
});
