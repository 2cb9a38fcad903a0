/**
 * A zod-free test that a value is *certainly* valid for an options schema: true means the schema
 * would accept it and give back the same values; false means "not sure", and the caller asks the
 * schema, which says what is wrong. Loading zod costs more than everything else `--help` or `list`
 * loads, and the options of a typical entry file (`bootstrap({ flows })`, `@Step({ name })`) are
 * valid: they pass here, and zod is loaded only for options this cannot vouch for.
 *
 * A quick check may refuse what the schema accepts (it is then only slower), never the reverse:
 * spec/config/quick-check.spec.ts holds each one against its schema with generated values.
 */
export type QuickCheck = (value: unknown) => boolean;

export const isString: QuickCheck = (value) => typeof value === 'string';

export const isNonEmptyString: QuickCheck = (value) => typeof value === 'string' && value.length > 0;

export const isBoolean: QuickCheck = (value) => typeof value === 'boolean';

export const isArray: QuickCheck = (value) => Array.isArray(value);

/** An array of functions (error classes, for `nonRetryableErrors`). */
export const isFunctionArray: QuickCheck = (value) => Array.isArray(value) && value.every((item) => typeof item === 'function');

/** An object the schema passes on as it is (`z.custom` of a non-null, non-array object). */
export const isObject: QuickCheck = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A whole number within bounds, as zod's `.int().min(min).max(max)` (safe integers only). */
export function isWholeNumber(min: number, max: number): QuickCheck {
  return (value) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

export function isOneOf(...allowed: readonly unknown[]): QuickCheck {
  return (value) => allowed.includes(value);
}

/** An object with a method of that name (a tsyringe container, a FlowLock). */
export function hasMethod(name: string): QuickCheck {
  return (value) => typeof (value as Record<string, unknown> | null | undefined)?.[name] === 'function';
}

/**
 * `z.strictObject`: a plain object holding only keys of `shape`, each `undefined` (`.optional()`)
 * or passing its check; the `required` keys must be there and pass theirs.
 */
export function isStrictObject(shape: Readonly<Record<string, QuickCheck>>, required: readonly string[] = []): QuickCheck {
  return (value) => {
    if (typeof value !== 'object' || value === null) return false;
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return false;
    const record = value as Record<string, unknown>;
    if (!required.every((key) => Object.hasOwn(record, key) && shape[key](record[key]))) return false;
    return Object.keys(record).every(
      (key) => Object.hasOwn(shape, key) && (required.includes(key) || record[key] === undefined || shape[key](record[key])),
    );
  };
}
