export { FlowGraph, type FlowGraphNode } from './flow-graph';
export { findCycle } from './find-cycle';
