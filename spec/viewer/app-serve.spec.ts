import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { expect } from 'chai';
import { createTestingApp } from '../../src/testing';
import { HelloWorldFlow } from '../../samples';
import { SseReader } from './sse-reader';

const distSrc = path.resolve(__dirname, '../../src');

describe('app.serve', () => {
  it('loads fastify only when an application serves the viewer', function () {
    this.timeout(30_000);
    // a fresh process: this one has loaded fastify for the other specs already
    const script = `
      const loaded = () => Object.keys(require.cache).some((f) => f.includes('/node_modules/fastify/'));
      const { bootstrap } = require(${JSON.stringify(distSrc)});
      const { HelloWorldFlow } = require(${JSON.stringify(path.resolve(distSrc, '../samples'))});
      const before = loaded();
      bootstrap({ flows: [HelloWorldFlow], database: { type: 'better-sqlite3', database: ':memory:' }, logDirectory: require('os').tmpdir() })
        .then(async (app) => { const v = await app.serve({ port: 0 }); const after = loaded(); await app.close(); console.log(JSON.stringify({ before, after })); });
    `;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: path.resolve(distSrc, '..', '..') });
    expect(JSON.parse(out.trim().split('\n').pop()!)).to.deep.equal({ before: false, after: true });
  });

  it('stops serving when the application closes', async () => {
    const t = await createTestingApp({ flows: [HelloWorldFlow] });
    const viewer = await t.app.serve({ port: 0 });
    const stream = new SseReader(new URL('/api/events', viewer.url).href);
    await stream.opened;
    await t.teardown();
    // nobody called viewer.close(): the application's closing ended the stream
    await stream.ended;
    await viewer.close();
    const err = await fetch(new URL('/api/flows', viewer.url)).then(
      () => null,
      (e: Error) => e,
    );
    expect(err, 'the port should be closed').to.be.instanceOf(Error);
  });
});
