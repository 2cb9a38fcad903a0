/**
 * The log lines of one batch for the log-file thread, as UTF-8 bytes in one buffer: line i is
 * `bytes[ends[i - 1] .. ends[i])` (from 0 for the first) and belongs to `files[fileOf[i]]`.
 * The three buffers are transferred to the thread, not copied, and the thread writes the bytes as
 * they are: no string is built, joined, sliced or encoded twice on the way.
 */
export interface LineBatch {
  files: string[];
  fileOf: Int32Array;
  ends: Int32Array;
  bytes: Uint8Array;
}

/** The smallest buffers a batch starts with; they double as needed. */
const MIN_BYTES = 16 * 1024;
const MIN_LINES = 256;

/**
 * Collects lines into a LineBatch, encoding each one as it comes (one `Buffer.write` a line:
 * joining the lines' strings at send time, then re-encoding them on the thread, cost about a
 * microsecond a line). A builder is used once: `take()` hands its buffers over.
 */
export class LineBatchBuilder {
  /** The size of the last batch taken: the next one starts there, and rarely needs to grow. */
  private static bytesHint = MIN_BYTES;
  private static linesHint = MIN_LINES;

  private readonly fileIds = new Map<string, number>();
  private readonly files: string[] = [];
  private fileOf = new Int32Array(LineBatchBuilder.linesHint);
  private ends = new Int32Array(LineBatchBuilder.linesHint);
  private bytes = Buffer.allocUnsafeSlow(LineBatchBuilder.bytesHint);
  private count = 0;
  private used = 0;

  get empty(): boolean {
    return this.count === 0;
  }

  add(file: string, text: string): void {
    let id = this.fileIds.get(file);
    if (id === undefined) {
      id = this.files.length;
      this.fileIds.set(file, id);
      this.files.push(file);
    }
    if (this.count === this.ends.length) this.growLines();
    // A UTF-16 code unit is at most 3 UTF-8 bytes (a surrogate pair, 2 units, is 4 bytes).
    if (this.used + 3 * text.length > this.bytes.length) this.growBytes(3 * text.length);
    this.used += this.bytes.write(text, this.used);
    this.fileOf[this.count] = id;
    this.ends[this.count] = this.used;
    this.count++;
  }

  /** The batch, and the buffers to transfer with it. The builder must not be used afterwards. */
  take(): { batch: LineBatch; transfer: ArrayBuffer[] } {
    LineBatchBuilder.bytesHint = Math.max(MIN_BYTES, this.used);
    LineBatchBuilder.linesHint = Math.max(MIN_LINES, this.count);
    const fileOf = this.fileOf.subarray(0, this.count);
    const ends = this.ends.subarray(0, this.count);
    const bytes = new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.used);
    return { batch: { files: this.files, fileOf, ends, bytes }, transfer: [fileOf.buffer, ends.buffer, bytes.buffer] as ArrayBuffer[] };
  }

  private growLines(): void {
    const fileOf = new Int32Array(this.fileOf.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    fileOf.set(this.fileOf);
    ends.set(this.ends);
    this.fileOf = fileOf;
    this.ends = ends;
  }

  private growBytes(atLeast: number): void {
    const bytes = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.used + atLeast));
    this.bytes.copy(bytes, 0, 0, this.used);
    this.bytes = bytes;
  }
}

/**
 * Calls `write` for each run of consecutive lines of a batch that go to the same file, in order,
 * with their bytes (a view into the batch, not a copy).
 */
export function forEachRun(batch: LineBatch, write: (file: string, bytes: Uint8Array) => void): void {
  const { files, fileOf, ends, bytes } = batch;
  let start = 0;
  for (let i = 0; i < fileOf.length; ) {
    const file = fileOf[i];
    let j = i + 1;
    while (j < fileOf.length && fileOf[j] === file) j++;
    const end = ends[j - 1];
    write(files[file], bytes.subarray(start, end));
    start = end;
    i = j;
  }
}
