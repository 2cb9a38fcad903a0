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
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/** Checks the options before anything listens: a viewer reachable from the network must not be open to it. */
export function resolveServeOptions(options: ServeOptions): ResolvedServeOptions {
  if (!options || typeof options !== 'object') throw new TypeError('serve needs { port }, e.g. app.serve({ port: 8080 })');
  const { port, host = '127.0.0.1', token, publicRead = false } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`serve: port must be a whole number from 0 to 65535 (0 picks a free port), got ${String(port)}`);
  }
  if (typeof host !== 'string' || host.trim() === '') throw new TypeError(`serve: host must be an address such as 127.0.0.1, got ${String(host)}`);
  if (token !== undefined && (typeof token !== 'string' || token.length === 0)) {
    throw new TypeError('serve: token must be a non-empty string');
  }
  const loopback = LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
  if (!loopback && token === undefined) {
    throw new TypeError(
      `serve: binding the viewer to ${host} exposes its run buttons to the network; pass a token ` +
        `(serve({ host, token }); on the command line --token or $SYNERGY_FLOW_VIEWER_TOKEN), or keep the default host 127.0.0.1`,
    );
  }
  return { port, host, token, publicRead: Boolean(publicRead), loopback };
}
