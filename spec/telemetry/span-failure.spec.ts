import { expect } from 'chai';
import type { Exception, Span, SpanStatus } from '@opentelemetry/api';
import { createRedactor } from '../../src/logging/redaction';
import { recordFailure } from '../../src/telemetry/span-failure';

describe('telemetry/span failure', () => {
  it("redacts the error's name as well as its message and stack: the name becomes the span's exception.type", () => {
    const token = 'FwoGZXIvYXdzEHuntCSessionToken0123456789==';
    const recorded: { exception?: Exception; status?: SpanStatus } = {};
    const span = {
      recordException: (exception: Exception) => (recorded.exception = exception),
      setStatus: (status: SpanStatus) => (recorded.status = status),
    } as unknown as Span;
    const error = new Error(`refused ${token}`);
    error.name = `TokenError[${token}]`;
    recordFailure(span, error, createRedactor([token]));
    expect(recorded.exception).to.include({ name: 'TokenError[***]', message: 'refused ***' });
    expect(JSON.stringify(recorded)).not.to.include(token);
  });
});
