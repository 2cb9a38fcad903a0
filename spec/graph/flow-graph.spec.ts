import { expect } from 'chai';
import { FlowGraph } from '../../src';
import { scanFlow } from '../../src/metadata/flow-scanner';
import { EightStepFlow } from '../../samples';

describe('graph/FlowGraph', () => {
  const graph = scanFlow(EightStepFlow).graph;

  it("computes the original suite's descendants of the 8-step graph", () => {
    expect(graph.descendantsOf('step_2')).to.deep.equal(['step_3', 'step_4', 'step_5', 'step_6', 'step_7', 'step_8']);
    expect(graph.descendantsOf('step_6')).to.deep.equal(['step_7', 'step_8']);
    expect(graph.descendantsOf('step_5')).to.deep.equal([]);
    expect(graph.ancestorsOf('step_5')).to.deep.equal(['step_1', 'step_2', 'step_3', 'step_4']);
  });

  it('gives direct dependencies and dependents', () => {
    expect(graph.dependenciesOf('step_5')).to.deep.equal(['step_3', 'step_4']);
    expect(graph.dependentsOf('step_2')).to.deep.equal(['step_3', 'step_4', 'step_6']);
    expect(graph.roots()).to.deep.equal(['step_1']);
    expect(graph.leaves()).to.deep.equal(['step_5', 'step_8']);
  });

  it('orders topologically: every step after all its dependencies', () => {
    const order = graph.topologicalOrder();
    expect(order).to.have.length(8);
    for (const step of graph.steps)
      for (const dep of graph.dependenciesOf(step)) expect(order.indexOf(dep)).to.be.lessThan(order.indexOf(step));
  });

  it('exports DOT with start and finish and every dependency edge', () => {
    const dot = graph.toDot('eight_steps');
    expect(dot).to.match(/^digraph "eight_steps" \{/);
    expect(dot).to.include('"start" -> "step_1"');
    expect(dot).to.include('"step_5" -> "finish"').and.include('"step_8" -> "finish"');
    for (const step of graph.steps) for (const dep of graph.dependenciesOf(step)) expect(dot).to.include(`"${dep}" -> "${step}";`);
  });

  it('exports Mermaid with one edge line per dependency', () => {
    const mermaid = graph.toMermaid();
    const edges = mermaid.split('\n').filter((l) => /^\s+s\d+ --> s\d+$/.test(l));
    const dependencyCount = graph.steps.reduce((n, s) => n + graph.dependenciesOf(s).length, 0);
    expect(edges).to.have.length(dependencyCount);
    expect(mermaid).to.match(/^flowchart LR/);
  });

  it('handles a 10,000-step chain without recursion limits', () => {
    const nodes = Array.from({ length: 10_000 }, (_, i) => ({ name: `s${i}`, dependsOn: i ? [`s${i - 1}`] : [] }));
    const chain = new FlowGraph(nodes);
    expect(chain.topologicalOrder()[9_999]).to.equal('s9999');
    expect(chain.descendantsOf('s0')).to.have.length(9_999);
  });
});
