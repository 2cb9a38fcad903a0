import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { traceAsciiGraph } from '../support/ascii-graph-tracer';
import { GRAPHVIZ_DOT, requireSystemTool } from '../support/system-tool';
import { EIGHT_STEP_EDGES } from '../support/eight-step-edges';
import { CliSandbox } from './support/cli-sandbox';

const EIGHT_EDGES = EIGHT_STEP_EDGES;
const STEPS = ['step_1', 'step_2', 'step_3', 'step_4', 'step_5', 'step_6', 'step_7', 'step_8'];

describe('cli graph', () => {
  let sandbox: CliSandbox;
  before(() => (sandbox = new CliSandbox()));
  after(() => sandbox.cleanup());

  it('text: the original 8-step flow drawn so that every dependency can be followed', async () => {
    const { code, stdout } = await sandbox.run(['graph', 'eight_steps']);
    expect(code).to.equal(0);
    expect(stdout.split('\n')[0]).to.equal('eight_steps: 8 steps, 8 dependencies');
    expect(traceAsciiGraph(stdout, STEPS).edges.sort()).to.deep.equal(EIGHT_EDGES);
  });

  it('dot: Graphviz parses it, with every dependency as an edge', async function () {
    requireSystemTool(this, GRAPHVIZ_DOT);
    const { code, stdout } = await sandbox.run(['graph', 'eight_steps', '--format', 'dot']);
    expect(code).to.equal(0);
    // `dot -Tplain` lays the graph out: it fails on a syntax error, and lists the edges it read.
    const plain = execFileSync('dot', ['-Tplain'], { input: stdout }).toString();
    const edges = plain
      .split('\n')
      .filter((l) => l.startsWith('edge '))
      .map((l) => l.split(' ').slice(1, 3).join('->'));
    expect(edges.filter((e) => !e.includes('start') && !e.includes('finish')).sort()).to.deep.equal(EIGHT_EDGES);
    expect(edges).to.include('start->step_1').and.to.include('step_5->finish').and.to.include('step_8->finish');
  });

  it('mermaid: one edge line per dependency', async () => {
    const { code, stdout } = await sandbox.run(['graph', 'eight_steps', '-f', 'mermaid']);
    expect(code).to.equal(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).to.equal('flowchart LR');
    const ids = new Map<string, string>();
    for (const l of lines) {
      const m = /^\s+(s\d+)\["(.+)"\]$/.exec(l);
      if (m) ids.set(m[1], m[2]);
    }
    const stepEdges = lines
      .map((l) => /^\s+(s\d+) --> (s\d+)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${ids.get(m[1])}->${ids.get(m[2])}`);
    expect(stepEdges.sort()).to.deep.equal(EIGHT_EDGES);
  });

  it('--json: the steps in dependency order and the edges', async () => {
    const { code, stdout } = await sandbox.run(['graph', 'etl_diamond', '--json']);
    expect(code).to.equal(0);
    expect(JSON.parse(stdout)).to.deep.equal({
      flowName: 'etl_diamond',
      steps: [
        { name: 'extract', dependsOn: [] },
        { name: 'clean', dependsOn: ['extract'] },
        { name: 'sum', dependsOn: ['clean'] },
        { name: 'count', dependsOn: ['clean'] },
        { name: 'publish', dependsOn: ['sum', 'count'] },
      ],
      edges: [
        { from: 'extract', to: 'clean' },
        { from: 'clean', to: 'sum' },
        { from: 'clean', to: 'count' },
        { from: 'sum', to: 'publish' },
        { from: 'count', to: 'publish' },
      ],
    });
  });

  it('an unknown format: exit 2 with the choices', async () => {
    const { code, stderr } = await sandbox.run(['graph', 'eight_steps', '--format', 'svg']);
    expect(code).to.equal(2);
    expect(stderr).to.match(
      /^error: option '-f, --format <format>' argument 'svg' is invalid\. Allowed choices are text, dot, mermaid; see 'node \S+main\.js graph --help'\n$/,
    );
  });
});
