#!/usr/bin/env node
import { enableModuleCompileCache } from './compile-cache';
// Before anything else is required: every module loaded from here on is compiled once, then read from the cache.
enableModuleCompileCache();
import { loadApp } from './load-app';
import { ExitCode } from './exit-codes';
import { packageVersion } from './package-version';

const USAGE = 'usage: synergy-flow --app <entry.js> <command> [options]   (the entry module exports the app bootstrap() returns)';

/**
 * `synergy-flow --app dist/main.js <command>`: loads the user's entry module and hands the rest
 * of the command line to its app's cli(). The entry may also be given as SYNERGY_FLOW_APP.
 */
async function main(argv: string[]): Promise<number> {
  let entry = process.env.SYNERGY_FLOW_APP;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--app') entry = argv[++i];
    else if (arg.startsWith('--app=')) entry = arg.slice('--app='.length);
    else rest.push(arg);
  }
  if (!entry && (rest.includes('--version') || rest.includes('-V'))) {
    process.stdout.write(`${packageVersion()}\n`);
    return ExitCode.OK;
  }
  if (!entry) {
    const asked = rest.length === 0 || rest.includes('--help') || rest.includes('-h');
    process.stderr.write(
      asked
        ? `${USAGE}\n`
        : `error: no entry module: pass --app <entry.js> (or set SYNERGY_FLOW_APP), e.g. synergy-flow --app dist/main.js ${rest.join(' ')}\n`,
    );
    return asked && rest.length ? ExitCode.OK : ExitCode.USAGE;
  }
  try {
    const app = await loadApp(entry);
    return await app.cli(rest, { name: `synergy-flow --app ${entry}` });
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (rest.includes('--verbose') && err instanceof Error) process.stderr.write(`${String((err.cause as Error)?.stack ?? err.stack)}\n`);
    return ExitCode.USAGE;
  }
}

// main() reports every failure itself; a rejection would be a bug, left to Node to print (exit code 1).
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
