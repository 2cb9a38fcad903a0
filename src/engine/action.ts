import type { StepContext } from './step-context';

/**
 * A reusable action class, attached to a step with `@Pre(MyAction, args)`, `@Main(...)` or
 * `@Post(...)`. A fresh instance is resolved for every step execution, so fields are safe to use.
 */
export interface Action<A = unknown> {
  /** Does the action's work; a throw (or a rejection) fails the step's attempt. */
  run(ctx: StepContext, args: A): unknown | Promise<unknown>;
  /** Undoes `run` when a later action of the same step fails (run in reverse order). */
  rollback?(ctx: StepContext, args: A): unknown | Promise<unknown>;
  /** Always runs once the step's attempt ends, success or failure. */
  cleanup?(ctx: StepContext, args: A): unknown | Promise<unknown>;
}

/** Action arguments are a value or a function of the execution: `@Pre(MkdirAction, (ctx) => ({ uri: `/tmp/${ctx.timeperiod}` }))`. */
export type ActionArgs<A> = A | ((ctx: StepContext) => A);

export function resolveArgs<A>(args: ActionArgs<A> | undefined, ctx: StepContext): A {
  return (typeof args === 'function' ? (args as (c: StepContext) => A)(ctx) : args) as A;
}
