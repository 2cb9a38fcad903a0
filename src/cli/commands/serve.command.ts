import { InvalidArgumentError } from 'commander';
import type { CliCommand } from '../cli-command';
import { CliUsageError } from '../../errors';
import { untilStopSignal } from '../until-stop-signal';

interface ServeCommandOptions {
  port: number;
  host: string;
  token?: string;
  publicRead?: boolean;
  metrics?: boolean;
}

/** Read when --token is not given: an environment variable stays out of `ps` and shell history. */
export const VIEWER_TOKEN_ENV = 'SYNERGY_FLOW_VIEWER_TOKEN';

/** `serve [--port 8080] [--host 127.0.0.1] [--token t] [--public-read] [--metrics]`: the web flow viewer, until Ctrl-C. */
export const serveCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('serve')
      .description('serve the web flow viewer (the DAG of each run, live states, step logs, run buttons) until Ctrl-C')
      .option('-p, --port <port>', 'TCP port, 0 for any free one', parsePort, 8080)
      .option('--host <address>', 'address to bind; anything but loopback needs a token', '127.0.0.1')
      .option('--token <token>', `require "Authorization: Bearer <token>" (default: $${VIEWER_TOKEN_ENV})`)
      .option('--public-read', 'with a token: let reads (the page, runs, logs, events) through without it')
      .option('--metrics', 'serve Prometheus text at /metrics (behind the token unless --public-read); /healthz is always served')
      .action(async (options: ServeCommandOptions) => {
        const token = options.token ?? (process.env[VIEWER_TOKEN_ENV] || undefined);
        const viewer = await ctx.app
          .serve({ port: options.port, host: options.host, token, publicRead: options.publicRead, metrics: options.metrics })
          .catch((err: NodeJS.ErrnoException) => {
            throw usageError(err, options);
          });
        // the URL alone on its line, so scripts can read it; the token is never printed
        ctx.print(`synergy-flow viewer: ${viewer.url}`);
        ctx.print(
          token ? 'a token is required: the page asks for it once (or open the URL with #token=<token>); Ctrl-C stops' : 'Ctrl-C stops',
        );
        const signal = await untilStopSignal();
        await viewer.close();
        ctx.print(`synergy-flow viewer stopped (${signal})`);
      });
  },
};

/** What the user can fix on the command line is a usage error (exit 2), said in its terms. */
function usageError(err: NodeJS.ErrnoException, options: ServeCommandOptions): unknown {
  if (err.code === 'EADDRINUSE')
    return new CliUsageError(`port ${options.port} on ${options.host} is in use: pick another with --port (0 picks a free one)`);
  if (err.code === 'EACCES')
    return new CliUsageError(`not allowed to listen on port ${options.port}: ports below 1024 need privileges, pick another with --port`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
    return new CliUsageError(`cannot bind ${options.host}: it is not an address of this machine; see --host`);
  return err;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535, e.g. 8080');
  return port;
}
