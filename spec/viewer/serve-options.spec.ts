import * as fs from 'node:fs';
import { expect } from 'chai';
import { ConfigurationError } from '../../src/errors';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { HelloWorldFlow } from '../../samples';
import { freePort } from '../support/free-port';

const SECRET = 'serve-options-token-4b7a';

async function refused(t: TestingApp, options: unknown): Promise<ConfigurationError> {
  const err = await t.app.serve(options as never).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, JSON.stringify(options)).to.be.instanceOf(ConfigurationError);
  return err as ConfigurationError;
}

describe('viewer/serve-options', () => {
  let t: TestingApp;

  before(async () => {
    t = await createTestingApp({ flows: [HelloWorldFlow] });
  });

  after(() => t.teardown());

  it('refuses a token with spaces or line breaks around it, which no request could ever match, without quoting it', async () => {
    const port = await freePort();
    for (const token of [` ${SECRET}`, `${SECRET} `, `\t${SECRET}\n`, ` ${SECRET} `]) {
      const err = await refused(t, { port, token });
      expect(err.problems.map((p) => p.path)).to.deep.equal(['token']);
      expect(err.message).to.contain('spaces or line breaks at its start or end').and.contain('$SYNERGY_FLOW_VIEWER_TOKEN');
      expect(err.message).to.not.contain(SECRET);
    }
    // nothing listened in the meantime
    const probe = await fetch(`http://127.0.0.1:${port}/`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(probe).to.equal('refused');
  });

  it('refuses a token that cannot travel in an Authorization header', async () => {
    for (const token of ['', 'two words', 'caf\u00e9', 'line\nbreak']) {
      const err = await refused(t, { port: 0, token });
      expect(
        err.problems.map((p) => p.path),
        JSON.stringify(token),
      ).to.deep.equal(['token']);
    }
  });

  it('lists every problem of the options at once, unknown keys with a hint', async () => {
    const err = await refused(t, {
      port: 70000,
      host: '0.0.0.0',
      publicread: true,
      limits: { maxConections: 10, headersTimeoutMs: 60_000, requestTimeoutMs: 1_000, idleTimeoutMs: 0 },
    });
    expect(err.problems.map((p) => p.path).sort()).to.deep.equal(
      ['limits.headersTimeoutMs', 'limits.idleTimeoutMs', 'limits.maxConections', 'port', 'publicread', 'token'].sort(),
    );
    expect(err.message)
      .to.contain('binding the viewer to 0.0.0.0')
      .and.contain("did you mean 'publicRead'?")
      .and.contain("did you mean 'maxConnections'?");
  });

  it('refuses a metrics option that is not a boolean, and hints at the name when it is misspelt', async () => {
    const wrongType = await refused(t, { port: 0, metrics: 'yes' });
    expect(wrongType.problems.map((p) => p.path)).to.deep.equal(['metrics']);
    expect(wrongType.message).to.contain('must be true or false');
    const misspelt = await refused(t, { port: 0, metric: true });
    expect(misspelt.message).to.contain("did you mean 'metrics'?");
  });

  it('refuses to start when the descriptor reserve leaves none for connections, and says how to fix it', async () => {
    // the open-files limit is read from Linux's /proc: elsewhere only maxConnections bounds the viewer
    expect(fs.existsSync('/proc/self/limits'), 'this spec needs /proc (Linux)').to.equal(true);
    const err = await refused(t, { port: 0, limits: { descriptorReserve: 1e9 } });
    expect(err.problems.map((p) => p.path)).to.deep.equal(['limits.descriptorReserve']);
    expect(err.message).to.contain('lower descriptorReserve').and.contain('ulimit -n');
  });

  it('serves with a token that has no surrounding spaces, and with limits of its own', async () => {
    const viewer = await t.app.serve({
      port: 0,
      token: SECRET,
      limits: { maxConnections: 4, headersTimeoutMs: 500, requestTimeoutMs: 1_000 },
    });
    try {
      const res = await fetch(new URL('/api/flows', viewer.url), { headers: { authorization: `Bearer ${SECRET}` } });
      expect(res.status).to.equal(200);
    } finally {
      await viewer.close();
    }
  });
});
