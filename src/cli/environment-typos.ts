import { closestName } from '../errors/did-you-mean';

/**
 * The environment variables synergy-flow reads: the entry of the bin (bin.ts), the database and
 * the log directory (persistence/environment-defaults.ts), the viewer's token (serve.command.ts).
 */
export const ENVIRONMENT_VARIABLES = ['SYNERGY_FLOW_APP', 'SYNERGY_FLOW_DATABASE', 'SYNERGY_FLOW_LOGS', 'SYNERGY_FLOW_VIEWER_TOKEN'];

/** Names that look meant for synergy-flow: SYNERGY_FLOW_, SYNERGYFLOW_, SYNERGY_FLOWS_, in any case. */
const OURS = /^SYNERGY_?FLOWS?_/i;

/**
 * A warning for each variable of the environment that looks meant for synergy-flow but is none it
 * reads (`SYNERGY_FLOW_DATABSE`): ignored, it would leave a cron job on the default
 * `synergy-flow.db` of its working folder without a word. Only the name is quoted: the value may be
 * a password.
 */
export function environmentTypos(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.keys(env)
    .filter((name) => OURS.test(name) && !ENVIRONMENT_VARIABLES.includes(name))
    .sort()
    .map((name) => {
      const guess = closestName(name, ENVIRONMENT_VARIABLES);
      const hint = guess ? `did you mean ${guess}?` : `synergy-flow reads ${ENVIRONMENT_VARIABLES.join(', ')}`;
      return `warning: the environment variable ${name} is not one synergy-flow reads, so it is ignored: ${hint}`;
    });
}
