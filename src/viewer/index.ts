export { startViewer } from './viewer-server';
export type { ServeLimits, ServeOptions, ViewerServer } from './serve-options';
