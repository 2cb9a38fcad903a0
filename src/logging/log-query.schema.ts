import { z } from 'zod';
import { parseOptions } from '../config/parse-options';
import { wholeNumber } from '../config/whole-number.schema';

const logQuerySchema = z
  .strictObject({
    step: z.string({ error: 'must be a step name' }).optional(),
    timeperiod: z.string({ error: 'must be a timeperiod YYYYMMDDHH' }).optional(),
    runId: z.string({ error: 'must be a run id (FlowRunResult.runId)' }).optional(),
    attempt: wholeNumber(1, 1_000_000).optional(),
  })
  .refine((query) => query.attempt === undefined || query.step !== undefined, {
    error: "attempt needs a step: attempts are a step's (the flow's own log has none); add step",
    path: ['attempt'],
  });

/** The query of `app.logs(flow, query)`, checked: every problem in one ConfigurationError. */
export function parseLogQuery(query: unknown): z.infer<typeof logQuerySchema> {
  return parseOptions(logQuerySchema, query ?? {}, 'app.logs() query');
}
