import { SpanStatusCode, type Span } from '@opentelemetry/api';
import type { Redactor } from '../logging/redaction';

/**
 * Records a failure on a span: the exception (as an `exception` event) and the ERROR status. What
 * reaches the span is redacted, as in the logs and events: an error's message or stack may quote a
 * password or a key, and spans leave the process.
 */
export function recordFailure(span: Span, error: unknown, redact: Redactor): void {
  const message = redact(error instanceof Error ? error.message : String(error));
  span.recordException({
    // The name too: it is anyone's text (`e.name = \`TokenError[${token}]\``) and becomes the span's `exception.type`.
    name: error instanceof Error ? redact(error.name) : 'Error',
    message,
    ...(error instanceof Error && error.stack ? { stack: redact(error.stack) } : {}),
  });
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}
