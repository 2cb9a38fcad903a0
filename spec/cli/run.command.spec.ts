import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliSandbox, SAMPLE_ENTRY } from './support/cli-sandbox';
import { RUN_ID_PATTERN } from '../../src/domain/run-id';

const EIGHT = ['step_1', 'step_2', 'step_3', 'step_4', 'step_5', 'step_6', 'step_7', 'step_8'];

describe('cli run, recover, run-one, run-from', () => {
  let sandbox: CliSandbox;
  beforeEach(() => (sandbox = new CliSandbox()));
  afterEach(() => sandbox.cleanup());

  it('run: one line per state change off a terminal, the final table, exit 0, every step processed in the database', async () => {
    const { code, stdout, stderr } = await sandbox.run(['run', 'eight_steps', '-t', '2026112600']);
    expect(stderr).to.equal('');
    expect(code).to.equal(0);
    const lines = stdout.split('\n');
    const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    expect(lines[0]).to.match(/^\d\d:\d\d:\d\d eight_steps 2026112600 run started: 8 steps to run$/);
    for (const step of EIGHT) {
      expect(at(new RegExp(` ${step} in_progress on local-\\d$`)), `${step} starts`).to.be.greaterThan(0);
      expect(at(new RegExp(` ${step} processed in \\d+\\.\\d\\ds \\[\\d/8\\]$`)), `${step} ends`).to.be.greaterThan(
        at(new RegExp(` ${step} in_progress`)),
      );
    }
    // A dependent starts only after its dependencies are processed.
    expect(at(/ step_5 in_progress/))
      .to.be.greaterThan(at(/ step_3 processed/))
      .and.greaterThan(at(/ step_4 processed/));
    expect(at(/ step_8 processed .*\[8\/8\]$/)).to.be.greaterThan(0);
    expect(at(/ run ended processed: 8\/8 done$/)).to.be.greaterThan(at(/ step_8 processed/));
    expect(at(/^STEP\s+STATE\s+ATTEMPT\s+STARTED\s+DURATION$/)).to.be.greaterThan(0);
    expect(lines.filter((l) => l.trim()).at(-1)).to.match(/^eight_steps 2026112600 run: processed in [\d.]+s \(8\/8 done\)$/);
    // One run, one duration: the summary says what the status heading above it says.
    const heading = lines.map((l) => /^eight_steps 2026112600: processed \(run, ([\d.]+s)\)$/.exec(l)).find(Boolean);
    expect(heading, 'the status heading').to.not.equal(undefined);
    expect(lines.filter((l) => l.trim()).at(-1)).to.contain(`processed in ${heading![1]} `);

    expect(sandbox.flows())
      .to.have.length(1)
      .and.to.deep.include({ ...sandbox.flows()[0], flow_name: 'eight_steps', state: 'processed', run_mode: 'run' });
    expect(sandbox.steps('eight_steps', '2026112600').map((s) => [s.step_name, s.state, s.attempt])).to.deep.equal(
      EIGHT.map((s) => [s, 'processed', 1]),
    );
  });

  it('run --json: only JSON on stdout, the status shape with every step, no progress', async () => {
    const { code, stdout } = await sandbox.run(['run', 'hello_world', '-t', '2026112600', '--json']);
    expect(code).to.equal(0);
    const json = JSON.parse(stdout);
    expect(json).to.include({ flowName: 'hello_world', timeperiod: '2026112600', state: 'processed', runMode: 'run' });
    expect(json.runId).to.match(RUN_ID_PATTERN);
    expect(Object.keys(json).sort()).to.deep.equal([
      'durationMs',
      'endTimeperiod',
      'finishedAt',
      'flowName',
      'runId',
      'runMode',
      'startTimeperiod',
      'startedAt',
      'state',
      'steps',
      'timeperiod',
    ]);
    expect(json.steps.map((s: { stepName: string; state: string }) => [s.stepName, s.state])).to.deep.equal([
      ['hello', 'processed'],
      ['world', 'processed'],
    ]);
    const [hello] = json.steps;
    expect(Object.keys(hello).sort()).to.deep.equal(['attempt', 'durationMs', 'error', 'finishedAt', 'startedAt', 'state', 'stepName']);
    expect(hello.attempt).to.equal(1);
    expect(hello.durationMs).to.be.a('number').at.least(0);
    expect(new Date(hello.finishedAt).getTime() - new Date(hello.startedAt).getTime()).to.equal(hello.durationMs);
    // The numbers are the database's.
    const [row] = sandbox.steps('hello_world', '2026112600');
    expect(new Date(`${row.started_at!.replace(' ', 'T')}Z`).toISOString()).to.equal(hello.startedAt);
  });

  it('a failing step: exit 1, its error on the line and in the table, a recover hint; recover after the fix reruns only what failed', async () => {
    const failed = await sandbox.run(['run', 'fail_then_recover', '-t', '2026112600']);
    expect(failed.code).to.equal(1);
    expect(failed.stdout).to.match(
      / load invalid after [\d.]+s \[1\/3, 1 failed\]: Error: upstream data is not delivered yet: .*synergy-flow-upstream-2026112600\.ready does not exist/,
    );
    expect(failed.stdout).to.match(/^load\s+invalid\s+1 .*upstream data is not delivered yet/m);
    expect(failed.stdout).to.match(/fail_then_recover 2026112600 run: invalid in [\d.]+s \(1\/3 done, 1 failed\)/);
    expect(failed.stdout).to.include(`fix the cause, then: node ${SAMPLE_ENTRY} recover fail_then_recover -t 2026112600`);
    expect(sandbox.flows().map((f) => f.state)).to.deep.equal(['invalid']);
    const before = sandbox.steps('fail_then_recover', '2026112600');
    expect(before.map((s) => s.state)).to.deep.equal(['processed', 'invalid', 'embryo']);

    fs.writeFileSync(path.join(sandbox.tmp, 'synergy-flow-upstream-2026112600.ready'), '');
    const recovered = await sandbox.run(['recover', 'fail_then_recover', '-t', '2026112600', '--json']);
    expect(recovered.code).to.equal(0);
    expect(JSON.parse(recovered.stdout)).to.include({ state: 'processed', runMode: 'recover' });
    const after = sandbox.steps('fail_then_recover', '2026112600');
    expect(after.map((s) => s.state)).to.deep.equal(['processed', 'processed', 'processed']);
    // fetch was kept, not run again.
    expect(after[0].finished_at).to.equal(before[0].finished_at);
    expect(after[1].error).to.equal(null);
  });

  it('recover: the kept steps are announced, only the others run', async () => {
    await sandbox.run(['run', 'fail_then_recover', '-t', '2026112600']);
    fs.writeFileSync(path.join(sandbox.tmp, 'synergy-flow-upstream-2026112600.ready'), '');
    const { code, stdout } = await sandbox.run(['recover', 'fail_then_recover', '-t', '2026112600']);
    expect(code).to.equal(0);
    expect(stdout).to.match(/recover started: 2 steps to run, 1 kept/);
    expect(stdout).not.to.match(/ fetch in_progress/);
    expect(stdout).to.match(/ load processed .*\[1\/2\]/);
    expect(stdout).to.match(/ report processed .*\[2\/2\]/);
  });

  it('run-one reruns one step and run-from a step with its descendants; the others keep their rows', async () => {
    await sandbox.run(['run', 'eight_steps', '-t', '2026112600']);
    const before = new Map(sandbox.steps('eight_steps', '2026112600').map((s) => [s.step_name, s]));

    const one = await sandbox.run(['run-one', 'eight_steps', 'step_4', '-t', '2026112600', '--json']);
    expect(one.code).to.equal(0);
    expect(JSON.parse(one.stdout)).to.include({ runMode: 'run_one', state: 'processed' });
    const afterOne = new Map(sandbox.steps('eight_steps', '2026112600').map((s) => [s.step_name, s]));
    expect(afterOne.get('step_4')!.started_at).not.to.equal(before.get('step_4')!.started_at);
    for (const step of EIGHT.filter((s) => s !== 'step_4')) expect(afterOne.get(step), step).to.deep.equal(before.get(step));

    const from = await sandbox.run(['run-from', 'eight_steps', 'step_6', '-t', '2026112600']);
    expect(from.code).to.equal(0);
    expect(from.stdout).to.match(/run_from started: 3 steps to run, 5 kept/);
    const afterFrom = new Map(sandbox.steps('eight_steps', '2026112600').map((s) => [s.step_name, s]));
    for (const step of ['step_6', 'step_7', 'step_8'])
      expect(afterFrom.get(step)!.started_at, step).not.to.equal(afterOne.get(step)!.started_at);
    for (const step of ['step_1', 'step_2', 'step_3', 'step_4', 'step_5'])
      expect(afterFrom.get(step), step).to.deep.equal(afterOne.get(step));
    expect(sandbox.flows()[0]).to.include({ state: 'processed', run_mode: 'run_from' });
  });

  it('run-one of a step whose dependencies are not processed: exit 2, what to run first, nothing written', async () => {
    await sandbox.run(['run', 'fail_then_recover', '-t', '2026112600']);
    const before = sandbox.snapshot();
    const { code, stdout, stderr } = await sandbox.run(['run-one', 'fail_then_recover', 'report', '-t', '2026112600']);
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr).to.match(
      /^error: step 'report' of flow 'fail_then_recover' for timeperiod 2026112600 is blocked: its dependencies 'load' are not processed; run them first: 'node \S+main\.js run-from fail_then_recover load -t 2026112600' \(or run-one each of them\), or 'node \S+main\.js recover fail_then_recover -t 2026112600'\n$/,
    );
    expect(sandbox.snapshot()).to.equal(before);
  });
});
