import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';

/**
 * Which process wrote a `flow_lease` or `schedule_claim` row. Host and pid are for people; they do
 * not tell processes apart: two containers with one hostname (host networking, a shared compose
 * `hostname:`) in their own PID namespaces are both pid 1, and a pid of another namespace means
 * nothing to kill(pid, 0) here. Rows written before these columns existed have them null.
 */
export interface ProcessIdentity {
  host: string;
  pid: number;
  /** Random, drawn once per process (per module load): equal only for rows this very process wrote. */
  instanceId: string | null;
  /** The kernel boot and the PID namespace its pid is in (`<boot id>/<namespace inode>`), null where unknown. */
  pidNamespace: string | null;
}

/** This process: its rows are the ones whose instanceId is this one's. */
export const thisProcess: Readonly<ProcessIdentity & { instanceId: string }> = Object.freeze({
  host: os.hostname(),
  pid: process.pid,
  instanceId: randomUUID(),
  pidNamespace: readPidNamespace(),
});

/**
 * `etl-host pid 1 (instance 0a1b2c3d-...)`: a process as people read it, in FlowLockedError, the
 * scheduler's banner and a run's first log line alike, so an id seen in one is found in the others.
 */
export function describeProcess(process: Pick<ProcessIdentity, 'host' | 'pid' | 'instanceId'>): string {
  return `${process.host} pid ${process.pid}${process.instanceId ? ` (instance ${process.instanceId})` : ''}`;
}

/** Whether `holder` is this very process (not merely a process with its hostname and pid). */
export function isThisProcess(holder: Pick<ProcessIdentity, 'instanceId'>): boolean {
  return holder.instanceId === thisProcess.instanceId;
}

/**
 * Whether `holder`, another process of this kernel and PID namespace, has ended (its pid is gone).
 * False while it may be alive, and whenever its pid cannot be checked from here (another namespace
 * or machine, a row of an older version): those are judged by their lease's expiry.
 */
export function isProcessGone(holder: ProcessIdentity): boolean {
  if (isThisProcess(holder) || !holder.pidNamespace || holder.pidNamespace !== thisProcess.pidNamespace) return false;
  return isPidGone(holder.pid);
}

/**
 * Whether a pid of this namespace has ended. Signal 0 checks existence without signalling; EPERM
 * means it exists under another user, so only ESRCH counts as gone.
 */
function isPidGone(pid: number): boolean {
  // 0 and negative pids address process groups, never one process.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Linux's boot id and PID namespace inode. The boot id tells machines apart (every machine's initial
 * namespace has the same inode), the inode tells containers of one machine apart. On other systems
 * the host names it. Null when /proc cannot be read: no pid is judged gone, leases expire instead.
 */
function readPidNamespace(): string | null {
  // No PID namespaces there: the host is the namespace, as it was before these columns.
  if (process.platform !== 'linux') return `host:${os.hostname()}`;
  try {
    const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const namespace = /^pid:\[(\d+)\]$/.exec(fs.readlinkSync('/proc/self/ns/pid'))?.[1];
    return boot && namespace ? `${boot}/${namespace}` : null;
  } catch {
    return null;
  }
}
