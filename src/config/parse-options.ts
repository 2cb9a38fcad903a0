import type { z } from 'zod';
import { ConfigurationError, type ConfigurationProblem } from '../errors/configuration.error';
import { closestName } from '../errors/did-you-mean';

/**
 * Validates an option object against its schema and returns the parsed value (defaults filled), or
 * throws one `ConfigurationError` listing every problem, each unknown key with a "did you mean".
 * Schemas use `z.strictObject` so that a typo (`logURI` for `logUri`) is an error, not silently ignored.
 *
 * @example parseOptions(leaseOptionsSchema, options.lease, 'lease options')
 */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ConfigurationError(
    subject,
    result.error.issues.flatMap((issue) => describeIssue(schema, issue)),
  );
}

function describeIssue(root: z.ZodType, issue: z.core.$ZodIssue): ConfigurationProblem[] {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const known = objectKeysAt(root, issue.path);
    return issue.keys.map((key) => {
      const guess = closestName(key, known);
      const hint = guess ? `did you mean '${guess}'?` : known.length ? `the known options are ${known.join(', ')}` : 'remove it';
      return { path: path ? `${path}.${key}` : key, message: `unknown option; ${hint}` };
    });
  }
  return [{ path, message: issue.message }];
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/** The keys an object schema at `path` declares, looking through optional/default/nullable/pipe/union wrappers. */
function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const def = (schema as unknown as { def: Record<string, unknown> & { type: string } }).def;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return objectKeysAt(def.innerType as z.ZodType, path);
    case 'pipe':
      return objectKeysAt(def.in as z.ZodType, path);
    case 'union':
      return [...new Set((def.options as z.ZodType[]).flatMap((option) => objectKeysAt(option, path)))];
    case 'array':
      return path.length ? objectKeysAt(def.element as z.ZodType, path.slice(1)) : [];
    case 'record':
      return path.length ? objectKeysAt(def.valueType as z.ZodType, path.slice(1)) : [];
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      if (!path.length) return Object.keys(shape);
      const child = shape[String(path[0])];
      return child ? objectKeysAt(child, path.slice(1)) : [];
    }
    default:
      return [];
  }
}
