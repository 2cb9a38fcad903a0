import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { describeOtherCpu, measureOtherCpu } from '../../bench/other-cpu';

/** A process that keeps one core busy for `ms`, then exits. */
function burner(ms: number): ChildProcess {
  return spawn(process.execPath, ['-e', `const end = Date.now() + ${ms}; while (Date.now() < end);`], { stdio: 'ignore' });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The benchmark's line on what other processes took of the machine while it ran. */
describe('bench: CPU taken by other processes', function () {
  this.timeout(20_000);

  it("counts a process still running at the window's end as another's, not the benchmark's", async function () {
    const stop = measureOtherCpu();
    if (process.platform !== 'linux') return expect(stop, 'no /proc: no figure').to.equal(undefined);
    const busy = burner(10_000);
    try {
      await sleep(1_500);
      const cpu = stop!();
      // The burner had one core for ~1.5 s; this process only waited.
      expect(cpu.othersCoreSeconds, 'the burner').to.be.above(0.9);
      expect(cpu.ownCoreSeconds, 'this process, idle').to.be.below(0.5);
      expect(cpu.elapsedSeconds).to.be.within(1.4, 30);
      expect(describeOtherCpu(cpu)).to.match(
        /^other processes: \d\.\d\d of \d+ cores on average \(\d+% of the machine\).*NOT a quiet machine/,
      );
    } finally {
      busy.kill('SIGKILL');
      await once(busy, 'close');
    }
  });

  it('counts the children it has waited for (the scenarios it ran, the servers it stopped) as its own', async function () {
    const stop = measureOtherCpu();
    if (process.platform !== 'linux') return expect(stop).to.equal(undefined);
    const child = burner(1_500);
    await once(child, 'close');
    const cpu = stop!();
    expect(cpu.ownCoreSeconds, "the reaped child's CPU").to.be.above(0.9);
    expect(cpu.othersCoreSeconds, 'not counted twice').to.be.below(cpu.ownCoreSeconds);
  });

  it('says a quiet machine is quiet, and names the steal only when the hypervisor took any', () => {
    const quiet = { othersCoreSeconds: 0.2, ownCoreSeconds: 300, stealCoreSeconds: 0, elapsedSeconds: 200, cores: 2 };
    expect(describeOtherCpu(quiet)).to.equal('other processes: 0.00 of 2 cores on average (0% of the machine)');
    const shared = { ...quiet, othersCoreSeconds: 80, stealCoreSeconds: 10 };
    expect(describeOtherCpu(shared)).to.match(
      /^other processes: 0\.40 of 2 cores on average \(20% of the machine\); the hypervisor's steal: 3% of the machine: NOT a quiet machine/,
    );
  });
});
