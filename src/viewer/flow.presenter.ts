import type { ActionDefinition, FlowDefinition, StepDefinition } from '../metadata/flow-definition';
import { presentActionArgs } from './action-args.presenter';

/*
 * What the API says about a definition. Action arguments are shown as presentActionArgs makes
 * them: credentials replaced, functions of the context named, never called.
 */

export interface ActionView {
  name: string;
  phase: ActionDefinition['phase'];
  kind: ActionDefinition['kind'];
  skip: boolean;
  timeoutMs: number | null;
  /** An action class's arguments (null for a method, or a class given none), credentials redacted. */
  args: unknown;
}

export interface StepView {
  name: string;
  description: string | null;
  dependsOn: readonly string[];
  options: {
    skip: boolean;
    retries: number;
    retryDelayMs: number | null;
    backoff: string | null;
    maxRetryDelayMs: number | null;
    timeoutMs: number | null;
    nonRetryableErrors: string[];
  };
  pre: ActionView[];
  main: ActionView;
  post: ActionView[];
}

export interface GraphView {
  /** `start`, the steps in declaration order, `finish`: the seed viewer's framing nodes. */
  nodes: string[];
  edges: Array<{ from: string; to: string }>;
  topologicalOrder: readonly string[];
  dot: string;
  mermaid: string;
}

export interface FlowView {
  name: string;
  description: string | null;
  steps: StepView[];
  graph: GraphView;
  /** Whether the flow has a schedule (`@Flow({ schedule })`): the page then shows its schedule panel. */
  scheduled: boolean;
}

/** Definitions never change once scanned: each is presented once (a 2,000-step flow's DOT and Mermaid text alone are large). */
const presented = new WeakMap<FlowDefinition, FlowView>();

export function presentFlow(definition: FlowDefinition): FlowView {
  let view = presented.get(definition);
  if (!view) presented.set(definition, (view = presentDefinition(definition)));
  return view;
}

function presentDefinition(definition: FlowDefinition): FlowView {
  const { graph } = definition;
  const edges = [
    ...graph.roots().map((root) => ({ from: 'start', to: root })),
    ...graph.steps.flatMap((step) => graph.dependenciesOf(step).map((dep) => ({ from: dep, to: step }))),
    ...graph.leaves().map((leaf) => ({ from: leaf, to: 'finish' })),
  ];
  return {
    name: definition.name,
    description: definition.description ?? null,
    steps: [...definition.steps.values()].map(presentStep),
    graph: {
      nodes: ['start', ...graph.steps, 'finish'],
      edges,
      topologicalOrder: graph.topologicalOrder(),
      dot: graph.toDot(definition.name),
      mermaid: graph.toMermaid(),
    },
    scheduled: definition.schedule !== undefined,
  };
}

function presentStep(step: StepDefinition): StepView {
  const o = step.options;
  return {
    name: step.name,
    description: o.description ?? null,
    dependsOn: step.dependsOn,
    options: {
      skip: Boolean(o.skip),
      retries: o.retries ?? 0,
      retryDelayMs: o.retryDelayMs ?? null,
      backoff: o.backoff ?? null,
      maxRetryDelayMs: o.maxRetryDelayMs ?? null,
      timeoutMs: o.timeoutMs ?? null,
      nonRetryableErrors: (o.nonRetryableErrors ?? []).map((type) => type.name),
    },
    pre: step.pre.map(presentAction),
    main: presentAction(step.main),
    post: step.post.map(presentAction),
  };
}

function presentAction(action: ActionDefinition): ActionView {
  return {
    name: action.name,
    phase: action.phase,
    kind: action.kind,
    skip: Boolean(action.options.skip),
    timeoutMs: action.options.timeoutMs ?? null,
    args: action.kind === 'class' ? presentActionArgs(action.args) : null,
  };
}
