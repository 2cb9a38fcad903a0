import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { firstJsonLine } from './ready-line';

export interface S3rverServer {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint` with `forcePathStyle: true`. */
  url: string;
  stop(): Promise<void>;
}

/** s3rver accepts any well-formed signature made with these; they are not secrets. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Starts s3rver on a random loopback port with `buckets` created, its objects in a fresh temporary
 * directory removed on stop. The child also stops when this process dies (its stdin closes).
 */
export async function startS3rver(buckets: string[]): Promise<S3rverServer> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', path.join(__dirname, 's3rver.process.js'), directory, ...buckets], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const { port } = await firstJsonLine<{ port: number }>(child, 's3rver');
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.stdin.end();
        await exited;
      }
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
