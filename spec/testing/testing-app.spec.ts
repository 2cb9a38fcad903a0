import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { inspect } from 'node:util';
import { ClusterError, LocalCluster, Main, Post, Pre, Step, StepState, type CommandOptions, type StepContext } from '../../src';
import { createTestingApp } from '../../src/testing';
import { HelloWorldFlow } from '../../samples';

@Step({ name: 'leaky' })
class Leaky {
  @Main() main() {
    throw new Error(`S3 refused key ${String(process.env.AWS_SECRET_ACCESS_KEY)} of ${String(process.env.AWS_ACCESS_KEY_ID)}`);
  }
}

@Step({ name: 'unit' })
class Unit {
  @Pre() pre(ctx: StepContext) {
    ctx.logger.info(`pre of ${ctx.timeperiod} with ${String(ctx.settings.mode)}`);
  }
  @Main() main() {}
  @Post() post() {}
}

/** A command line tool that quotes the key it was given, in its message, its stderr and the cause. */
@Step({ name: 'echoing_cli' })
class EchoingCli {
  @Main() main() {
    const key = String(process.env.AWS_SECRET_ACCESS_KEY);
    throw new ClusterError(
      `aws s3 ls failed for key ${key}`,
      { exitCode: 255, stderrTail: `The key ${key} is not valid` },
      { cause: new Error(`signature of ${key} does not match`) },
    );
  }
}

/** A step that says which cluster it runs on, as one that tags its EMR cluster would, and runs a command there. */
@Step({ name: 'tagger' })
class Tagger {
  @Main() async main(ctx: StepContext) {
    ctx.logger.info(`tagging ${ctx.cluster.name} (${String(ctx.cluster.clusterId)})`);
    await ctx.cluster.runShellCommand('echo tagged');
  }
}

/** A cluster of the user's own that records the commands its steps run. */
class RecordingCluster extends LocalCluster {
  readonly commands: string[] = [];
  readonly clusterId = 'j-RECORDED0001';

  override runShellCommand(command: string, options?: CommandOptions) {
    this.commands.push(command);
    return super.runShellCommand(command, options);
  }
}

/** Runs the test with AWS keys in the environment, where bootstrap() learns them as secrets; then puts back what was there. */
async function withAwsKeysInEnvironment(test: () => Promise<void>): Promise<void> {
  const saved = { AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY };
  process.env.AWS_ACCESS_KEY_ID = 'AKIATESTINGHARNESS1';
  process.env.AWS_SECRET_ACCESS_KEY = 'harness/Secret+Access/Key0123';
  try {
    await test();
  } finally {
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  }
}

