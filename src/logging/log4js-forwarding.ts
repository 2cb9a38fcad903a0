import type * as Log4js from 'log4js';
import type { LogOrigin } from './json-log-line';
import type { LogLevelName } from './log-layout';

/** The log4js category of the engine's lines, for an application's own log4js configuration. */
const LOG4JS_CATEGORY = 'synergy-flow';

/**
 * Context keys of a forwarded line (`%X{...}` in a pattern): its flow, the name its file line shows,
 * its run's timeperiod and id, and its step, action and attempt when it has them.
 */
const LOG4JS_FLOW_KEY = 'flow';
const LOG4JS_NAME_KEY = 'name';
const LOG4JS_TIMEPERIOD_KEY = 'timeperiod';
const LOG4JS_RUN_ID_KEY = 'runId';
const LOG4JS_STEP_KEY = 'step';
const LOG4JS_ACTION_KEY = 'action';
const LOG4JS_ATTEMPT_KEY = 'attempt';

/** One log4js logger for every forwarded line: per-name loggers made log4js cache a configuration per name. */
let logger: Log4js.Logger | undefined;
/** Taken from the module cache once the application has loaded log4js; never loaded here. */
let log4js: typeof Log4js | undefined;
/** The file `require('log4js')` resolves to from here: the copy whose configuration would be the application's. */
let log4jsFile: string | null | undefined;

/**
 * Hands one of the engine's lines to the application's log4js configuration, under the category
 * `synergy-flow`, once the application has configured log4js (or asked it for a logger).
 *
 * The engine never configures log4js itself. log4js has one configuration per process, and
 * `configure()` replaces it whole: when the engine owned it, an application that configured
 * log4js after bootstrap() silently stopped every flow and step log file, one that configured it
 * before lost its own appenders, and `log4js.shutdown()` dropped the engine's lines. The log
 * files are written by the engine (see LogManager) whatever the application does with log4js;
 * this is how its lines also reach the application's appenders, at the levels it chose.
 */
export function forwardToLog4js(level: LogLevelName, origin: LogOrigin, name: string, message: string): void {
  log4js ??= loadedLog4js();
  if (!log4js?.isConfigured()) return;
  logger ??= log4js.getLogger(LOG4JS_CATEGORY);
  // log4js copies the context into the event it builds, synchronously: one shared logger suffices,
  // provided every key is set (or removed) for every line, so none is left over from the last one.
  setOrRemove(logger, LOG4JS_FLOW_KEY, origin.flow);
  setOrRemove(logger, LOG4JS_NAME_KEY, name);
  setOrRemove(logger, LOG4JS_TIMEPERIOD_KEY, origin.run?.timeperiod);
  setOrRemove(logger, LOG4JS_RUN_ID_KEY, origin.run?.runId);
  setOrRemove(logger, LOG4JS_STEP_KEY, origin.step);
  setOrRemove(logger, LOG4JS_ACTION_KEY, origin.action);
  setOrRemove(logger, LOG4JS_ATTEMPT_KEY, origin.run?.attempt);
  logger.log(level, message);
}

function setOrRemove(target: Log4js.Logger, key: string, value: string | number | undefined): void {
  if (value === undefined) target.removeContext(key);
  else target.addContext(key, value);
}

/**
 * log4js if the application has loaded it (it cannot have configured it otherwise), else undefined.
 * Loading it here only to ask isConfigured() cost a CLI run of a flow ~80 modules (log4js,
 * streamroller, fs-extra) and tens of milliseconds, for an answer that is always no.
 */
function loadedLog4js(): typeof Log4js | undefined {
  if (log4jsFile === undefined) {
    try {
      log4jsFile = require.resolve('log4js');
    } catch {
      log4jsFile = null;
    }
  }
  return log4jsFile === null || !require.cache[log4jsFile] ? undefined : (require(log4jsFile) as typeof Log4js);
}
