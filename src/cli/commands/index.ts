import type { CliCommand } from '../cli-command';
import { backfillCommand } from './backfill.command';
import { graphCommand } from './graph.command';
import { historyCommand } from './history.command';
import { listCommand } from './list.command';
import { logsCommand } from './logs.command';
import { recoverCommand } from './recover.command';
import { runFromCommand } from './run-from.command';
import { runOneCommand } from './run-one.command';
import { runCommand } from './run.command';
import { serveCommand } from './serve.command';
import { schedulerCommand } from './scheduler.command';
import { pauseCommand } from './pause.command';
import { resumeCommand } from './resume.command';
import { planCommand } from './plan.command';
import { statusCommand } from './status.command';

/** Every command, in the order `--help` lists them. One line per command. */
export const COMMANDS: readonly CliCommand[] = [
  listCommand,
  runCommand,
  recoverCommand,
  runOneCommand,
  runFromCommand,
  backfillCommand,
  statusCommand,
  graphCommand,
  logsCommand,
  historyCommand,
  serveCommand,
  schedulerCommand,
  pauseCommand,
  resumeCommand,
  planCommand,
];
