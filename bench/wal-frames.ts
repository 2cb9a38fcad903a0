import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { bootstrap } from '../src';
import { noOpFlow, type FlowShape } from './no-op-flows';
import { scratchDirectory } from './scratch';

/**
 * What the engine's SQLite group commits write: the WAL frames (one per page written) of each
 * commit of a run, and the b-tree (table or index) each page belongs to. The raw two-commit loop
 * the bench compares the engine with writes one frame a commit; a commit's cost grows with its
 * frames, and a checkpoint's with the frames it copies.
 *
 * The flow runs one timeperiod first (its rows and pages exist, as on any day after the first),
 * then the WAL is checkpointed and emptied and a reader holds it open, so that none of the next
 * run's frames is checkpointed away before they are read: the WAL then holds that run whole.
 *
 *   node dist/bench/wal-frames.js [steps=2000] [shape=layered] [clusters=2]
 */
async function main(): Promise<void> {
  const [stepsArg, shapeArg, clustersArg] = process.argv.slice(2);
  const steps = Number(stepsArg ?? 2_000);
  const shape = (shapeArg ?? 'layered') as FlowShape;
  const clusters = Number(clustersArg ?? 2);
  if (
    !Number.isInteger(steps) ||
    steps < 1 ||
    !['chain', 'layered', 'independent'].includes(shape) ||
    !Number.isInteger(clusters) ||
    clusters < 1
  ) {
    throw new Error('usage: node dist/bench/wal-frames.js [steps] [chain|layered|independent] [clusters]');
  }
  const dir = scratchDirectory('wal-frames-');
  const file = path.join(dir, 'state.db');
  const flow = noOpFlow(shape, steps);
  const app = await bootstrap({
    flows: [flow.flowClass],
    database: { type: 'better-sqlite3', database: file },
    logDirectory: path.join(dir, 'logs'),
    cluster: { type: 'local', count: clusters },
  });
  let walCopy: Buffer;
  try {
    await app.run(flow.name, { timeperiod: '2026112500' });
    const checkpointer = new Database(file);
    checkpointer.pragma('wal_checkpoint(TRUNCATE)');
    checkpointer.close();
    // An open read transaction: no checkpoint may go past the frames it could need.
    const reader = new Database(file, { readonly: true });
    reader.prepare('BEGIN').run();
    reader.prepare('SELECT count(*) FROM flow').get();
    await app.run(flow.name, { timeperiod: '2026112501' });
    walCopy = fs.readFileSync(`${file}-wal`);
    reader.prepare('COMMIT').run();
    reader.close();
  } finally {
    await app.close();
  }
  report(parseWal(walCopy), btreeOfPage(file), steps, shape, clusters);
}

interface WalFrame {
  page: number;
  /** The last frame of a transaction: the database size in pages after it (0 on the others). */
  commitSize: number;
}

/** The frames of the WAL's current generation (https://www.sqlite.org/fileformat2.html#walformat). */
function parseWal(wal: Buffer): WalFrame[] {
  const pageSize = wal.readUInt32BE(8);
  const salt = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  const frames: WalFrame[] = [];
  for (let offset = 32; offset + 24 + pageSize <= wal.length; offset += 24 + pageSize) {
    // A frame left from an earlier generation of the file has the old salts: the log ends there.
    if (wal.readUInt32BE(offset + 8) !== salt[0] || wal.readUInt32BE(offset + 12) !== salt[1]) break;
    frames.push({ page: wal.readUInt32BE(offset), commitSize: wal.readUInt32BE(offset + 4) });
  }
  return frames;
}

/** Each page's table or index, from SQLite's dbstat table. */
function btreeOfPage(file: string): Map<number, string> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT name, pageno FROM dbstat').all() as Array<{ name: string; pageno: number }>;
    // Page 1 is rewritten by every commit that grows the file: its header holds the page count.
    return new Map(rows.map((row) => [row.pageno, row.pageno === 1 ? `page 1 (${row.name}, the file's header)` : row.name]));
  } finally {
    db.close();
  }
}

function report(frames: WalFrame[], owners: Map<number, string>, steps: number, shape: string, clusters: number): void {
  const commitSizes = new Map<number, number>();
  const byBtree = new Map<string, number>();
  let commits = 0;
  let inCommit = 0;
  for (const frame of frames) {
    inCommit++;
    const owner = owners.get(frame.page) ?? 'freed or free page';
    byBtree.set(owner, (byBtree.get(owner) ?? 0) + 1);
    if (frame.commitSize === 0) continue;
    commits++;
    commitSizes.set(inCommit, (commitSizes.get(inCommit) ?? 0) + 1);
    inCommit = 0;
  }
  console.log(`${shape} ${steps.toLocaleString('en-US')} steps at ${clusters} clusters, the run after the first:`);
  console.log(
    `  ${commits.toLocaleString('en-US')} commits, ${frames.length.toLocaleString('en-US')} WAL frames: ${(frames.length / commits).toFixed(2)} a commit, ${(frames.length / steps).toFixed(2)} a step`,
  );
  const histogram = [...commitSizes].sort((a, b) => a[0] - b[0]).map(([size, count]) => `${size}: ${count}`);
  console.log(`  commits by their frames: ${histogram.join(', ')}`);
  const shares = [...byBtree].sort((a, b) => b[1] - a[1]).map(([name, count]) => `${name} ${count}`);
  console.log(`  frames by table or index: ${shares.join(', ')}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