describe('testing/createTestingApp', () => {
  it('gives an app on in-memory SQLite with a temporary log directory, records events, and cleans up', async () => {
    const t = await createTestingApp({ flows: [HelloWorldFlow] });
    expect(fs.existsSync(t.logDirectory)).to.equal(true);
    await t.app.run('hello_world', { timeperiod: '2026112600' });
    expect(t.events.filter((e) => e.type === 'flow').map((e) => e.type === 'flow' && e.state)).to.deep.equal(['in_progress', 'processed']);
    await t.teardown();
    expect(fs.existsSync(t.logDirectory)).to.equal(false);
  });

  it('leaves no temporary directory behind when the app cannot start (bad options), and says why', async () => {
    // A temp dir of its own: the shared one sees other suites' harness directories come and go meanwhile.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-harness-leak-'));
    const sharedTmp = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const error = await createTestingApp({ flows: [HelloWorldFlow], gracePeriodMs: -1 }).then(
        () => expect.fail('started with gracePeriodMs -1'),
        (err: Error) => err,
      );
      expect(error.message).to.match(/gracePeriodMs: must be a whole number of milliseconds from 0 to/);
      expect(fs.readdirSync(tmp), 'directories left in the temp dir').to.deep.equal([]);
    } finally {
      if (sharedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = sharedTmp;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('leaves no temporary directory behind when a suite never tears its harness down: removed as the process exits', async function () {
    this.timeout(60_000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-harness-exit-'));
    // A process that runs a flow (so its logs are open and written) and exits, as mocha --exit does, without teardown().
    const script = `
      require('reflect-metadata');
      const { createTestingApp } = require(${JSON.stringify(path.resolve(__dirname, '../../src/testing'))});
      const { HelloWorldFlow } = require(${JSON.stringify(path.resolve(__dirname, '../../samples'))});
      createTestingApp({ flows: [HelloWorldFlow] }).then(async (t) => {
        const result = await t.app.run('hello_world', { timeperiod: '2026112600' });
        console.log(JSON.stringify({ state: result.state, dir: t.logDirectory, files: require('node:fs').readdirSync(t.logDirectory) }));
        process.exit(0);
      });`;
    try {
      const child = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, TMPDIR: tmp }, encoding: 'utf8' });
      expect(child.status, child.stderr).to.equal(0);
      const seen = JSON.parse(child.stdout.trim().split('\n').pop()!) as { state: string; dir: string; files: string[] };
      expect(seen.state).to.equal('processed');
      expect(path.dirname(seen.dir)).to.equal(tmp);
      expect(seen.files, 'the harness wrote its logs there').to.not.deep.equal([]);
      expect(fs.readdirSync(tmp), 'directories left in the temp dir').to.deep.equal([]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('runStep runs one step class in isolation: pre, main, post, with the given context', async () => {
    const t = await createTestingApp({ flows: [], settings: { mode: 'test' } });
    try {
      const outcome = await t.runStep(Unit, { timeperiod: '2026010100' });
      expect(outcome.state).to.equal(StepState.PROCESSED);
      expect(outcome.events.map((e) => e.type === 'action' && `${e.phase}:${e.state}`)).to.deep.equal([
        'pre:started',
        'pre:completed',
        'main:started',
        'main:completed',
        'post:started',
        'post:completed',
      ]);
      const log = fs.readFileSync(t.app.logs.stepLogFile('testing', 'unit'), 'utf8');
      expect(log).to.match(/unit\.pre INFO \[2026010100#[0-9a-z]{14}\] pre of 2026010100 with test/);
    } finally {
      await t.teardown();
    }
  });

  it("runStep redacts the environment's AWS keys, as bootstrap() does, in the step's log and events", async () => {
    await withAwsKeysInEnvironment(async () => {
      const t = await createTestingApp({ flows: [] });
      try {
        const outcome = await t.runStep(Leaky);
        expect(outcome.state).to.equal(StepState.INVALID);
        const failed = outcome.events.map((e) => (e.type === 'action' ? e.error : undefined)).filter(Boolean);
        expect(failed).to.deep.equal(['Error: S3 refused key *** of ***']);
        await t.app.logs.written();
        const log = fs.readFileSync(t.app.logs.stepLogFile('testing', 'leaky'), 'utf8');
        expect(log).to.include('S3 refused key *** of ***');
        expect(log + JSON.stringify(outcome.events)).not.to.match(/AKIATESTINGHARNESS1|harness\/Secret/);
      } finally {
        await t.teardown();
      }
    });
  });

  it("runStep's error is masked where a test shows it (message, stack, fields, cause), and still an instance of its class", async () => {
    await withAwsKeysInEnvironment(async () => {
      const t = await createTestingApp({ flows: [] });
      try {
        const { error } = await t.runStep(EchoingCli);
        expect(error).to.be.instanceOf(ClusterError);
        const failure = error as ClusterError;
        expect(String(failure)).to.equal('ClusterError: aws s3 ls failed for key ***');
        expect(failure.message).to.equal('aws s3 ls failed for key ***');
        expect(failure.stack).to.match(/^ClusterError: aws s3 ls failed for key \*\*\*\n\s+at /);
        expect(failure.details).to.deep.equal({ exitCode: 255, stderrTail: 'The key *** is not valid' });
        expect(failure.code).to.equal('ERR_SYNERGY_CLUSTER');
        expect(String(failure.cause)).to.equal('Error: signature of *** does not match');
        expect(inspect(failure, { depth: null }) + String(failure.stack)).not.to.match(/harness\/Secret/);
      } finally {
        await t.teardown();
      }
    });
  });

  it("runStep gives the step the cluster asked for: an EMR cluster's name and job flow id (its commands run here), or a Cluster of the user's own", async () => {
    const t = await createTestingApp({ flows: [] });
    try {
      const onEmr = await t.runStep(Tagger, { cluster: { name: 'etl', clusterId: 'j-2AXXXXXXGAPLF' } });
      expect(onEmr.state, String(onEmr.error)).to.equal(StepState.PROCESSED);
      const own = new RecordingCluster('etl-2');
      expect((await t.runStep(Tagger, { cluster: own })).state).to.equal(StepState.PROCESSED);
      expect(own.commands).to.deep.equal(['echo tagged']);
      expect((await t.runStep(Tagger)).state).to.equal(StepState.PROCESSED);

      const log = fs.readFileSync(t.app.logs.stepLogFile('testing', 'tagger'), 'utf8');
      expect(log.match(/tagging .*/g)).to.deep.equal([
        'tagging etl (j-2AXXXXXXGAPLF)',
        'tagging etl-2 (j-RECORDED0001)',
        'tagging local-test (undefined)',
      ]);
      expect(log.match(/echo tagged/g)).to.have.length.of.at.least(3);
    } finally {
      await t.teardown();
    }
  });

  it('runStep refuses a cluster with no name, saying what to give', async () => {
    const t = await createTestingApp({ flows: [] });
    try {
      for (const cluster of [{ clusterId: 'j-1' }, { name: '', clusterId: 'j-1' }, { name: 'etl', clusterId: 42 }]) {
        const error = await t.runStep(Tagger, { cluster } as never).catch((err: unknown) => err);
        expect(error, JSON.stringify(cluster)).to.be.instanceOf(TypeError);
        expect((error as Error).message).to.match(
          /^runStep's cluster needs .*: give \{ name: 'etl', clusterId: 'j-\.\.\.' \} or a Cluster/,
        );
      }
    } finally {
      await t.teardown();
    }
  });
});
