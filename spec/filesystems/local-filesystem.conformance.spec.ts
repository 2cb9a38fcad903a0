import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalFilesystem } from '../../src';
import { describeFilesystemConformance, type ConformanceBackend } from './filesystem.conformance';

describe('filesystems/LocalFilesystem conformance', () => {
  let base: string;
  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-local-conformance-'));
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  let cases = 0;
  describeFilesystemConformance('LocalFilesystem', (): ConformanceBackend => ({
    filesystem: new LocalFilesystem(),
    newRoot: async () => path.join(base, `case-${++cases}`),
    missingRoot: path.join(os.tmpdir(), `synergy-missing-${process.pid}-${Date.now()}`, 'key'),
    async seed(root, files) {
      for (const [relative, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
        fs.writeFileSync(path.join(root, relative), content);
      }
    },
    async files(root) {
      if (!fs.existsSync(root)) return [];
      return (fs.readdirSync(root, { recursive: true }) as string[])
        .filter((relative) => fs.statSync(path.join(root, relative)).isFile())
        .map((relative) => relative.split(path.sep).join('/'))
        .sort();
    },
    async read(root, relative) {
      const file = path.join(root, relative);
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    },
    duringNextMove: (write) => write(),
  }));
});
