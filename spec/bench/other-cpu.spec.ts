import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { describeOtherCpu, measureOtherCpu, processCpu } from '../../bench/other-cpu';

/**
 * A process that spins until it has used `cpuMs` of CPU, then exits: CPU time, not wall time, so
 * that a loaded machine only makes it take longer.
 */
function burner(cpuMs: number): ChildProcess {
  const loop = `for (let u = process.cpuUsage(); u.user + u.system < ${cpuMs * 1000}; u = process.cpuUsage());`;
  return spawn(process.execPath, ['-e', loop], { stdio: 'ignore' });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The benchmark's line on what other processes took of the machine while it ran. */
describe('bench: CPU taken by other processes', function () {
  this.timeout(20_000);

  it("counts a process still running at the window's end as another's, not the benchmark's", async function () {
    const stop = measureOtherCpu();
    if (process.platform !== 'linux') return expect(stop, 'no /proc: no figure').to.equal(undefined);
    const busy = burner(60_000);
    try {
      // Until the burner has used 1.2 s of CPU (however long a loaded machine takes); this process only waits.
      while (processCpu(busy.pid!).ownSeconds < 1.2) await sleep(50);
      const cpu = stop!();
      expect(cpu.othersCoreSeconds, 'the burner').to.be.above(1.0);
      expect(cpu.ownCoreSeconds, 'this process, idle').to.be.below(0.5);
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
    // The child's 1.5 s, its start-up and this process's waiting: once, not twice.
    expect(cpu.ownCoreSeconds, "the reaped child's CPU").to.be.within(1.4, 2.5);
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
