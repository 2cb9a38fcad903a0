import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestingApp } from '../../src/testing';
import { DailyRollupFlow, HourlyIngestFlow } from '../../samples';

describe('samples: the scheduled pair', () => {
  it('hourly_ingest runs each hour of a day, then daily_rollup sums them once all 24 are processed', async () => {
    const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-sample-data-'));
    const t = await createTestingApp({ flows: [HourlyIngestFlow, DailyRollupFlow], settings: { dataDirectory } });
    try {
      const scheduler = t.app.scheduler();
      const now = new Date('2026-12-02T00:00:00Z');
      const started: string[] = [];
      for (let tick = 0; tick < 50; tick++) {
        const report = await scheduler.tick(now);
        if (!report.triggered.length) break;
        started.push(...report.triggered.map((r) => `${r.flow} ${r.timeperiod} ${r.result?.state}`));
      }
      expect(started.filter((s) => s.startsWith('hourly_ingest') && s.endsWith('processed'))).to.have.length(24);
      expect(started.at(-1)).to.equal('daily_rollup 2026120100 processed');
      expect(fs.readFileSync(path.join(dataDirectory, 'rollup', '2026120100.txt'), 'utf8')).to.equal('300\n');
      const [next] = await scheduler.plan('daily_rollup', { limit: 1, now });
      expect(next).to.deep.include({ timeperiod: '2026120200', status: 'scheduled' });
    } finally {
      await t.teardown();
      fs.rmSync(dataDirectory, { recursive: true, force: true });
    }
  });
});
