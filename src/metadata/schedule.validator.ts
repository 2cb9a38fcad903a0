import type { FlowOptions } from '../../decorators/types';
import { closestName } from '../errors/did-you-mean';
import { FlowDefinitionError, InvalidTimeperiodError } from '../errors';
import { findCycle } from '../graph/find-cycle';
import { isTimeperiodOf } from '../timeperiod/timeperiod-time';
import type { FlowDefinition } from './flow-definition';
import type { FlowSchedule, ScheduleOptions } from './schedule-options.schema';
import { certainScheduleOptions, SCHEDULE_DEFAULTS, SCHEDULE_GRANULARITIES } from './schedule-options.quick-check';

/** The examples a message shows for a `start` of each `every`. */
const START_EXAMPLES = { hour: '2026010105', day: '2026010100', month: '2026010000', year: '2026000000' } as const;

/**
 * Checks one flow's `@Flow({ schedule })` and fills its defaults; every problem of the schedule in
 * one FlowDefinitionError. A typo here would not fail anything at run time: the flow would just
 * never run, or run every hour instead of every day.
 */
export function scanSchedule(flow: string, options: FlowOptions['schedule']): FlowSchedule | undefined {
  if (options === undefined) return undefined;
  const fail = (problems: string[]) =>
    new FlowDefinitionError(`flow '${flow}': @Flow({ schedule }) ${problems.join('; ')}`, { kind: 'invalid-schedule', flow });
  const schedule = certainScheduleOptions(options) ? withDefaults(options) : checkedBySchema(options, fail);
  const granularity = SCHEDULE_GRANULARITIES[schedule.every];
  let fits: boolean;
  try {
    fits = isTimeperiodOf(schedule.start, granularity);
  } catch (err) {
    if (!(err instanceof InvalidTimeperiodError)) throw err;
    fits = false;
  }
  if (!fits) {
    throw fail([
      `start '${schedule.start}' is not a ${granularity} timeperiod: with every: '${schedule.every}' write a period like '${START_EXAMPLES[schedule.every]}' (YYYYMMDDHH, UTC)`,
    ]);
  }
  return { ...schedule, granularity };
}

type ParsedSchedule = Omit<FlowSchedule, 'granularity'>;

/** A schedule the quick check vouched for, its defaults filled as the schema would. */
export function withDefaults(options: ScheduleOptions): ParsedSchedule {
  return { ...SCHEDULE_DEFAULTS, after: [], ...stripUndefined(options) } as ParsedSchedule;
}

/** `{ retries: undefined }` means the default, as it does for the schema's `.default()`. */
function stripUndefined(options: ScheduleOptions): Partial<ScheduleOptions> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/** Anything the quick check cannot vouch for: the schema (loading zod only now) says what is wrong. */
function checkedBySchema(options: ScheduleOptions, fail: (problems: string[]) => FlowDefinitionError): ParsedSchedule {
  const { scheduleOptionsSchema } = require('./schedule-options.schema') as typeof import('./schedule-options.schema');
  const result = scheduleOptionsSchema.safeParse(options);
  if (result.success) return result.data;
  const known = Object.keys(scheduleOptionsSchema.shape);
  throw fail(
    result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => {
            const guess = closestName(key, known);
            return `'${key}' is not a schedule option: ${guess ? `did you mean '${guess}'?` : `the options are ${known.join(', ')}`}`;
          })
        : [issue.message],
    ),
  );
}

/**
 * Checks what only every flow together can tell: each `after` names a flow of the application, and
 * the `after` links between flows form no cycle (which would make every flow of it wait for ever).
 */
export function validateScheduleLinks(flows: ReadonlyMap<string, FlowDefinition>): void {
  const names = [...flows.keys()];
  for (const flow of flows.values()) {
    for (const upstream of flow.schedule?.after ?? []) {
      if (flows.has(upstream)) continue;
      const guess = closestName(upstream, names);
      throw new FlowDefinitionError(
        `flow '${flow.name}': schedule.after names '${upstream}', which is not a flow of this application (${names.join(', ')}): ${guess ? `did you mean '${guess}'?` : 'pass that flow to bootstrap({ flows }) or remove it from after'}`,
        { kind: 'unknown-after', flow: flow.name },
      );
    }
  }
  const cycle = findCycle(names, (name) => flows.get(name)?.schedule?.after ?? []);
  if (cycle) {
    throw new FlowDefinitionError(
      `the schedules' after links form a cycle: ${cycle.join(' -> ')}; each of these flows would wait for the other for ever: remove one of them from schedule.after`,
      { kind: 'after-cycle', flow: cycle[0] },
    );
  }
}
