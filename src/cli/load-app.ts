import { describeError } from '../engine/describe-error';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliApplication } from './cli-application.port';
import { CliUsageError } from '../errors';

const EXPORT_HINT =
  'export the app from it: `export const app = bootstrap({ flows: [...] })` (or export it as default, or a function returning it)';

/**
 * Loads a user's entry module and finds the app in it: `default` or `app` (or the module
 * itself), as the object bootstrap() returns, a promise of it, or a function returning either.
 * Recognised by shape, not instanceof: the entry may resolve its own copy of synergy-flow.
 */
export async function loadApp(entry: string): Promise<CliApplication> {
  const file = path.resolve(entry);
  // Node cannot load TypeScript, and its error would be a bare SyntaxError on the first type annotation.
  if (/\.[cm]?ts$/.test(entry) && fs.existsSync(file)) {
    throw new CliUsageError(
      `'${entry}' is TypeScript: compile it with tsc, then pass the compiled .js, e.g. --app ${compiledGuess(entry)}`,
    );
  }
  if (!fs.existsSync(file)) {
    const compiled = /\.[cm]?ts$/.test(entry) ? ` (a .ts file? pass its compiled .js, e.g. --app ${compiledGuess(entry)})` : '';
    throw new CliUsageError(
      `cannot find the entry module '${entry}' (${file})${compiled}: build your project, then pass its compiled entry, e.g. --app dist/main.js`,
    );
  }
  let exports: Record<string, unknown>;
  try {
    exports = await importModule(file);
  } catch (err) {
    throw new CliUsageError(`the entry module '${entry}' failed to load: ${describeError(err)}`, { cause: err });
  }
  for (const candidate of [exports?.default, exports?.app, exports]) {
    const app = await resolveApp(candidate).catch((err: unknown) => {
      throw new CliUsageError(`the app exported by '${entry}' failed to start: ${describeError(err)}`, { cause: err });
    });
    if (app) return app;
  }
  throw new CliUsageError(`'${entry}' does not export an app: ${EXPORT_HINT}`);
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  try {
    return require(file) as Record<string, unknown>;
  } catch (err) {
    // An ES module entry (type: module, .mjs) cannot be required before Node 20.19, nor on any
    // Node when it (or a module it imports) uses top-level await: import() loads both.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw err;
    return import(pathToFileURL(file).href) as Promise<Record<string, unknown>>;
  }
}

async function resolveApp(candidate: unknown): Promise<CliApplication | null> {
  let value = candidate;
  // A factory is called; a class (a @Flow exported by default, say) is not an app.
  if (typeof value === 'function' && !/^class\b/.test(Function.prototype.toString.call(value))) value = (value as () => unknown)();
  value = await value;
  return isApp(value) ? value : null;
}

function isApp(value: unknown): value is CliApplication {
  const v = value as Partial<Record<keyof CliApplication, unknown>> | null;
  return !!v && typeof v === 'object' && typeof v.cli === 'function' && typeof v.run === 'function' && typeof v.flows === 'function';
}

/** Where tsc most likely put an entry's output: src/main.ts -> dist/main.js, /app/src/main.ts -> /app/dist/main.js. */
function compiledGuess(entry: string): string {
  const js = entry.replace(/\.([cm]?)ts$/, '.$1js');
  return path.isAbsolute(js) ? js.replace(/\/src\/(?!.*\/src\/)/, '/dist/') : js.replace(/^(\.\/)?(src\/)?/, 'dist/');
}
