import type { DataSourceOptions } from 'typeorm';
import { z } from 'zod';
import { closestName } from '../errors/did-you-mean';
import { MAX_TIMER_MS } from '../config/max-timer-ms';
import { timerMs, wholeNumber } from '../config/whole-number.schema';
import { TYPEORM_OPTION_NAMES } from './typeorm-option-names';

/** `database` option of bootstrap(): TypeORM's connection options, minus what the engine owns. */
export type DatabaseOptions = Omit<DataSourceOptions, 'entities' | 'migrations' | 'subscribers'> & Record<string, unknown>;

export { DEFAULT_DATABASE_OPTIONS } from './database-defaults';

/** The options the engine sets itself: a user's value would be overwritten without a word. */
const ENGINE_OWNED = ['entities', 'migrations', 'subscribers'];

// Shared by both drivers; never echoes a value (a password or a URL may be in it).
const common = {
  migrationsRun: z.boolean({ error: 'must be true or false' }).optional(),
  migrationsTableName: z.string().min(1).optional(),
  poolSize: wholeNumber(1, 10_000).optional(),
};

/**
 * Checks `type` and the fields the engine reads; TypeORM's other options pass through as they are,
 * except a name that is a near miss of one TypeORM knows (a typo) and the options the engine owns.
 */
export const databaseOptionsSchema = z
  .discriminatedUnion(
    'type',
    [
      z.looseObject({
        type: z.literal('better-sqlite3'),
        database: z
          .string({ error: "must be the SQLite file's path, or ':memory:'" })
          .min(1, "must be the SQLite file's path, or ':memory:'"),
        timeout: wholeNumber(0, MAX_TIMER_MS, ' of milliseconds').optional(),
        enableWAL: z.boolean({ error: 'must be true or false' }).optional(),
        ...common,
      }),
      z.looseObject({
        type: z.literal('postgres'),
        url: z.string({ error: 'must be a connection string, postgres://user@host:port/database' }).optional(),
        host: z.string({ error: 'must be a host name' }).min(1).optional(),
        port: wholeNumber(1, 65_535).optional(),
        username: z.string({ error: 'must be a string' }).optional(),
        password: z
          .custom<string | (() => string) | (() => Promise<string>)>(
            (v) => v === undefined || typeof v === 'string' || typeof v === 'function',
            {
              error: 'must be a string, or a function that returns one',
            },
          )
          .optional(),
        database: z.string({ error: 'must be the database name' }).min(1).optional(),
        schema: z.string({ error: 'must be the schema name' }).min(1).optional(),
        connectTimeoutMS: timerMs(0).optional(),
        ...common,
      }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? `unsupported database type '${String((issue.input as { type?: unknown } | undefined)?.type)}': use 'better-sqlite3' (a file, the default) or 'postgres'`
          : undefined,
    },
  )
  .superRefine((options, ctx) => {
    const known = TYPEORM_OPTION_NAMES[options.type];
    for (const key of Object.keys(options)) {
      if (ENGINE_OWNED.includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'the engine sets its own: remove it (use your own DataSource for your entities)',
        });
      } else if (!known.includes(key)) {
        const guess = closestName(key, known);
        if (guess) ctx.addIssue({ code: 'custom', path: [key], message: `unknown option; did you mean '${guess}'?` });
      }
    }
  });
