import { expect } from 'chai';
import * as fc from 'fast-check';
import { FlowGraph } from '../../src/graph/flow-graph';
import { renderAsciiGraph } from '../../src/graph/ascii-graph.renderer';
import { traceAsciiGraph } from '../support/ascii-graph-tracer';

const edgesOf = (graph: FlowGraph) => graph.steps.flatMap((s) => graph.dependenciesOf(s).map((d) => `${d}->${s}`)).sort();

/** The original synergy_flow test graph. */
const eightSteps = new FlowGraph([
  { name: 'step_1', dependsOn: [] },
  { name: 'step_2', dependsOn: ['step_1'] },
  { name: 'step_3', dependsOn: ['step_2'] },
  { name: 'step_4', dependsOn: ['step_2'] },
  { name: 'step_5', dependsOn: ['step_3', 'step_4'] },
  { name: 'step_6', dependsOn: ['step_2'] },
  { name: 'step_7', dependsOn: ['step_6'] },
  { name: 'step_8', dependsOn: ['step_7'] },
]);

describe('renderAsciiGraph', () => {
  it('draws the 8-step flow top-down with every dependency as a line a reader can follow', () => {
    const text = renderAsciiGraph(eightSteps, 'eight_steps');
    const traced = traceAsciiGraph(text, eightSteps.steps);
    expect(traced.edges.sort()).to.deep.equal(edgesOf(eightSteps));
    expect(text.split('\n')[0]).to.equal('eight_steps: 8 steps, 8 dependencies');
    // Layers read top to bottom: siblings share a row, dependents sit lower.
    const row = (s: string) => traced.rows.get(s)!;
    expect(row('step_3')).to.equal(row('step_4')).and.to.equal(row('step_6'));
    expect(row('step_5')).to.equal(row('step_7'));
    expect(row('step_1')).to.be.below(row('step_2'));
    expect(row('step_7')).to.be.below(row('step_8'));
    // Plain ASCII that fits a terminal.
    expect(text).to.match(/^[\x20-\x7e\n]*$/);
    expect(Math.max(...text.split('\n').map((l) => l.length))).to.be.at.most(80);
  });

  it('carries a dependency that skips layers through them', () => {
    const graph = new FlowGraph([
      { name: 'a', dependsOn: [] },
      { name: 'b', dependsOn: ['a'] },
      { name: 'c', dependsOn: ['b'] },
      { name: 'd', dependsOn: ['a', 'c'] },
    ]);
    const text = renderAsciiGraph(graph);
    expect(traceAsciiGraph(text, graph.steps).edges.sort()).to.deep.equal(edgesOf(graph));
    const bRow = text.split('\n').findIndex((l) => l.includes('[b]'));
    expect(text.split('\n')[bRow]).to.match(/\[b\]\s+\|/);
  });

  it('draws a flow without dependencies as one row of labels', () => {
    const graph = new FlowGraph([
      { name: 'x', dependsOn: [] },
      { name: 'y', dependsOn: [] },
    ]);
    expect(renderAsciiGraph(graph)).to.equal('[x]  [y]\n');
  });

  it('draws exactly the dependencies of any DAG, each step below its dependencies', () => {
    const names = ['a', 'load', 'step_10', 'x.y', 'publish-report', 'z9', 'clean', 'b', 'extract_customers', 'q', 'sum', 'k'];
    const dag = fc
      .integer({ min: 1, max: names.length })
      .chain((n) =>
        fc.tuple(fc.constant(n), fc.array(fc.array(fc.boolean(), { minLength: n, maxLength: n }), { minLength: n, maxLength: n })),
      )
      .map(
        ([n, matrix]) =>
          new FlowGraph(
            names
              .slice(0, n)
              .map((name, i) => ({ name, dependsOn: names.slice(0, i).filter((_, j) => matrix[i][j] && (i + j) % 3 !== 0) })),
          ),
      );
    fc.assert(
      fc.property(dag, (graph) => {
        const traced = traceAsciiGraph(renderAsciiGraph(graph), graph.steps);
        expect(traced.edges.sort()).to.deep.equal(edgesOf(graph));
        for (const step of graph.steps) {
          for (const dep of graph.dependenciesOf(step)) expect(traced.rows.get(dep)).to.be.below(traced.rows.get(step)!);
        }
      }),
      { numRuns: 300 },
    );
  });
});
