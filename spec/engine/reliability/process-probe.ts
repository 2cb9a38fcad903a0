import * as fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** Running, as opposed to gone or a zombie waiting for init to reap it. */
export function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pids that are still running after `withinMs` (a SIGKILL is delivered asynchronously). */
export async function survivors(pids: readonly number[], withinMs = 2_000): Promise<number[]> {
  const deadline = performance.now() + withinMs;
  let running = pids.filter(isRunning);
  while (running.length && performance.now() < deadline) {
    await delay(10);
    running = running.filter(isRunning);
  }
  return running;
}

/** Waits until `file` holds at least `count` pids, one per line (written by a command under test). */
export async function pidsIn(file: string, count: number, withinMs = 10_000): Promise<number[]> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const pids = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : [];
    if (pids.length >= count) return pids;
    if (performance.now() > deadline) throw new Error(`${file} holds ${pids.length} of ${count} pids after ${withinMs} ms`);
    await delay(10);
  }
}
