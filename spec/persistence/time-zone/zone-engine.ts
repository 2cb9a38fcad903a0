import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { ZoneEngineReply, ZoneEngineRequest } from './zone-engine.process';

const run = promisify(execFile);

/**
 * Runs zone-engine.process.ts in a fresh node whose TZ is `zone`: node reads TZ as it starts, so
 * every Date of that process (and pg's conversions of them) is in that zone, as on a machine there.
 */
export async function inTimeZone(zone: string, request: ZoneEngineRequest): Promise<ZoneEngineReply> {
  const { stdout } = await run(process.execPath, ['--enable-source-maps', path.join(__dirname, 'zone-engine.process.js')], {
    env: { ...process.env, TZ: zone, SYNERGY_ZONE_ENGINE: JSON.stringify(request) },
    timeout: 60_000,
  });
  const reply = JSON.parse(stdout.trim().split('\n').pop()!) as ZoneEngineReply;
  if (reply.zone !== zone) throw new Error(`the engine process ran in ${reply.zone}, not ${zone}`);
  return reply;
}
