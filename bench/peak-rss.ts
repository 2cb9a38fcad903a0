import * as fs from 'node:fs';
import * as v8 from 'node:v8';

/**
 * Peak resident memory of one scenario, measured by the kernel: Linux keeps the high-water mark
 * (VmHWM) and lets a process reset it (`5` into /proc/self/clear_refs), so each scenario's peak
 * is its own even though every scenario runs in this one process. Elsewhere, sample the RSS.
 */
export class PeakRss {
  private sampled = 0;
  private timer?: NodeJS.Timeout;
  private readonly kernel = canResetHighWaterMark();

  start(): void {
    global.gc?.();
    this.sampled = process.memoryUsage.rss();
    if (this.kernel) fs.writeFileSync('/proc/self/clear_refs', '5');
    else this.timer = setInterval(() => (this.sampled = Math.max(this.sampled, process.memoryUsage.rss())), 5).unref();
  }

  /** Peak RSS in MiB since start(). */
  stop(): number {
    return this.stopBytes() / 1024 / 1024;
  }

  /** Peak RSS in bytes since start(). */
  stopBytes(): number {
    clearInterval(this.timer);
    return this.kernel ? highWaterMarkBytes()! : Math.max(this.sampled, process.memoryUsage.rss());
  }

  get method(): string {
    return this.kernel ? 'kernel VmHWM, reset per scenario' : 'RSS sampled every 5 ms';
  }
}

/** The kernel's high-water mark of this process's resident size (Linux); undefined elsewhere. */
export function highWaterMarkBytes(): number | undefined {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

function canResetHighWaterMark(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return highWaterMarkBytes() !== undefined;
  } catch {
    return false;
  }
}

/** Bytes in use in V8's old generation; only a major collection makes it shrink. */
export function oldGenerationUsed(): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')?.space_used_size ?? 0;
}
