import { z } from 'zod';
import { parseOptions } from '../config/parse-options';

/** What `app.serve()` takes. */
export interface ServeOptions {
  /** TCP port; 0 picks a free one (the returned url says which). */
  port: number;
  /** Default 127.0.0.1. Anything but a loopback address needs a token. */
  host?: string;
  /** When set, every POST needs `Authorization: Bearer <token>`, and every GET unless `publicRead`. */
  token?: string;
  /** With a token: let GETs (the page's data, the event stream) through without it. */
  publicRead?: boolean;
  /** What the viewer's clients may take from the process that runs the flows. */
  limits?: Partial<ServeLimits>;
  /**
   * While a page is open, how often the viewer reads the database for the runs of other engines
   * sharing it (a scheduler process, a CLI run), so the page follows them live; default 1000 ms,
   * 0 never (those runs then show when the page reads them again). The viewer's own runs need no reads.
   */
  otherEnginesPollMs?: number;
  /** Serve Prometheus text at `/metrics` (runs, steps in flight, step durations, retries), behind the token unless `publicRead`. Default false. */
  metrics?: boolean;
}

/**
 * Bounds on what the viewer's clients may hold, so that no number of them (idle, slow, or never
 * reading) can take from a run the descriptors, memory or time it needs.
 */
export interface ServeLimits {
  /** Open connections at most (default 256); more are closed as they arrive. */
  maxConnections: number;
  /**
   * File descriptors kept for the engine whatever the viewer's clients do. Default: half of those
   * free when the viewer starts (by the process's open-files limit), so connections never exceed the
   * other half.
   */
  descriptorReserve?: number;
  /** A client must send its request headers within this time (default 10 s), else 408 and closed. */
  headersTimeoutMs: number;
  /** ...and its whole request (default 30 s). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (default 5 s). */
  keepAliveTimeoutMs: number;
  /** A connection with no traffic either way is closed after this (default 60 s; event streams send a heartbeat in between). */
  idleTimeoutMs: number;
  /** An event-stream client this far behind (bytes not yet taken by its socket, default 1 MiB) is disconnected; it reconnects. */
  eventBufferBytes: number;
  /**
   * Log reads at once (default 2): each reads a log backwards from its end for the newest lines
   * asked for (back through the whole of it, 22 MiB by default, for a timeperiod's lines fewer than
   * `maxBytes`), so clients cost the engine at most this many reads' memory and time.
   */
  maxLogReads: number;
  /** Log reads waiting for their turn (default 16); more are answered 503 with Retry-After. */
  maxQueuedLogReads: number;
}

/** What `app.serve()` returns. */
export interface ViewerServer {
  /** Where the page is, e.g. `http://127.0.0.1:8080/`. */
  url: string;
  /** Stops listening and ends the open event streams; runs started from the page keep running. */
  close(): Promise<void>;
}

export interface ResolvedServeOptions {
  port: number;
  host: string;
  token?: string;
  publicRead: boolean;
  loopback: boolean;
  metrics: boolean;
  otherEnginesPollMs: number;
  limits: ServeLimits;
}

/** The defaults of `limits`, exported so specs and users override one field with a `Partial`. */
export const DEFAULT_SERVE_LIMITS: Readonly<ServeLimits> = {
  maxConnections: 256,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 60_000,
  eventBufferBytes: 1024 * 1024,
  maxLogReads: 2,
  maxQueuedLogReads: 16,
};

/** How often an open page's viewer reads the database for other engines' runs, unless told otherwise. */
const DEFAULT_OTHER_ENGINES_POLL_MS = 1000;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const PORT = 'must be a whole number from 0 to 65535 (0 picks a free port)';
const CLI_TOKEN = 'on the command line: --token or $SYNERGY_FLOW_VIEWER_TOKEN';

const wholeMs = (fallback: number) =>
  z
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1, 'must be at least 1 ms')
    .default(fallback);

/*
 * The token's messages never quote it: a ConfigurationError may end up in a log. It travels in an
 * HTTP header, whose value loses its surrounding spaces on the way: a token with such spaces is
 * accepted and can never match.
 */
const tokenSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .refine(
    (token) => token === token.trim(),
    `has spaces or line breaks at its start or end, so no request could ever match it (HTTP drops them from the header); remove them (${CLI_TOKEN})`,
  )
  .refine(
    (token) => /^[\x21-\x7e]*$/.test(token.trim()),
    `must be printable ASCII without spaces (it is sent in the Authorization header); pick another (${CLI_TOKEN})`,
  );

const limitsSchema = z
  .strictObject({
    maxConnections: z.number().int('must be a whole number').min(1, 'must be at least 1').default(DEFAULT_SERVE_LIMITS.maxConnections),
    descriptorReserve: z.number().int('must be a whole number').min(0, 'must be 0 or more').optional(),
    headersTimeoutMs: wholeMs(DEFAULT_SERVE_LIMITS.headersTimeoutMs),
    requestTimeoutMs: wholeMs(DEFAULT_SERVE_LIMITS.requestTimeoutMs),
    keepAliveTimeoutMs: wholeMs(DEFAULT_SERVE_LIMITS.keepAliveTimeoutMs),
    idleTimeoutMs: wholeMs(DEFAULT_SERVE_LIMITS.idleTimeoutMs),
    eventBufferBytes: z
      .number()
      .int('must be a whole number')
      .min(1024, 'must be at least 1024')
      .default(DEFAULT_SERVE_LIMITS.eventBufferBytes),
    maxLogReads: z.number().int('must be a whole number').min(1, 'must be at least 1').default(DEFAULT_SERVE_LIMITS.maxLogReads),
    maxQueuedLogReads: z.number().int('must be a whole number').min(0, 'must be 0 or more').default(DEFAULT_SERVE_LIMITS.maxQueuedLogReads),
  })
  .refine((limits) => limits.headersTimeoutMs <= limits.requestTimeoutMs, {
    path: ['headersTimeoutMs'],
    message: 'must not exceed requestTimeoutMs (the headers are part of the request)',
  });

const serveOptionsSchema = z
  .strictObject(
    {
      port: z.number({ error: PORT }).int(PORT).min(0, PORT).max(65535, PORT),
      host: z.string().trim().min(1, 'must be an address such as 127.0.0.1').default('127.0.0.1'),
      token: tokenSchema.optional(),
      publicRead: z.boolean().default(false),
      limits: limitsSchema.prefault({}),
      metrics: z.boolean({ error: 'must be true or false' }).default(false),
      otherEnginesPollMs: z
        .number({ error: 'must be a number of milliseconds' })
        .int('must be a whole number of milliseconds')
        .min(0, 'must be 0 (never) or more')
        .default(DEFAULT_OTHER_ENGINES_POLL_MS),
    },
    { error: 'serve needs an options object with a port, e.g. app.serve({ port: 8080 })' },
  )
  .superRefine((options, ctx) => {
    if (options.token === undefined && typeof options.host === 'string' && !isLoopback(options.host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['token'],
        message:
          `binding the viewer to ${options.host} exposes its run buttons to the network; pass a token ` +
          `(serve({ host, token }); ${CLI_TOKEN}), or keep the default host 127.0.0.1`,
      });
    }
  });

/**
 * Checks the options before anything listens (a viewer reachable from the network must not be open
 * to it), every problem in one `ConfigurationError`.
 */
export function resolveServeOptions(options: ServeOptions): ResolvedServeOptions {
  const parsed = parseOptions(serveOptionsSchema, options, 'serve() options');
  return { ...parsed, loopback: isLoopback(parsed.host) };
}

function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}
