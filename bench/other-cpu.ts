import * as fs from 'node:fs';
import * as os from 'node:os';

/**
 * What the machine's CPUs did while the benchmark ran, and how much of it was someone else's. A
 * figure measured while another workload shared the two cores of the benchmark machine was off by
 * up to 2x (docs/benchmarks-history.md, "2026-12-07, third session"), and the load average did not
 * tell: it counts the benchmark's own processes, and it lags by minutes.
 */
export interface OtherCpu {
  /** CPU time, in core-seconds, of every process but this one and the children it has reaped. */
  othersCoreSeconds: number;
  /** This process's and its reaped children's (the scenarios' processes, the servers it started and stopped). */
  ownCoreSeconds: number;
  /** Time this virtual machine's CPUs were ready to run but the hypervisor ran another machine (steal). */
  stealCoreSeconds: number;
  elapsedSeconds: number;
  cores: number;
}

/** /proc's unit of CPU time (USER_HZ): 1/100 s on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

interface Sample {
  at: number;
  busyTicks: number;
  stealTicks: number;
  ownSeconds: number;
}

/**
 * Starts measuring; the function it returns ends the window and gives its figures. Undefined
 * where /proc is missing (not Linux): the report then says nothing of other processes.
 */
export function measureOtherCpu(): (() => OtherCpu) | undefined {
  const first = sample();
  if (!first) return undefined;
  return () => {
    const last = sample() ?? first;
    const busy = (last.busyTicks - first.busyTicks) / TICKS_PER_SECOND;
    const own = last.ownSeconds - first.ownSeconds;
    return {
      // Both counts are rounded to ticks: a quiet machine can read a few ticks below zero.
      othersCoreSeconds: Math.max(0, busy - own),
      ownCoreSeconds: own,
      stealCoreSeconds: (last.stealTicks - first.stealTicks) / TICKS_PER_SECOND,
      elapsedSeconds: (last.at - first.at) / 1000,
      // os.cpus() is empty where /proc/cpuinfo cannot be read (some sandboxes).
      cores: os.cpus().length || os.availableParallelism(),
    };
  };
}

/**
 * Above this share of the machine taken by other processes, the report says the figures are not a
 * quiet machine's. On the benchmark machine, its own agent and kernel threads take under 1%; a
 * spec run beside the bench takes most of a core.
 */
const QUIET_SHARE = 0.05;

/**
 * `other processes: 0.41 of 2 cores on average (21% of the machine): ...`, with the steal when there
 * was any, and a warning when the machine was not quiet.
 */
export function describeOtherCpu(cpu: OtherCpu): string {
  const average = (coreSeconds: number) => (cpu.elapsedSeconds > 0 ? coreSeconds / cpu.elapsedSeconds : 0);
  const share = (coreSeconds: number) => average(coreSeconds) / cpu.cores;
  const percent = (coreSeconds: number) => `${(100 * share(coreSeconds)).toFixed(0)}% of the machine`;
  const others = `other processes: ${average(cpu.othersCoreSeconds).toFixed(2)} of ${cpu.cores} cores on average (${percent(cpu.othersCoreSeconds)})`;
  const steal = share(cpu.stealCoreSeconds) >= 0.01 ? `; the hypervisor's steal: ${percent(cpu.stealCoreSeconds)}` : '';
  const busy =
    share(cpu.othersCoreSeconds) + share(cpu.stealCoreSeconds) > QUIET_SHARE
      ? ": NOT a quiet machine: neither its figures nor their ratios are a quiet machine's (compare two builds with build-comparison.js)"
      : '';
  return `${others}${steal}${busy}`;
}

function sample(): Sample | undefined {
  let machine: string;
  let self: ProcessCpu;
  try {
    machine = fs.readFileSync('/proc/stat', 'utf8');
    self = processCpu('self');
  } catch {
    return undefined;
  }
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user's).
  // Interrupts are left out: they belong to no process, and most serve the benchmark's own disk and
  // loopback traffic.
  const [user, nice, system, , , , , steal] = machine.split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  const usage = process.cpuUsage();
  return {
    at: performance.now(),
    busyTicks: user + nice + system,
    stealTicks: steal ?? 0,
    ownSeconds: (usage.user + usage.system) / 1e6 + self.reapedChildrenSeconds,
  };
}

/** A process's CPU so far, in seconds, from /proc/<pid>/stat. */
export interface ProcessCpu {
  /** utime + stime: its own threads'. */
  ownSeconds: number;
  /** cutime + cstime: the children it has waited for, theirs included. */
  reapedChildrenSeconds: number;
}

/** Throws where /proc is missing, or the process is gone. */
export function processCpu(pid: number | 'self'): ProcessCpu {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: the fields are counted after its last
  // ')', from field 3 on. utime, stime, cutime, cstime are fields 14 to 17.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return { ownSeconds: (fields[11] + fields[12]) / TICKS_PER_SECOND, reapedChildrenSeconds: (fields[13] + fields[14]) / TICKS_PER_SECOND };
}
