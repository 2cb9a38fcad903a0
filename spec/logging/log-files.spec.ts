import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Flow, IdentityAction, Main, Step, type StepContext, type Type } from '../../src';
import { MAX_NAME_LENGTH } from '../../src/metadata/name-rules';
import { createTestingApp } from '../../src/testing';
import { EtlDiamondFlow } from '../../samples';
import { openFilesUnder } from '../../bench/open-files';
import { thisProcess } from '../../src/persistence/lease/process-identity';

const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} (\S+) (DEBUG|INFO|WARN|ERROR) \[2026112600#[0-9a-z]{14}\] (.*)$/;

function openFileDescriptors(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

describe('logging: one file per flow and per step', () => {
  // etl_diamond writes its files under settings.dataDirectory: this spec's, not the working directory.
  let dataDirectory: string;
  before(() => (dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-sample-data-'))));
  after(() => fs.rmSync(dataDirectory, { recursive: true, force: true }));
  it('writes the seed layout with `<timestamp> <step> <LEVEL>` and `<step>.<action>` lines', async () => {
    const t = await createTestingApp({ flows: [EtlDiamondFlow], settings: { dataDirectory } });
    try {
      await t.app.run('etl_diamond', { timeperiod: '2026112600' });
      const dir = path.join(t.logDirectory, 'etl_diamond');
      expect(fs.readdirSync(dir).sort()).to.deep.equal([
        'clean.log',
        'count.log',
        'etl_diamond.log',
        'extract.log',
        'publish.log',
        'sum.log',
      ]);

      const extract = fs.readFileSync(path.join(dir, 'extract.log'), 'utf8').trim().split('\n');
      for (const line of extract) expect(line).to.match(LINE);
      const categories = extract.map((l) => LINE.exec(l)![1]);
      expect(categories).to.include.members(['extract', 'extract.MkdirAction', 'extract.run', 'extract.verify']);
      // every action's start, end and duration
      expect(extract.some((l) => / extract\.run INFO \[\S+\] started \(main\)$/.test(l))).to.equal(true);
      expect(extract.some((l) => / extract\.run INFO \[\S+\] completed in \d+\.\d ms$/.test(l))).to.equal(true);
      expect(extract.some((l) => / extract\.verify INFO \[\S+\] extracted 100 numbers$/.test(l))).to.equal(true);

      // command output lands in the step log, under the action that ran it
      const count = fs.readFileSync(path.join(dir, 'count.log'), 'utf8');
      expect(count).to.match(/ count\.ShellCommandAction INFO \[\S+\] 99 \S+clean\.txt\n/);

      const flowLog = fs.readFileSync(path.join(dir, 'etl_diamond.log'), 'utf8');
      // The run's first line names the engine that runs it as FlowLockedError names a lease's holder.
      const engine = `${os.hostname()} pid ${process.pid} (instance ${thisProcess.instanceId})`;
      expect(flowLog).to.include(`run of timeperiod 2026112600 started by ${engine}: 5 of 5 steps, 2 cluster(s)\n`);
      expect(flowLog).to.match(/ etl_diamond INFO \[2026112600#[0-9a-z]{14}\] run of timeperiod 2026112600 started by /);
      expect(flowLog).to.match(/ etl_diamond INFO \[2026112600#[0-9a-z]{14}\] step publish processed\n/);
      expect(flowLog).to.match(/ etl_diamond INFO \[2026112600#[0-9a-z]{14}\] run of timeperiod 2026112600 ended processed in \d+ ms\n/);
    } finally {
      await t.teardown();
    }
  });

  it('app.close() leaves no log file open, and a second application goes on logging', async () => {
    const first = await createTestingApp({ flows: [EtlDiamondFlow], settings: { dataDirectory } });
    const second = await createTestingApp({ flows: [EtlDiamondFlow], settings: { dataDirectory } });
    try {
      await first.app.run('etl_diamond', { timeperiod: '2026112600' });
      await second.app.run('etl_diamond', { timeperiod: '2026112600' });
      expect(openFilesUnder(first.logDirectory)).to.be.above(0);
      await first.app.close();
      expect(openFilesUnder(first.logDirectory)).to.equal(0);
      expect(openFilesUnder(second.logDirectory), "the first application's close() closed the second's log files").to.be.above(0);

      await second.app.run('etl_diamond', { timeperiod: '2026112700' });
      second.app.logs.flush();
      const extract = fs.readFileSync(path.join(second.logDirectory, 'etl_diamond', 'extract.log'), 'utf8');
      expect(extract).to.match(/extract INFO \[\S+\] attempt 1 started/);
      expect(extract.match(/extract INFO \[\S+\] attempt 1 started/g)).to.have.length(2);
    } finally {
      await first.teardown();
      await second.teardown();
    }
  });

  it('a 2,000-step flow never holds more than 64 log files open', async function () {
    this.timeout(60_000);
    const steps: Type[] = Array.from({ length: 2_000 }, (_, i) => {
      @Step({ name: `s${i}` })
      @Main(IdentityAction)
      class S {}
      return S;
    });
    @Step({ name: 'probe' })
    class Probe {
      @Main() run(ctx: StepContext) {
        ctx.logger.info(`open fds ${openFileDescriptors()}`);
      }
    }
    @Flow({ name: 'wide', steps: [...steps, Probe] })
    class Wide {}

    const t = await createTestingApp({ flows: [Wide], cluster: { type: 'local', count: 8 } });
    try {
      const before = openFileDescriptors();
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, openFileDescriptors())), 1);
      const result = await t.app.run('wide', { timeperiod: '2026112600' });
      clearInterval(sampler);
      expect(result.state).to.equal('processed');
      expect(fs.readdirSync(path.join(t.logDirectory, 'wide'))).to.have.length(2_002);
      expect(t.app.logs.maxOpenFiles).to.be.at.most(64);
      expect(peak - before).to.be.at.most(64 + 8);
      const s1999 = fs.readFileSync(path.join(t.logDirectory, 'wide', 's1999.log'), 'utf8');
      expect(s1999).to.include('s1999.IdentityAction INFO [2026112600#');
    } finally {
      await t.teardown();
    }
  });

  it('the longest names bootstrap() accepts still get their log files and their rows', async () => {
    const stepName = 's'.repeat(MAX_NAME_LENGTH);
    const flowName = 'f'.repeat(MAX_NAME_LENGTH);
    @Step({ name: stepName })
    class Longest {
      @Main() run(ctx: StepContext) {
        ctx.logger.info('written');
      }
    }
    @Flow({ name: flowName, steps: [Longest] })
    class LongestFlow {}
    const t = await createTestingApp({ flows: [LongestFlow] });
    try {
      expect((await t.app.run(flowName, { timeperiod: '2026112600' })).state).to.equal('processed');
      t.app.logs.flush();
      expect(fs.readFileSync(path.join(t.logDirectory, flowName, `${stepName}.log`), 'utf8')).to.match(/ INFO \[\S+\] written\n/);
      expect((await t.app.status(flowName, '2026112600')).steps.map((s) => s.stepName)).to.deep.equal([stepName]);
    } finally {
      await t.teardown();
    }
  });
});
