import { ConfigurationError, FlowRunNotFoundError, StepBlockedError } from '../../errors';

/**
 * An error's message in the command line's own words: the engine's messages name API methods
 * (`runFrom`), a CLI user needs the command to type (`run-from`), with their flow and timeperiod.
 */
export function cliErrorMessage(err: unknown, programName: string): string {
  if (err instanceof FlowRunNotFoundError) {
    const why =
      err.operation === 'recover'
        ? 'there is nothing to recover'
        : err.operation === 'logs'
          ? 'no line of its log carries it (or its lines were rotated out: logs.keepFiles)'
          : 'it has no state yet';
    return `flow '${err.flowName}' has never run for timeperiod ${err.timeperiod}: ${why}; start it with '${programName} run ${err.flowName} -t ${err.timeperiod}'`;
  }
  if (err instanceof StepBlockedError) {
    const { flowName: flow, timeperiod: tp } = err;
    const deps = err.blockedBy.map((n) => `'${n}'`).join(', ');
    const step = err.fromStep ? `run-from '${err.fromStep}' would run step '${err.stepName}'` : `step '${err.stepName}'`;
    const head = `${step} of flow '${flow}' for timeperiod ${tp}${err.fromStep ? ', which' : ''} is blocked: its dependencies ${deps} are not processed`;
    const first = err.blockedBy[0];
    return err.neverRan
      ? `${head}; the flow has never run for this timeperiod: start it with '${programName} run ${flow} -t ${tp}', or run each dependency with '${programName} run-one ${flow} ${first} -t ${tp}'`
      : `${head}; run them first: '${programName} run-from ${flow} ${first} -t ${tp}' (or run-one each of them), or '${programName} recover ${flow} -t ${tp}'`;
  }
  // Its message is a list under a heading and ends by pointing at the README's options table: on the
  // command line's one line the list ran into that pointer ("... swap them Fix them and start again").
  if (err instanceof ConfigurationError) {
    const problems = err.problems.map((p) => `${p.path || '(the options object)'}: ${p.message}`).join('; ');
    return `${err.subject} ${err.problems.length === 1 ? 'have a problem' : `have ${err.problems.length} problems`}: ${problems}`;
  }
  return err instanceof Error ? err.message : String(err);
}
