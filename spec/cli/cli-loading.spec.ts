import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const LIBRARY = path.resolve(__dirname, '../../src/index.js');

describe('cli loading', () => {
  it('the library does not load commander or listr2 until app.cli() is called', () => {
    const loaded = execFileSync(process.execPath, ['-e', `require(${JSON.stringify(LIBRARY)}); console.log(Object.keys(require.cache).join('\\n'))`]).toString();
    expect(loaded).to.include(`${path.sep}typeorm${path.sep}`);
    expect(loaded).not.to.match(/node_modules\/(commander|listr2)\//);
  });
});
