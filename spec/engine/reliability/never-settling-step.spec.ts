import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { ChildEngine, readRun, statesOf } from './child-engine';

/** The lease rows left in the database file, read directly. */
function leaseRows(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM flow_lease').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('engine/reliability: a step whose promise never settles', function () {
  this.timeout(60_000);
  let workDir: string;

  beforeEach(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-never-settles-'));
  });

  afterEach(() => fs.rmSync(workDir, { recursive: true, force: true }));

  it('keeps the engine process alive (no silent exit 0); SIGTERM then ends it 143 with every state recorded and the lease released', async () => {
    // s1 -> s2 -> (s3 | s4) -> s5 -> s6: s3 awaits a promise that never settles and holds no handle.
    const engine = new ChildEngine('crash_flow', 'run', workDir, 'forever', 300);
    await engine.until('s4 processed beside s3', () => engine.saw({ type: 'step', stepName: 's4', state: 'processed' }));
    await engine.until('the process still alive with s3 hanging', () => engine.saw({ type: 'alive', stepName: 's3' }));

    engine.kill('SIGTERM');
    const exit = await engine.exited;
    expect(exit, engine.stderr).to.include({ code: 143, signal: null });
    expect(engine.saw({ type: 'result' })).to.equal(false);
    const file = path.join(workDir, 'state.db');
    const run = readRun(file, 'crash_flow');
    expect(run.flow).to.equal('invalid');
    expect(statesOf(run)).to.deep.equal({ s1: 'processed', s2: 'processed', s3: 'canceled', s4: 'processed', s5: 'embryo', s6: 'embryo' });
    expect(leaseRows(file), 'the lease row').to.equal(0);
  });
});
