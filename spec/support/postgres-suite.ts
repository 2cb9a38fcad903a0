/**
 * `node dist/spec/support/postgres-suite.js <spec dir>...` (the second half of `npm test`): runs
 * the engine specs once more, on a real PostgreSQL. It starts an embedded server, points
 * SYNERGY_TEST_DATABASE at it - every createTestingApp then gets a schema of its own there - runs
 * mocha on every *.spec.js under the given directories of dist/, and exits with mocha's code.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startPostgres } from './postgres-server';

function specFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new Error(`${dir} does not exist: build first (npm run build), or fix the test script`);
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.spec.js'))
    .sort()
    .map((f) => path.join(dir, f));
}

async function main(): Promise<number> {
  const dirs = process.argv.slice(2);
  const files = dirs.flatMap(specFiles);
  if (!files.length) throw new Error(`no *.spec.js under ${dirs.join(', ') || '(no directory given)'}`);
  const started = performance.now();
  const server = await startPostgres();
  try {
    const database = await server.createDatabase('synergy_engine_suite');
    console.log(
      `\nThe engine suite again, on PostgreSQL (embedded, port ${server.port}, up in ${((performance.now() - started) / 1000).toFixed(1)} s): ${dirs.join(' ')}`,
    );
    const mocha = spawn(
      process.execPath,
      [require.resolve('mocha/bin/mocha.js'), '--no-config', '--enable-source-maps', '--timeout', '20000', '--exit', ...files],
      {
        stdio: 'inherit',
        env: { ...process.env, SYNERGY_TEST_DATABASE: JSON.stringify(database) },
      },
    );
    return await new Promise<number>((resolve) => mocha.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`postgres-suite: ${(err as Error).message}`);
    process.exit(1);
  },
);
