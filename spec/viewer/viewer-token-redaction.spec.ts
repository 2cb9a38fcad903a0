import { expect } from 'chai';
import { Flow, Main, Step, type StepContext } from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { logFileTexts } from '../support/persisted-text';

const TOKEN = 'viewer-Token-5c1e9a7b';

/** A script step that calls the viewer's API, and whose error quotes the request it made: its token with it. */
@Step({ name: 'call_viewer' })
class CallViewer {
  @Main() run(ctx: StepContext) {
    ctx.logger.info(`GET /api/flows -H "Authorization: Bearer ${TOKEN}"`);
    throw new Error(`the viewer answered 500 to ${JSON.stringify({ headers: { authorization: `Bearer ${TOKEN}` } })}`);
  }
}

@Flow({ name: 'call_viewer_flow', steps: [CallViewer] })
class CallViewerFlow {}

describe('viewer: its token is a known secret once it is served', () => {
  let t: TestingApp;
  beforeEach(async () => (t = await createTestingApp({ flows: [CallViewerFlow] })));
  afterEach(() => t.teardown());

  it("masks the token in a step's error, its log, its events and the viewer's own answers", async () => {
    const viewer = await t.app.serve({ port: 0, token: TOKEN });
    try {
      const result = await t.app.run('call_viewer_flow', { timeperiod: '2026112600' });
      expect(result.state).to.equal('invalid');
      const [step] = (await t.app.status('call_viewer_flow', '2026112600')).steps;
      expect(step.error).to.equal('Error: the viewer answered 500 to {"headers":{"authorization":"Bearer ***"}}');
      await t.app.logs.written();
      const logs = logFileTexts(t.logDirectory).join('\n');
      expect(logs).to.include('GET /api/flows -H "Authorization: Bearer ***"');
      const answer = await (
        await fetch(`${viewer.url}api/flows/call_viewer_flow/runs/2026112600`, { headers: { authorization: `Bearer ${TOKEN}` } })
      ).text();
      expect(answer).to.include('the viewer answered 500');
      for (const [where, text] of [
        ['the logs', logs],
        ['the events', JSON.stringify(t.events)],
        ['the result', JSON.stringify(result)],
        ['the viewer', answer],
        ['a redacted error message', t.app.logs.redact(`bad token ${TOKEN}`)],
      ])
        expect(text, where).not.to.include(TOKEN);
    } finally {
      await viewer.close();
    }
  });
});
