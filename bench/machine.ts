import * as os from 'node:os';

/** `2 x AMD EPYC, 23.4 GiB, linux 6.1 x64, node v20.19.0`: what the figures were measured on. */
export function machineDescription(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus.length} x ${model}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB, ${os.type().toLowerCase()} ${os.release()} ${os.arch()}, node ${process.version}`;
}
