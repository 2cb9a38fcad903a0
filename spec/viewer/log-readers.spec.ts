import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { expect } from 'chai';

const FIXTURE = path.resolve(__dirname, 'fixtures/log-readers.process.js');
/** A heap the engine needs a tenth of: 60 reads that each held the whole 22 MiB log (88 MB of entries) ran out of it. */
const HEAP_MB = 256;
const READERS = 60;
const ROUTE = '/api/flows/big_log/runs/2026112600/steps/big/log?maxBytes=1';

describe('viewer: hostile log readers and a run in the same process', function () {
  this.timeout(120_000);

  it(`a run ends processed while ${READERS} clients read a 22 MiB log for 1 byte without pause, half of them hanging up after 100 ms`, async () => {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-log-readers-'));
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--enable-source-maps', FIXTURE, workDir], { stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.on('error', () => undefined);
    const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async () => {
      const { value, done } = await lines.next();
      if (done)
        throw new Error(`the engine's process ended (${stderr.split('\n').find((l) => /FATAL|Error/.test(l)) ?? stderr.slice(-500)})`);
      return JSON.parse(value);
    };
    let hammering = true;
    const answers: Record<string, number> = {};
    try {
      const { url } = await next();
      const agent = new http.Agent({ keepAlive: false, maxSockets: READERS });
      const read = (hangUp: boolean) => {
        if (!hammering) return;
        const request = http.get(new URL(ROUTE, url), { agent }, (response) => {
          answers[response.statusCode!] = (answers[response.statusCode!] ?? 0) + 1;
          response.resume();
          response.on('end', () => read(hangUp));
        });
        request.on('error', () => setTimeout(() => read(hangUp), 10));
        if (hangUp) setTimeout(() => request.destroy(), 100);
      };
      for (let i = 0; i < READERS; i++) read(i % 2 === 0);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      child.stdin.write('run\n');
      const end = await next();
      expect(end.state, stderr).to.equal('processed');
      // the figure, for the record (a 2 s run; not asserted: the machine's load decides it)
      console.log(`      the run took ${end.ms} ms, the heap ${end.heapMB} MB at its end; answers ${JSON.stringify(answers)}`);
      expect(answers['503'], 'readers beyond the budget are refused').to.be.above(0);
    } finally {
      hammering = false;
      child.kill();
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  });
});
