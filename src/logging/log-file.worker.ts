import { parentPort, workerData } from 'node:worker_threads';
import { BoundedFileWriter } from './bounded-file-writer';
import { forEachLine, type LogFileMessage, type LogFileWorkerData } from './background-file-writer';

/**
 * The thread that owns the log files: it creates, appends to and closes them, so the engine's
 * thread never waits on the file system (creating a file costs 0.05 to 1 ms on a busy disk, and a
 * 10,000-step flow creates 10,000 of them). Reports progress through shared memory, which is what
 * lets the engine's thread wait for it synchronously in flush(), and by a message when a batch asks
 * for one, which is what resolves written() without blocking that thread.
 */
const { shared, maxOpen } = workerData as LogFileWorkerData;
const writer = new BoundedFileWriter(maxOpen);

parentPort!.on('message', (message: LogFileMessage) => {
  for (const [directory, rotation] of message.rotations ?? []) writer.rotateUnder(directory, rotation);
  forEachLine(message, (file, text, attempt) => writer.write(file, text, attempt));
  writer.flush();
  if (message.close) writer.closeAll();
  else if (message.closeUnder) writer.closeUnder(message.closeUnder);
  Atomics.store(shared, 1, writer.maxOpenSoFar);
  Atomics.store(shared, 0, message.seq);
  Atomics.notify(shared, 0);
  if (message.ack) parentPort!.postMessage(message.seq);
});
