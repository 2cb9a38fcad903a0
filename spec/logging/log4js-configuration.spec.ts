import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as log4js from 'log4js';
import { Flow, Main, Step, type StepContext } from '../../src';
import { createTestingApp, type TestingApp, type TestingAppOptions } from '../../src/testing';
import { EtlDiamondFlow } from '../../samples';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const LINE = /^\S+ (\S+) (DEBUG|INFO|WARN|ERROR) \[2026112600#[0-9a-z]{14}\] (.*)$/;

@Step({ name: 'chatty' })
class Chatty {
  @Main() run(ctx: StepContext) {
    ctx.logger.debug('a detail');
    ctx.logger.warn(`the key is ${String(ctx.credentials.secretAccessKey)}`);
  }
}

@Flow({ name: 'chatty_flow', steps: [Chatty] })
class ChattyFlow {}

/** log4js's own in-memory appender: a real log4js configuration, as an application writes one. */
function configureRecording(categories: Record<string, { appenders: string[]; level: string }> = {}): void {
  log4js.configure({
    appenders: { rec: { type: 'recording' } },
    categories: { default: { appenders: ['rec'], level: 'info' }, ...categories },
  });
  log4js.recording().erase();
}

function recorded(): log4js.LoggingEvent[] {
  return log4js.recording().replay();
}

/** [name, LEVEL, message] of every line of a flow's log files. */
function fileLines(t: TestingApp, flow: string): Array<[string, string, string]> {
  t.app.logs.flush();
  const dir = path.join(t.logDirectory, flow);
  return fs
    .readdirSync(dir)
    .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n'))
    .map((line) => LINE.exec(line)!.slice(1, 4) as [string, string, string]);
}

/** Runs `body` with a testing app, torn down whatever happens. */
async function withApp(options: TestingAppOptions, body: (t: TestingApp) => Promise<void>): Promise<void> {
  const t = await createTestingApp(options);
  try {
    await body(t);
  } finally {
    await t.teardown();
  }
}

describe("logging: the application's own log4js configuration", () => {
  // etl_diamond writes its files under settings.dataDirectory: this spec's, not the working directory.
  let dataDirectory: string;
  before(() => (dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-sample-data-'))));
  after(() => fs.rmSync(dataDirectory, { recursive: true, force: true }));
  afterEach(async () => {
    // log4js is process-wide: leave it unconfigured, as every other spec expects.
    await new Promise<void>((resolve) => log4js.shutdown(() => resolve()));
  });

  it('configured after bootstrap: every log file is still written, and its appenders get the lines under `synergy-flow`', async () => {
    await withApp({ flows: [EtlDiamondFlow], settings: { dataDirectory } }, async (t) => {
      configureRecording();
      await t.app.run('etl_diamond', { timeperiod: '2026112600' });

      const lines = fileLines(t, 'etl_diamond');
      expect(fs.readdirSync(path.join(t.logDirectory, 'etl_diamond'))).to.have.length(6);
      expect(lines.map(([name]) => name)).to.include.members(['etl_diamond', 'extract', 'extract.run', 'publish.RmdirAction']);

      // The same lines, at the levels the application enabled (info and above), with their flow and name.
      const events = recorded().filter((e) => e.categoryName === 'synergy-flow');
      const forwarded = events.map((e) => [e.context.name, e.level.levelStr, e.data.join(' ')]);
      const expected = lines.filter(([, level]) => level !== 'DEBUG');
      expect(forwarded).to.have.length(expected.length).and.to.have.deep.members(expected);
      expect(events.every((e) => e.context.flow === 'etl_diamond')).to.equal(true);
      // The run's timeperiod and id in the context (`%X{timeperiod}`, `%X{runId}`), as in the files' tag.
      const runIds = new Set(events.map((e) => e.context.runId));
      expect([...runIds])
        .to.have.length(1)
        .and.to.match(/^[0-9a-z]{14}$/);
      expect(events.every((e) => e.context.timeperiod === '2026112600')).to.equal(true);
      const transform = events.find((e) => e.context.name === 'extract.run')!;
      expect([transform.context.step, transform.context.action, transform.context.attempt]).to.deep.equal(['extract', 'run', 1]);
      expect(events.find((e) => e.context.name === 'etl_diamond')!.context).to.not.have.any.keys('step', 'action', 'attempt');
    });
  });

  it("configured before bootstrap: the application's own loggers keep their appenders", async () => {
    configureRecording();
    await withApp({ flows: [EtlDiamondFlow], settings: { dataDirectory } }, async (t) => {
      await t.app.run('etl_diamond', { timeperiod: '2026112600' });
      log4js.getLogger('my-app').info('my own line');
      const mine = recorded().filter((e) => e.categoryName === 'my-app');
      expect(mine.map((e) => e.data[0])).to.deep.equal(['my own line']);
      expect(fileLines(t, 'etl_diamond').length).to.be.above(30);
    });
  });

  it('forwards only the levels the application enables for `synergy-flow`, redacted like the files', async () => {
    configureRecording({ 'synergy-flow': { appenders: ['rec'], level: 'warn' } });
    await withApp({ flows: [ChattyFlow], credentials: { accessKeyId: 'AKIAEXAMPLEKEYID', secretAccessKey: SECRET } }, async (t) => {
      await t.app.run('chatty_flow', { timeperiod: '2026112600' });
      expect(fileLines(t, 'chatty_flow')).to.deep.include.members([
        ['chatty.run', 'DEBUG', 'a detail'],
        ['chatty.run', 'WARN', 'the key is ***'],
      ]);
      const events = recorded().filter((e) => e.categoryName === 'synergy-flow');
      expect(events.map((e) => [e.context.name, e.level.levelStr, e.data[0]])).to.deep.equal([['chatty.run', 'WARN', 'the key is ***']]);
      expect(JSON.stringify(events.map((e) => e.data))).to.not.include(SECRET);
    });
  });

  it('log4js.shutdown() by the application does not stop the log files', async () => {
    configureRecording();
    await withApp({ flows: [EtlDiamondFlow], settings: { dataDirectory } }, async (t) => {
      await new Promise<void>((resolve) => log4js.shutdown(() => resolve()));
      await t.app.run('etl_diamond', { timeperiod: '2026112600' });
      const flowLog = fs.readFileSync(path.join(t.logDirectory, 'etl_diamond', 'etl_diamond.log'), 'utf8');
      expect(flowLog).to.match(/ etl_diamond INFO \[2026112600#[0-9a-z]{14}\] run of timeperiod 2026112600 ended processed in \d+ ms\n/);
      expect(recorded().filter((e) => e.categoryName === 'synergy-flow')).to.have.length(0);
    });
  });
});
