/** What `npm run bench -- [flags]` accepts. */
export interface BenchOptions {
  /** Where `--json` writes every figure (default bench-results.json when the flag has no value). */
  jsonFile?: string;
  /** `--clusters N`: local clusters per run; default is the engine's default (2). */
  clusters?: number;
  /** `--only chain,layered`: run only these shapes. */
  only?: Set<string>;
  /** `--in-process`: every scenario in this process (for a profiler), not one process each. */
  inProcess?: boolean;
  /** `--suite sqlite,peers,cold,memory`: run only these groups of scenarios (default: all). */
  suites?: Set<Suite>;
  /** `--repetitions N`: fresh processes per engine and shape in the comparison with the peers (default 3). */
  repetitions?: number;
}

/**
 * The groups of scenarios: the engine on SQLite beside its raw baselines (issue 8), the comparison
 * with BullMQ and graphile-worker on PostgreSQL (issue 22), the cold start, the peak RSS beside BullMQ's.
 */
export const SUITES = ['sqlite', 'peers', 'cold', 'memory'] as const;
export type Suite = (typeof SUITES)[number];

/** Whether the options ask for a suite (all of them when --suite is not given). */
export function wantsSuite(options: BenchOptions, suite: Suite): boolean {
  return !options.suites || options.suites.has(suite);
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return undefined;
      i++;
      return next;
    };
    if (arg === '--json') options.jsonFile = value() ?? 'bench-results.json';
    else if (arg.startsWith('--json=')) options.jsonFile = arg.slice('--json='.length);
    else if (arg === '--clusters') options.clusters = wholeNumber('--clusters', value());
    else if (arg === '--only') options.only = shapes(value());
    else if (arg === '--in-process') options.inProcess = true;
    else if (arg === '--suite') options.suites = suites(value());
    else if (arg === '--repetitions') options.repetitions = wholeNumber('--repetitions', value());
    else
      throw new Error(
        `unknown option '${arg}': use --json [file], --clusters N, --only chain,layered,independent, --in-process, --suite ${SUITES.join(',')}, --repetitions N`,
      );
  }
  return options;
}

function wholeNumber(flag: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a whole number >= 1, got '${text ?? ''}'`);
  return n;
}

function shapes(text: string | undefined): Set<string> {
  const list = (text ?? '').split(',').filter(Boolean);
  const unknown = list.filter((s) => !SHAPES.includes(s));
  if (list.length === 0 || unknown.length) throw new Error(`--only needs shapes among ${SHAPES.join(', ')}, got '${text ?? ''}'`);
  return new Set(list);
}

const SHAPES = ['chain', 'layered', 'independent'];

function suites(text: string | undefined): Set<Suite> {
  const list = (text ?? '').split(',').filter(Boolean);
  const unknown = list.filter((s) => !(SUITES as readonly string[]).includes(s));
  if (list.length === 0 || unknown.length) throw new Error(`--suite needs suites among ${SUITES.join(', ')}, got '${text ?? ''}'`);
  return new Set(list as Suite[]);
}
