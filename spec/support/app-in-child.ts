import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const LIBRARY = path.resolve(__dirname, '../../src/index.js');
const SAMPLES = path.resolve(__dirname, '../../samples/index.js');

/**
 * Runs `body` in a fresh node, where `app` is a bootstrapped hello-world application (in-memory
 * SQLite, logs in `dir`), closed afterwards; returns what it printed. For the specs of what a
 * process loads: the spec process has every module loaded already. `body` may use `require`,
 * `bootstrap` and `loaded(folder)` (how many modules of node_modules/<folder>/ are loaded).
 */
export function runWithAppInChild(dir: string, body: string): string {
  const script = `
require(${JSON.stringify(require.resolve('reflect-metadata'))});
const { bootstrap, recordSchedulerLag } = require(${JSON.stringify(LIBRARY)});
const { HelloWorldFlow } = require(${JSON.stringify(SAMPLES)});
const loaded = (folder) => Object.keys(require.cache).filter((file) => file.includes('/node_modules/' + folder + '/')).length;
(async () => {
  const app = await bootstrap({ flows: [HelloWorldFlow], database: { type: 'better-sqlite3', database: ':memory:' }, logDirectory: ${JSON.stringify(dir)} });
  try {
${body}
  } finally {
    await app.close();
  }
})().catch((err) => { console.error(err); process.exitCode = 1; });`;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
  expect(result.status, result.stderr).to.equal(0);
  return result.stdout;
}
