/**
 * What a scheduler's messages tell a person to do by hand. A scheduler started by the command line
 * knows how its user runs it (`node dist/main.js`, the CLI's program name) and names the command as
 * they type it; one made through the API (`app.scheduler()`) does not, and names the application's
 * method and the command line's command without a program, rather than a `synergy-flow` bin its
 * user may not run.
 */
export interface HandCommands {
  /** `node dist/main.js recover daily_etl -t 2026120100` */
  recover(flow: string, timeperiod: string): string;
  /** `node dist/main.js backfill daily_etl --from 2026120100 --to 2026120500 --rerun-failed` */
  backfill(flow: string, from: string, to: string, rerunFailed?: boolean): string;
}

/** @param programName how the user runs the command line (`node dist/main.js`); undefined: not known (the API). */
export function handCommands(programName: string | undefined): HandCommands {
  const typed = (command: string) => (programName ? `${programName} ${command}` : `'${command}' on the application's command line`);
  return {
    recover: (flow, timeperiod) => {
      const command = typed(`recover ${flow} -t ${timeperiod}`);
      return programName ? command : `app.recover('${flow}', { timeperiod: '${timeperiod}' }), or ${command}`;
    },
    backfill: (flow, from, to, rerunFailed = false) =>
      typed(`backfill ${flow} --from ${from} --to ${to}${rerunFailed ? ' --rerun-failed' : ''}`),
  };
}
