import { bootstrap } from '../../src';
import { EmrSampleConfigError, readEmrSampleConfig } from './emr-sample-config';
import { EmrWordCountFlow, type WordCountSettings } from './word-count.flow';

/**
 * `node dist/samples/emr/main.js [timeperiod]`: runs the word-count flow on EMR. It launches (or
 * reuses) real clusters, which cost money until the run terminates them. See docs/emr.md.
 */
async function main(): Promise<number> {
  const config = readEmrSampleConfig();
  const settings: WordCountSettings = { s3Base: config.s3Base, resultsDirectory: config.resultsDirectory };
  const app = await bootstrap({
    flows: [EmrWordCountFlow],
    database: { type: 'better-sqlite3', database: config.database },
    logDirectory: config.logDirectory,
    cluster: config.cluster,
    settings: { ...settings },
  });
  // Ctrl-C cancels the run: running EMR steps are cancelled and the clusters terminated before exit.
  const cancel = () => app.cancel('emr_word_count', config.timeperiod);
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  try {
    console.log(
      `emr_word_count ${config.timeperiod}: ${config.cluster.count} EMR cluster(s) named '${config.cluster.name}' in ${config.cluster.region}, data under ${config.s3Base}/${config.timeperiod}/`,
    );
    const result = await app.run('emr_word_count', { timeperiod: config.timeperiod });
    console.log(`emr_word_count ${config.timeperiod}: ${result.state}${result.error ? ` (${result.error})` : ''}`);
    for (const [step, state] of Object.entries(result.steps)) console.log(`  ${step.padEnd(18)} ${state}`);
    console.log(`logs: ${app.logs.logDirectory}/emr_word_count/, results: ${config.resultsDirectory}/${config.timeperiod}/`);
    return result.state === 'processed' ? 0 : 1;
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof EmrSampleConfigError ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : err);
    process.exit(2);
  },
);
