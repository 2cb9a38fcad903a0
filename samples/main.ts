import { bootstrap, runCommandLine } from '../src';
import { DailyRollupFlow, EightStepFlow, EtlDiamondFlow, FailThenRecoverFlow, HelloWorldFlow, HourlyIngestFlow } from './index';

/**
 * The samples' entry file, and their command line: `node dist/samples/main.js run etl_diamond
 * -t 2026112600`, or `synergy-flow --app dist/samples/main.js <command>` (the bin imports `app`).
 * State goes to `synergy-flow.db` and logs to `logs/`, in the current directory.
 * bootstrap() at import opens no database: `--help` and `list` stay fast, and `list` or `status` in
 * a folder where nothing ran creates no `synergy-flow.db` there.
 */
export const app = bootstrap({
  flows: [HelloWorldFlow, EtlDiamondFlow, EightStepFlow, FailThenRecoverFlow, HourlyIngestFlow, DailyRollupFlow],
});

if (require.main === module) void runCommandLine(app);
