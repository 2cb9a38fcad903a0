import { Option } from 'commander';
import { renderAsciiGraph } from '../../graph/ascii-graph.renderer';
import type { CliCommand } from '../cli-command';

/** `graph <flow> --format text|dot|mermaid`: the flow's DAG for a terminal, Graphviz or Mermaid. */
export const graphCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('graph')
      .description("draw a flow's steps and dependencies")
      .argument('<flow>', 'the flow')
      .addOption(
        new Option('-f, --format <format>', 'text (for a terminal), dot (Graphviz) or mermaid')
          .choices(['text', 'dot', 'mermaid'])
          .default('text'),
      )
      .option('--json', 'print the steps and edges as JSON')
      .action((flow: string, options: { format: 'text' | 'dot' | 'mermaid'; json?: boolean }) => {
        const graph = ctx.app.graph(flow);
        if (options.json) {
          return ctx.printJson({
            flowName: flow,
            steps: graph.topologicalOrder().map((name) => ({ name, dependsOn: graph.dependenciesOf(name) })),
            edges: graph.steps.flatMap((to) => graph.dependenciesOf(to).map((from) => ({ from, to }))),
          });
        }
        if (options.format === 'dot') ctx.print(graph.toDot(flow));
        else if (options.format === 'mermaid') ctx.print(graph.toMermaid());
        else ctx.print(renderAsciiGraph(graph, flow));
      });
  },
};
