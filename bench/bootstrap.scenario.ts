import * as path from 'node:path';
import { bootstrap } from '../src';
import type { NoOpFlow } from './no-op-flows';
import { scratchDirectory } from './scratch';

export interface BootstrapFigures {
  scenario: string;
  steps: number;
  /** bootstrap(): scan and validate the flow, open a new SQLite file, create the schema. */
  bootstrapMs: number;
}

/** Bootstrap alone, for the sizes the targets name (2,000 and 10,000 steps). */
export async function runBootstrapOnly(flow: NoOpFlow): Promise<BootstrapFigures> {
  const dir = scratchDirectory('boot-');
  const started = performance.now();
  const app = await bootstrap({
    flows: [flow.flowClass],
    database: { type: 'better-sqlite3', database: path.join(dir, 'synergy-flow.db') },
    logDirectory: path.join(dir, 'logs'),
    tuneV8: true, // as bootstrap() did unasked before it became opt-in: the figures stay comparable
  });
  // The database opens lazily; opened here so that the figure still covers it, as before.
  await app.ready();
  const bootstrapMs = performance.now() - started;
  await app.close();
  return { scenario: flow.name, steps: flow.steps, bootstrapMs };
}
