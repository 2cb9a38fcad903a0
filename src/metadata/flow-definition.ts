import type { ActionOptions, ActionPhase, StepOptions, Type } from '../../decorators/types';
import type { FlowGraph } from '../graph/flow-graph';
import type { FlowSchedule } from './schedule-options.schema';

/** What every action of a step has, whatever it runs. */
interface ActionDefinitionBase {
  /** Method name or action class name (or the name given in its options): used in logs and events. */
  name: string;
  phase: ActionPhase;
  options: ActionOptions;
}

/** An action that is a method of the step class (`@Main()` on a method). */
export interface MethodActionDefinition extends ActionDefinitionBase {
  kind: 'method';
  methodName: string;
}

/** An action class run by the step (`@Main(ActionClass, args)` on the step class). */
export interface ClassActionDefinition extends ActionDefinitionBase {
  kind: 'class';
  actionClass: Type;
  /** The action class's arguments: a value, or a function of the StepContext. */
  args?: unknown;
}

/** One action of a step, resolved from the decorators' metadata: `kind` says which of the two it is. */
export type ActionDefinition = MethodActionDefinition | ClassActionDefinition;

/** One validated step of a {@link FlowDefinition}: its class, options, dependencies and actions. */
export interface StepDefinition {
  name: string;
  stepClass: Type;
  dependsOn: readonly string[];
  options: Readonly<StepOptions>;
  pre: readonly ActionDefinition[];
  main: ActionDefinition;
  post: readonly ActionDefinition[];
  /** Methods marked @Rollback(), run when the attempt fails. */
  rollback: readonly string[];
  /**
   * True when an attempt needs nothing from tsyringe but `new StepClass()`: method actions only, a
   * constructor without parameters, no `dispose()`. Known from the class alone, so the scanner
   * answers it once, at bootstrap, rather than the first attempt of each step (the engine still
   * checks whether the application registered the class itself).
   */
  plain: boolean;
}

/** A validated flow: what the engine runs. */
export interface FlowDefinition {
  name: string;
  flowClass: Type;
  description?: string;
  steps: ReadonlyMap<string, StepDefinition>;
  graph: FlowGraph;
  /** When the scheduler runs the flow (`@Flow({ schedule })`, defaults filled); undefined for a flow run by hand only. */
  schedule?: FlowSchedule;
}
