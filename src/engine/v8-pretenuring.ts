import * as v8 from 'node:v8';

/**
 * Turns V8's allocation-site pretenuring off for the process (again is harmless). Process-wide, so
 * opt-in: bootstrap({ tuneV8: true }) and app.cli() call it.
 *
 * V8 decides, per object literal in the code, whether to allocate its objects straight in the old
 * generation, from how many of them survived a collection, and does not go back on it. In some
 * processes that ran a large flow timeperiod after timeperiod, it took the engine's
 * per-step literals (transition patches, events, commit queue entries) for makers of long-lived
 * objects (in the one traced, at a major collection during the first run, which counted the
 * objects of the steps then in flight as survivors). Those objects were then born old, freed only
 * by the next major collection, and the process grew several times faster per run than it
 * otherwise does; with the flag off, none did (docs/benchmarks-history.md, "A process that keeps
 * running").
 *
 * V8 reads this flag at every collection, so setting it after start-up takes effect (a spec checks
 * it). An application that wants it back calls
 * `v8.setFlagsFromString('--allocation-site-pretenuring')` after it.
 */
export function disableAllocationSitePretenuring(): void {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
