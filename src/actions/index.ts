export type { Action, ActionArgs } from '../engine/action';
export { ShellCommandAction, type ShellCommandArgs } from './shell-command.action';
export { SleepAction } from './sleep.action';
export { IdentityAction } from './identity.action';
export { FailureAction } from './failure.action';
export { MkdirAction, RmdirAction, RmAction, CpAction, MvAction, CopyToLocalAction, CopyFromLocalAction } from './filesystem.actions';
export { PigAction } from './pig.action';
export { SparkAction } from './spark.action';
export { HadoopAction } from './hadoop.action';
