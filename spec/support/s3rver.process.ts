/**
 * Runs s3rver (an S3 server this project did not write) for a spec process (started by
 * s3rver-server.ts). In its own process because s3rver signs listing continuation tokens with a
 * cipher OpenSSL 3 keeps in its legacy provider: listings past 1,000 keys need
 * `node --openssl-legacy-provider`, a flag the spec process must not carry. Prints one JSON line
 * with the port once it listens, and stops - its data directory is the caller's - when stdin closes.
 */
async function main(): Promise<void> {
  const [directory, ...buckets] = process.argv.slice(2);
  // s3rver ships no types; only the constructor, run() and close() are used.
  const S3rver = require('s3rver') as new (options: Record<string, unknown>) => {
    run(): Promise<{ port: number }>;
    close(): Promise<void>;
  };
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void server.close().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
