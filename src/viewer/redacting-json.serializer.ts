import type { Redactor } from '../logging/redaction';

/**
 * The last check on the way out of the API, as the JSON serializer of every answer: each string
 * value goes through the redactor while the document is written, so a step error row written
 * before a secret was known (an older version, another engine's configuration) is served redacted
 * all the same. The values, not the serialized text: a short secret that looks like a number or a
 * key must not break the document. One pass over the answer, where a hook before serialization
 * would have written and parsed it once more (a 2,000-step run's detail is over half a megabyte).
 * The page's own scripts and styles are sent as text and never reach it.
 */
export function redactingJsonSerializer(redact: Redactor): (payload: unknown) => string {
  return (payload) => JSON.stringify(payload, (_key, value: unknown) => (typeof value === 'string' ? redact(value) : value));
}
