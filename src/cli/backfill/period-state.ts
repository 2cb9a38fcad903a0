import type { FlowState } from '../../domain/states';
import { FlowRunNotFoundError } from '../../errors';
import type { CliApplication } from '../cli-application.port';

/** The period's flow state now, or null when it never ran. */
export async function periodState(app: CliApplication, flow: string, timeperiod: string): Promise<FlowState | null> {
  try {
    return (await app.status(flow, timeperiod)).flow.state;
  } catch (err) {
    if (err instanceof FlowRunNotFoundError) return null;
    throw err;
  }
}
