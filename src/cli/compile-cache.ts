import * as nodeModule from 'node:module';

/**
 * Turns on Node's on-disk cache of compiled modules for this process (Node 22.1 and later; a
 * no-op before): a command-line process is always cold, and compiling the modules it loads (the
 * engine, TypeORM's ~300) was a seventh of a cold `run`. The cache sits in Node's default folder
 * (`node-compile-cache` in the temp directory, or `NODE_COMPILE_CACHE`) and keys each entry by
 * the file's content, so a changed file is compiled afresh; `NODE_DISABLE_COMPILE_CACHE=1` turns
 * it off. A cache that cannot be written (a read-only temp directory) only costs the saving:
 * Node reports that in the status this ignores, and runs on.
 */
export function enableModuleCompileCache(): void {
  const enable = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (typeof enable === 'function') enable();
}
