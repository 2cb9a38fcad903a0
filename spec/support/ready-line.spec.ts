import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { firstJsonLine, readyLine, type PipedChild } from './ready-line';

/** A real child running `script`; it goes when its stdin closes (after() ends every one). */
function child(script: string): PipedChild & { stdin: NonNullable<PipedChild['stdin']> } {
  const started = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(started);
  return started;
}
const children: Array<ReturnType<typeof spawn>> = [];

/** Each line on stdin runs the next of `steps` (written as statements of a function body). */
function stepsOnStdin(...steps: string[]): string {
  return `const steps = [${steps.map((s) => `() => { ${s} }`).join(', ')}];
    require('node:readline').createInterface({ input: process.stdin }).on('line', () => steps.shift()?.());`;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('spec support: readyLine and firstJsonLine (how a server child says it is up)', () => {
  after(() => {
    for (const c of children) c.stdin?.end();
  });

  it('resolves with the first line, even written in pieces, and leaves the later lines to another reader', async () => {
    const server = child(
      `process.stdout.write('{"po');` + stepsOnStdin(`process.stdout.write('rt":7}\\n');`, `process.stdout.write('later\\n');`),
    );
    server.stdout.once('data', () => server.stdin.write('\n'));
    expect(await firstJsonLine(server, 'the server')).to.deep.equal({ port: 7 });

    const later = new Promise<string>((resolve) => server.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    server.stdin.write('\n');
    expect(await later).to.equal('later\n');
  });

  it('resolves with the first line the test accepts (a server that logs before it is ready)', async () => {
    const server = child(`console.log('starting'); console.log('* Ready to accept connections tcp');`);
    expect(await readyLine(server, 'redis-server', (line) => line.includes('Ready to accept'))).to.equal(
      '* Ready to accept connections tcp',
    );
  });

  it('rejects, naming the child and quoting its stderr, when it exits before it is ready', async () => {
    const server = child(`console.error('could not bind 127.0.0.1'); process.exit(3);`);
    const error = await rejection(readyLine(server, 's3rver'));
    expect(error.message).to.equal('s3rver exited (code 3) before it was ready: could not bind 127.0.0.1');
  });

  it('quotes the last lines of stdout when the child said nothing on stderr', async () => {
    const server = child(`console.log('Fatal: no memory'); process.exit(1);`);
    const error = await rejection(readyLine(server, 'redis-server', (line) => line.includes('Ready')));
    expect(error.message).to.equal('redis-server exited (code 1) before it was ready: Fatal: no memory');
  });

  it('rejects (instead of throwing in a stream handler) when the first line is not JSON', async () => {
    const server = child(`console.log('Listening on port 7');`);
    const error = await rejection(firstJsonLine(server, 'embedded PostgreSQL'));
    expect(error.message).to.equal('embedded PostgreSQL printed "Listening on port 7" where its first line should be JSON');
  });
});
