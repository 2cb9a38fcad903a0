import * as fs from 'node:fs';
import { ConfigurationError } from '../errors/configuration.error';
import type { ServeLimits } from './serve-options';

/**
 * How many connections the viewer may hold: `maxConnections`, and never more than the file
 * descriptors the process can spare once `descriptorReserve` is kept for the engine (its database,
 * log files, and the pipes of every command a step runs). Every connection costs a descriptor, and
 * a run whose step cannot open one fails: viewer clients must never be able to take them all.
 */
export function connectionBudget(limits: Pick<ServeLimits, 'maxConnections' | 'descriptorReserve'>): number {
  const descriptors = descriptorUsage();
  // where the system does not say (no /proc), only maxConnections bounds the viewer
  if (!descriptors) return limits.maxConnections;
  const free = descriptors.limit - descriptors.open;
  const reserve = limits.descriptorReserve ?? Math.ceil(free / 2);
  const spare = free - reserve;
  if (spare < 1) {
    throw new ConfigurationError('serve() options', [
      {
        path: 'limits.descriptorReserve',
        message:
          `this process may open ${descriptors.limit} files and has ${descriptors.open} open: keeping ${reserve} for the engine leaves none for the viewer's connections; ` +
          `lower descriptorReserve, or raise the open-files limit (ulimit -n) before starting`,
      },
    ]);
  }
  return Math.min(limits.maxConnections, spare);
}

/** The process's open-files limit (soft) and how many it has open, from Linux's /proc. */
function descriptorUsage(): { limit: number; open: number } | undefined {
  try {
    const limits = fs.readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1];
    if (!soft || soft === 'unlimited') return undefined;
    return { limit: Number(soft), open: fs.readdirSync('/proc/self/fd').length };
  } catch {
    return undefined;
  }
}
