import { bootstrap } from '../src';
import { EightStepFlow, EtlDiamondFlow, FailThenRecoverFlow, HelloWorldFlow } from './index';

/** `npm start`: runs the sample flows on the embedded defaults and prints every step's final state. */
async function main(): Promise<void> {
  const app = await bootstrap({ flows: [HelloWorldFlow, EtlDiamondFlow, EightStepFlow, FailThenRecoverFlow] });
  const timeperiod = process.argv[2] ?? '2026112600';
  try {
    for (const flow of ['hello_world', 'etl_diamond', 'eight_steps']) {
      const result = await app.run(flow, { timeperiod });
      console.log(`${flow} ${timeperiod}: ${result.state}`);
      for (const [step, state] of Object.entries(result.steps)) console.log(`  ${step.padEnd(10)} ${state}`);
    }
    console.log(`logs: ${app.logs.logDirectory}/<flow>/, state: synergy-flow.db`);
  } finally {
    await app.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
  process.exit(2);
});
