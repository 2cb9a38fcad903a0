export { startViewer } from './viewer-server';
export type { ServeOptions, ViewerServer } from './serve-options';
