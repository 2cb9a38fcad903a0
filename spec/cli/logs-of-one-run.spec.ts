import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliSandbox } from './support/cli-sandbox';

const DAYS = ['2026112600', '2026112700', '2026112800'];
/** A line's tag: `[<timeperiod>#<runId>]` after the level. */
const TAG = /^\S+ \S+ (?:DEBUG|INFO|WARN|ERROR) \[(\d{10})#([0-9a-z]{14})\] /;

/** The tags of the lines that start an entry, in order. */
function tags(text: string): string[] {
  return text
    .split('\n')
    .map((line) => TAG.exec(line))
    .filter((m) => m !== null)
    .map((m) => `${m[1]}#${m[2]}`);
}

describe('cli logs of one run: -t, --run, --attempt, -n 0 --follow', () => {
  let sandbox: CliSandbox;
  beforeEach(() => (sandbox = new CliSandbox()));
  afterEach(() => sandbox.cleanup());

  const logFile = (file: string) => path.join(sandbox.dir, 'logs', 'hello_world', file);

  it("after a 3-day backfill with --parallel 2, `logs -t <day>` prints that day's lines and only them", async () => {
    const backfill = await sandbox.run(['backfill', 'hello_world', '--from', DAYS[0], '--to', DAYS[2], '--parallel', '2']);
    expect(backfill.code, backfill.stderr).to.equal(0);
    for (const file of ['hello_world.log', 'world.log']) {
      const whole = fs.readFileSync(logFile(file), 'utf8');
      const byDay = new Map<string, string>();
      for (const day of DAYS) {
        const args = file === 'world.log' ? ['logs', 'hello_world', 'world', '-t', day] : ['logs', 'hello_world', '-t', day];
        const { code, stdout, stderr } = await sandbox.run(args);
        expect(code, stderr).to.equal(0);
        const dayTags = tags(stdout);
        expect(dayTags.length, `${file} ${day}`).to.be.above(2);
        expect(
          dayTags.every((tag) => tag.startsWith(`${day}#`)),
          `${file} ${day}`,
        ).to.equal(true);
        // Exactly the file's lines of that day, in the file's order.
        expect(stdout).to.equal(
          whole
            .split('\n')
            .filter((line) => line.includes(`[${day}#`))
            .map((line) => `${line}\n`)
            .join(''),
        );
        byDay.set(day, stdout);
      }
      // Each line of the file is one day's: none lost, none twice.
      expect(tags(whole).sort()).to.deep.equal(DAYS.flatMap((day) => tags(byDay.get(day)!)).sort());
    }
    // --parallel 2 interleaved two days in the files: which is what the tags are for.
    const flowTags = tags(fs.readFileSync(logFile('hello_world.log'), 'utf8')).map((tag) => tag.slice(0, 10));
    const changes = flowTags.filter((day, i) => i > 0 && day !== flowTags[i - 1]).length;
    expect(changes, 'two days interleaved').to.be.above(DAYS.length - 1);

    // --run: one run's lines; --attempt: one attempt's.
    const runId = tags(fs.readFileSync(logFile('hello_world.log'), 'utf8'))
      .find((tag) => tag.startsWith(DAYS[1]))!
      .split('#')[1];
    const run = await sandbox.run(['logs', 'hello_world', 'world', '--run', runId]);
    expect(run.code, run.stderr).to.equal(0);
    expect(new Set(tags(run.stdout))).to.deep.equal(new Set([`${DAYS[1]}#${runId}`]));
    expect(run.stdout).to.match(/ world INFO \[\S+\] attempt 1 started on cluster /);
    const attempt = await sandbox.run(['logs', 'hello_world', 'world', '-t', DAYS[1], '--run', runId, '--attempt', '1']);
    expect(attempt.stdout).to.equal(run.stdout);
    const last = await sandbox.run(['logs', 'hello_world', 'world', '--run', runId, '-n', '1']);
    expect(last.stdout).to.equal(`${run.stdout.trimEnd().split('\n').at(-1)}\n`);
  });

  it('bad input: exit 2 and one line saying what was wrong', async () => {
    expect((await sandbox.run(['run', 'hello_world', '-t', DAYS[0]])).code).to.equal(0);
    const runId = JSON.parse((await sandbox.run(['history', 'hello_world', '--json'])).stdout).runs[0].runId as string;
    const cases: Array<[string[], RegExp]> = [
      // An attempt the step never made: not an empty answer read as "it logged nothing".
      [
        ['world', '-t', DAYS[0], '--attempt', '2'],
        /^error: step 'world' made no attempt 2 in the runs of 2026112600: its attempts there are 1; e\.g\. '.+ logs hello_world world -t 2026112600 --attempt 1', or without --attempt for all of them$/m,
      ],
      [
        ['world', '--run', runId, '--attempt', '3'],
        new RegExp(`^error: step 'world' made no attempt 3 in run ${runId}: its attempts there are 1; `),
      ],
      [['-t', '2026113000'], /^error: flow 'hello_world' has never run for timeperiod 2026113000: no line of its log carries it/],
      [['--run', 'zzzzzzzzzzzzzz'], /^error: flow 'hello_world' has no run 'zzzzzzzzzzzzzz' in its log/],
      [['world', '--attempt', '1'], /^error: --attempt needs a step and a run: /],
      [['--attempt', '1', '-t', DAYS[0]], /^error: --attempt needs a step and a run: /],
      [['-t', '2026023000'], /^error: option '-t, --timeperiod <timeperiod>' argument '2026023000' is invalid/],
      [['wrold', '-t', DAYS[0]], /^error: flow 'hello_world' has no step 'wrold' \(did you mean 'world'\?\)/],
      [['-n', '-1'], /^error: /],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await sandbox.run(['logs', 'hello_world', ...args]);
      expect([code, stdout], args.join(' ')).to.deep.equal([2, '']);
      expect(stderr, args.join(' ')).to.match(message);
      expect(stderr.trimEnd().split('\n'), args.join(' ')).to.have.length(1);
    }
  });

  it("-n 0 --follow -t <day> prints only that timeperiod's new lines", async () => {
    // An earlier run of the day: its lines are old, not to be printed.
    expect((await sandbox.run(['run', 'hello_world', '-t', DAYS[1]])).code).to.equal(0);
    const old = fs.readFileSync(logFile('hello_world.log'), 'utf8');
    const follow = sandbox.start(['logs', 'hello_world', '-n', '0', '--follow', '-t', DAYS[1]]);
    try {
      // Following has begun once a line appended now is printed (the probe lines stand for a run's).
      for (let probe = 0; !follow.output().includes('probe'); probe++) {
        fs.appendFileSync(
          logFile('hello_world.log'),
          `2026-11-27T00:00:00.000 hello_world INFO [${DAYS[1]}#probe000000000] probe ${probe}\n`,
        );
        await Promise.race([follow.waitFor(/probe/), new Promise((resolve) => setTimeout(resolve, 200))]);
      }
      const started = fs.readFileSync(logFile('hello_world.log'), 'utf8').length;
      expect((await sandbox.run(['run', 'hello_world', '-t', DAYS[0]])).code).to.equal(0);
      const second = await sandbox.run(['run', 'hello_world', '-t', DAYS[1], '--json']);
      const { runId } = JSON.parse(second.stdout) as { runId: string };
      await follow.waitFor(new RegExp(`\\[${DAYS[1]}#${runId}\\] run of timeperiod ${DAYS[1]} ended processed`));
      follow.child.kill('SIGINT');
      const { code, stdout } = await follow.done;
      expect(code).to.equal(130);
      const printed = stdout.split('\n').filter((line) => line && !line.includes('probe'));
      // Exactly the new run's lines of the day: not the earlier run's, not the other day's.
      const expected = fs
        .readFileSync(logFile('hello_world.log'), 'utf8')
        .slice(started)
        .split('\n')
        .filter((line) => line.includes(`[${DAYS[1]}#`));
      expect(printed).to.deep.equal(expected);
      expect(new Set(tags(printed.join('\n')))).to.deep.equal(new Set([`${DAYS[1]}#${runId}`]));
      for (const line of old.trimEnd().split('\n')) expect(stdout).to.not.include(line);
    } finally {
      if (follow.child.exitCode === null) follow.child.kill('SIGKILL');
    }
  });
});
