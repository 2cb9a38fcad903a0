import type { Redactor } from './redaction';

/**
 * Masks the known secrets in what an action threw, for a caller that gets the thrown value itself
 * (the testing harness's `runStep`) rather than the redacted text the engine records: the message
 * and the stack of an Error, its string fields (`details.stderrTail`), its `cause` and its
 * AggregateError `errors`, at any depth.
 *
 * In place, so the value stays what it was: the same instance of its class (`instanceof`, its
 * methods, its private fields work), its other fields as they were. Only an Error, a plain object
 * or an array is entered: an SDK error's `$response` or a socket belongs to a library, and is not
 * changed. A frozen value, which cannot be changed, is given back as a masked copy with the same
 * prototype.
 *
 * @returns the value masked: the same object, a masked copy of a frozen one, a masked string
 */
export function maskThrownValue(thrown: unknown, redact: Redactor): unknown {
  return masked(thrown, redact, new Map());
}

type Fields = Record<PropertyKey, unknown>;

function masked(value: unknown, redact: Redactor, seen: Map<object, unknown>): unknown {
  if (typeof value === 'string') return redact(value);
  if (!isEntered(value)) return value;
  // A cycle (an error that is its own cause's cause) ends at the object already being masked.
  if (seen.has(value)) return seen.get(value);
  seen.set(value, value);
  const changes = new Map<PropertyKey, unknown>();
  for (const key of Reflect.ownKeys(value)) {
    const field = readField(value, key);
    if (field === undefined) continue;
    const after = masked(field.value, redact, seen);
    if (after !== field.value) changes.set(key, after);
  }
  if (changes.size === 0) return value;
  if (!Object.isFrozen(value) && [...changes.keys()].every((key) => writeField(value, key, changes.get(key)))) return value;
  const descriptors = Object.getOwnPropertyDescriptors(value) as Record<PropertyKey, PropertyDescriptor>;
  for (const [key, after] of changes)
    descriptors[key] = { value: after, writable: true, enumerable: descriptors[key].enumerable, configurable: true };
  const copy = Object.create(Object.getPrototypeOf(value) as object | null, descriptors) as Fields;
  seen.set(value, copy);
  return copy;
}

function isEntered(value: unknown): value is Fields {
  if (value instanceof Error || Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * A data field's value. A getter is not called (it may do anything), except an Error's `message`
 * and `stack`: what any display of the error reads anyway, and where a runtime may define `stack`
 * as an accessor.
 */
function readField(value: Fields, key: PropertyKey): { value: unknown } | undefined {
  const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
  if ('value' in descriptor) return { value: descriptor.value };
  if (value instanceof Error && (key === 'message' || key === 'stack') && descriptor.get) return { value: value[key] };
  return undefined;
}

/** Sets a field to its masked value (an accessor becomes a data field); false when the field cannot change. */
function writeField(value: Fields, key: PropertyKey, after: unknown): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
  if ('value' in descriptor) {
    if (!descriptor.configurable && !descriptor.writable) return false;
    Object.defineProperty(value, key, { ...descriptor, value: after });
    return true;
  }
  if (!descriptor.configurable) return false;
  Object.defineProperty(value, key, { value: after, writable: true, enumerable: descriptor.enumerable, configurable: true });
  return true;
}
