import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ClusterError,
  CopyFromLocalAction,
  CopyToLocalAction,
  CpAction,
  FailureAction,
  IdentityAction,
  Main,
  MkdirAction,
  MvAction,
  Post,
  Pre,
  RmAction,
  RmdirAction,
  ShellCommandAction,
  SleepAction,
  PigAction,
  SparkAction,
  Step,
  StepState,
  type StepContext,
} from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-actions-'));
const p = (...parts: string[]) => path.join(root, ...parts);

@Step({ name: 'filesystem' })
@Pre(MkdirAction, { uri: p('a') })
@Pre(ShellCommandAction, { argv: ['sh', '-c', 'echo hello > "$1"', 'sh', p('a', 'f.txt')] })
@Main(CpAction, { from: p('a', 'f.txt'), to: p('b', 'f.txt') })
@Post(MvAction, { from: p('b', 'f.txt'), to: p('c', 'f.txt') })
@Post(CopyToLocalAction, { uri: p('c', 'f.txt'), localPath: p('local', 'f.txt') })
@Post(CopyFromLocalAction, { localPath: p('local', 'f.txt'), uri: p('d', 'f.txt') })
@Post(RmAction, { uri: p('c', 'f.txt') })
@Post(RmdirAction, { uri: p('a') })
class FilesystemStep {}

@Step({ name: 'args_from_context' })
@Main(MkdirAction, (ctx: StepContext) => ({ uri: p('periods', ctx.timeperiod) }))
class ArgsFromContext {}

@Step({ name: 'sleepy' })
@Pre(IdentityAction)
@Main(SleepAction, { ms: 30 })
class Sleepy {}

@Step({ name: 'failing' })
@Main(FailureAction, { message: 'boom' })
class Failing {}

@Step({ name: 'pig' })
@Main(PigAction, { uri: '/nope.pig' })
class Pig {}

@Step({ name: 'spark' })
@Main(SparkAction, { script: '/nope.py' })
class Spark {}

describe('actions: the built-in actions', () => {
  let t: TestingApp;
  before(async () => {
    t = await createTestingApp({ flows: [] });
  });
  after(async () => {
    await t.teardown();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('shell command, mkdir, cp, mv, copyToLocal, copyFromLocal, rm and rmdir work on the step cluster', async () => {
    const outcome = await t.runStep(FilesystemStep);
    expect(outcome.error).to.equal(undefined);
    expect(outcome.state).to.equal(StepState.PROCESSED);
    expect(fs.existsSync(p('a'))).to.equal(false);
    expect(fs.existsSync(p('c', 'f.txt'))).to.equal(false);
    expect(fs.readFileSync(p('local', 'f.txt'), 'utf8')).to.equal('hello\n');
    expect(fs.readFileSync(p('d', 'f.txt'), 'utf8')).to.equal('hello\n');
    expect(outcome.events.filter((e) => e.type === 'action' && e.state === 'completed')).to.have.length(8);
  });

  it('computes action arguments from the context', async () => {
    await t.runStep(ArgsFromContext, { timeperiod: '2026010100' });
    expect(fs.existsSync(p('periods', '2026010100'))).to.equal(true);
  });

  it('sleep waits, identity does nothing, failure fails the step', async () => {
    const started = performance.now();
    expect((await t.runStep(Sleepy)).state).to.equal(StepState.PROCESSED);
    expect(performance.now() - started).to.be.at.least(25);
    const failed = await t.runStep(Failing);
    expect(failed.state).to.equal(StepState.INVALID);
    expect((failed.error as Error).message).to.equal('boom');
  });

  it('pig and spark run the local tools, and say so clearly when they are missing', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      for (const step of [Pig, Spark]) {
        const outcome = await t.runStep(step);
        expect(outcome.error).to.be.instanceOf(ClusterError);
        expect((outcome.error as Error).message).to.match(/'(pig|spark-submit)' is not installed/);
      }
    } finally {
      process.env.PATH = saved;
    }
  });
});
