/* eslint-disable @typescript-eslint/only-throw-error -- what these steps throw is the point: values that are not Errors */
import { expect } from 'chai';
import { Flow, Main, Step } from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';

const SECRET = 'sekret-api-key-0123456789';

/** An HTTP client's rejection: the response body, not an Error. */
@Step({ name: 'rejected_body' })
class RejectedBody {
  @Main() run() {
    throw { status: 403, body: { error: 'forbidden', key: SECRET } };
  }
}

@Step({ name: 'message_object' })
class MessageObject {
  @Main() run() {
    throw { message: 'quota exceeded', retryAfter: 30 };
  }
}

@Step({ name: 'circular' })
class Circular {
  @Main() run() {
    const loop: { self?: unknown } = {};
    loop.self = loop;
    throw loop;
  }
}

@Flow({ name: 'thrown_values', steps: [RejectedBody, MessageObject, Circular] })
class ThrownValues {}

/**
 * A step that throws something other than an Error (a response body, a plain object) was recorded
 * `[object Object]` in the step row, the history, the log and the CLI: a failure with nothing to
 * go on. It is recorded by its message, else as JSON, redacted like any error.
 */
describe('engine: a step that throws a value that is not an Error', () => {
  let t: TestingApp;
  before(async () => {
    t = await createTestingApp({ flows: [ThrownValues], credentials: { apiKey: SECRET }, cluster: { type: 'local', count: 3 } });
  });
  after(async () => t.teardown());

  it('records it as JSON (redacted), or by its message, in the step rows, the history and the step log', async () => {
    const result = await t.app.run('thrown_values', { timeperiod: '2026112600', failFast: false });
    expect(result.state).to.equal('invalid');
    const errors = Object.fromEntries((await t.app.status('thrown_values', '2026112600')).steps.map((s) => [s.stepName, s.error]));
    expect(errors).to.deep.equal({
      rejected_body: '{"status":403,"body":{"error":"forbidden","key":"***"}}',
      message_object: 'quota exceeded',
      circular: '[object Object]',
    });
    const attempts = (await t.app.historyRun(result.runId)).attempts;
    expect(attempts.find((a) => a.stepName === 'rejected_body')?.error).to.equal(errors.rejected_body);
    const log = (await t.app.logs('thrown_values', { step: 'rejected_body', runId: result.runId })).map((e) => e.line).join('\n');
    expect(log).to.include('failed after').and.to.include('{"status":403,"body":{"error":"forbidden","key":"***"}}');
    expect(log).not.to.include(SECRET);
  });
});
