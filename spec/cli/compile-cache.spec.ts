import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as nodeModule from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { BIN, SAMPLE_ENTRY } from './support/cli-sandbox';

/** Node 22.1 and later can cache compiled modules on disk; Node 20 cannot, and runs the CLI without. */
const RUNTIME_CACHES = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';

/** Every file under `dir` (none if it does not exist). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

describe(`cli compile cache (${process.version}: ${RUNTIME_CACHES ? 'the runtime caches' : 'the runtime has no cache'})`, () => {
  let dir: string;
  let cache: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-compile-cache-'));
    // Node's default folder for it, in the child's temp directory (NODE_COMPILE_CACHE would turn it on by itself).
    cache = path.join(dir, 'node-compile-cache');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function run(args: string[], env: NodeJS.ProcessEnv): string {
    const result = spawnSync(process.execPath, args, { cwd: dir, env, encoding: 'utf8' });
    expect(result.status, result.stderr).to.equal(0);
    return result.stdout;
  }

  function cachedEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: dir };
    // CI turns the cache off for its other specs; here it is what is under test.
    delete env.NODE_DISABLE_COMPILE_CACHE;
    delete env.NODE_COMPILE_CACHE;
    delete env.SYNERGY_FLOW_DATABASE;
    delete env.SYNERGY_FLOW_LOGS;
    return env;
  }

  for (const [how, args] of [
    ['the synergy-flow bin', [BIN, '--app', SAMPLE_ENTRY, 'list']],
    ["an entry's app.cli()", [SAMPLE_ENTRY, 'list']],
  ] as const) {
    it(`${how}: ${RUNTIME_CACHES ? 'writes the compiled modules to the cache, and the next process runs from it' : 'runs without a cache'}`, () => {
      const first = run([...args], cachedEnv());
      const cached = filesUnder(cache);
      if (RUNTIME_CACHES) expect(cached.length, 'compiled modules cached').to.be.greaterThan(5);
      else expect(cached, 'Node 20 has no compile cache').to.deep.equal([]);
      expect(run([...args], cachedEnv()), 'same listing from the cache').to.equal(first);
      expect(first).to.match(/etl_diamond/);
    });
  }

  it('NODE_DISABLE_COMPILE_CACHE=1 leaves the cache alone', () => {
    run([BIN, '--app', SAMPLE_ENTRY, 'list'], { ...cachedEnv(), NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(filesUnder(cache)).to.deep.equal([]);
  });
});
