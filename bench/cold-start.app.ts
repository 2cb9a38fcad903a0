import { bootstrap } from '../src';
import { noOpFlow } from './no-op-flows';

/** How many steps the cold start's layered flow has (the benchmark sets it; issue 22: 1,000). */
export const COLD_STEPS_ENV = 'SYNERGY_BENCH_COLD_STEPS';

/**
 * The entry module of the cold start (issue 22, item 4), as a user's would be: `synergy-flow --app
 * dist/bench/cold-start.app.js run bench_layered_1000 -t 2026112600`. State and logs go to the
 * current directory (the engine's defaults), local clusters as the engine's default.
 */
export const app = bootstrap({ flows: [noOpFlow('layered', Number(process.env[COLD_STEPS_ENV] || 1000)).flowClass] });
