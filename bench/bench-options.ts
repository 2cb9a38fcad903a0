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
    else throw new Error(`unknown option '${arg}': use --json [file], --clusters N, --only chain,layered,independent, --in-process`);
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
