import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClusterError, LocalCluster } from '../../src';
import { recordingLogger } from '../support/recording-logger';

describe('clusters/LocalCluster', () => {
  const cluster = new LocalCluster('local-1');

  it('runs a user command line through /bin/sh and streams its output to the logger', async () => {
    const logger = recordingLogger();
    const result = await cluster.runShellCommand('echo one; echo two >&2; echo three | tr a-z A-Z', { logger });
    expect(result.exitCode).to.equal(0);
    expect(result.stdout).to.equal('one\nTHREE\n');
    // stdout and stderr are two pipes: each keeps its order, but how they interleave is the
    // scheduler's (a CI run once read THREE before two).
    expect(logger.lines.filter((l) => l.startsWith('INFO'))).to.deep.equal(['INFO one', 'INFO THREE']);
    expect(logger.lines.filter((l) => l.startsWith('WARN'))).to.deep.equal(['WARN two']);
    expect(logger.lines).to.have.length(3);
  });

  it('fails the command, not the process, when no file descriptor is left to spawn it (EMFILE)', () => {
    const fixture = path.join(__dirname, 'fixtures', 'no-descriptor-left.fixture.js');
    const run = spawnSync('bash', ['-c', `ulimit -n 64 && exec "${process.execPath}" "${fixture}"`], { encoding: 'utf8', timeout: 15_000 });
    expect(run.stderr).not.to.match(/Unhandled 'error' event/);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(
      /^rejected ClusterError: cannot run 'true' on cluster 'local-1': spawn true EMFILE: this process has no file descriptor left \(raise 'ulimit -n'/m,
    );
    expect(run.stdout).to.match(/^alive$/m);
  });

  it('runs an argument array without a shell: data is never re-parsed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-argv-'));
    const hostile = `x; touch ${path.join(dir, 'pwned')}; $(touch ${path.join(dir, 'pwned2')})`;
    const result = await cluster.runCommand(['echo', hostile]);
    expect(result.stdout).to.equal(`${hostile}\n`);
    expect(fs.readdirSync(dir)).to.deep.equal([]);
    fs.rmSync(dir, { recursive: true });
  });

  it('turns a non-zero exit into a ClusterError with the exit code and the tail of stderr', async () => {
    const error = await cluster.runShellCommand('for i in $(seq 1 30); do echo "line $i" >&2; done; exit 3').then(
      () => null,
      (e) => e,
    );
    expect(error).to.be.instanceOf(ClusterError);
    expect(error.details.exitCode).to.equal(3);
    expect(error.details.stderrTail.split('\n')).to.have.length(20);
    expect(error.details.stderrTail)
      .to.match(/^line 11\n/)
      .and.match(/line 30$/);
    expect(error.message).to.include('exited with code 3').and.include('line 30');
  });

  it('fails with a clear ClusterError when pig, spark-submit or hadoop is not installed', async () => {
    const missing = async (run: () => Promise<unknown>, program: string) => {
      const error = await run().then(
        () => null,
        (e) => e,
      );
      expect(error).to.be.instanceOf(ClusterError);
      expect(error.message).to.include(`'${program}' is not installed`);
    };
    const emptyPath = { env: { PATH: '/nonexistent' } };
    await missing(() => cluster.runPigStep('/tmp/x.pig', { day: '1' }, emptyPath), 'pig');
    await missing(() => cluster.runSparkStep('/tmp/job.py', {}, emptyPath), 'spark-submit');
    await missing(() => cluster.runHadoopStep('/tmp/job.jar', [], emptyPath), 'hadoop');
  });

  it('passes pig parameters and spark options as separate arguments', async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-bin-'));
    for (const program of ['pig', 'spark-submit']) {
      fs.writeFileSync(path.join(bin, program), '#!/bin/sh\nfor a in "$@"; do echo "[$a]"; done\n', { mode: 0o755 });
    }
    const env = { PATH: `${bin}:${process.env.PATH}` };
    const pig = await cluster.runPigStep('/s/script.pig', { day: '2026-11-26', note: 'a b' }, { env });
    expect(pig.stdout).to.equal('[-x]\n[local]\n[-param]\n[day=2026-11-26]\n[-param]\n[note=a b]\n[-f]\n[/s/script.pig]\n');
    const spark = await cluster.runSparkStep('/s/job.py', { args: ['--day', '26'], conf: { 'spark.x': '1' } }, { env });
    expect(spark.stdout).to.equal('[--master]\n[local[*]]\n[--conf]\n[spark.x=1]\n[/s/job.py]\n[--day]\n[26]\n');
    fs.rmSync(bin, { recursive: true });
  });

  it('kills the whole process group when the signal aborts', async () => {
    const controller = new AbortController();
    const pidDir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-child-'));
    try {
      const pidFile = path.join(pidDir, 'grandchild.pid');
      const running = cluster.runShellCommand(`sleep 30 & echo $! > ${pidFile}; wait`, { signal: controller.signal });
      while (!fs.existsSync(pidFile) || !fs.readFileSync(pidFile, 'utf8').trim()) await new Promise((r) => setTimeout(r, 10));
      const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
      controller.abort();
      const error = await running.then(
        () => null,
        (e) => e,
      );
      expect(error).to.be.instanceOf(ClusterError);
      expect(error.message).to.include('was aborted');
      // gone, or a zombie waiting for init to reap it: either way no longer running
      const alive = () => {
        try {
          return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${grandchild}/stat`, 'utf8'));
        } catch {
          return false;
        }
      };
      // The kill is sent at once, but a loaded machine may take a while to end the process: wait for
      // that, up to a third of its `sleep 30`, which it would have outlived had the kill missed it.
      const deadline = Date.now() + 10_000;
      while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(alive()).to.equal(false);
    } finally {
      fs.rmSync(pidDir, { recursive: true, force: true });
    }
  });
});
