import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { Flow, Main, Step } from '../../src';

@Step()
class Only {
  @Main() async run(): Promise<void> {}
}

@Flow({ name: 'shared_writer_flow', steps: [Only] })
class SharedWriterFlow {}

/** The files this process holds open now (the log thread's descriptors are the process's). */
function openFiles(): string[] {
  return fs.readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [fs.readlinkSync(path.join('/proc/self/fd', fd))];
    } catch {
      return [];
    }
  });
}

describe('logging/shared-log-writer', () => {
  let a: TestingApp | undefined;
  let b: TestingApp | undefined;
  afterEach(async () => {
    await a?.teardown();
    await b?.teardown();
    a = b = undefined;
  });

  it("two applications in one process: one closes, the other's log files stay open and it still writes its lines", async () => {
    a = await createTestingApp({ flows: [SharedWriterFlow] });
    b = await createTestingApp({ flows: [SharedWriterFlow] });
    const fileOfB = b.app.logs.flowLogFile('shared_writer_flow');
    b.app.logs.flowLogger('shared_writer_flow').info('before a closes');
    a.app.logs.flowLogger('shared_writer_flow').info('a line of a');
    await b.app.logs.written();
    await a.app.logs.written();
    expect(openFiles()).to.include(fileOfB);

    await a.teardown();
    a = undefined;
    expect(openFiles(), "a's close() closed b's log file").to.include(fileOfB);
    b.app.logs.flowLogger('shared_writer_flow').info('after a closed');
    await b.app.logs.written();
    expect(fs.readFileSync(fileOfB, 'utf8')).to.match(/before a closes[\s\S]*after a closed/);

    // The last application to close closes the files.
    await b.teardown();
    b = undefined;
    expect(openFiles()).not.to.include(fileOfB);
  });
});
