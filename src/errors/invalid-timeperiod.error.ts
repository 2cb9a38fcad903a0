import { SynergyFlowError } from './synergy-flow.error';

export class InvalidTimeperiodError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_INVALID_TIMEPERIOD';

  constructor(
    readonly value: unknown,
    reason: string,
  ) {
    super(
      `invalid timeperiod ${JSON.stringify(value)}: ${reason}. Expected ten digits YYYYMMDDHH, coarser periods zeroing ` +
        `the trailing fields: 2026112607 (hourly), 2026112600 (daily), 2026110000 (monthly), 2026000000 (yearly)`,
    );
  }
}
