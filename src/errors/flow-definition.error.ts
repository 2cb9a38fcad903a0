import { SynergyFlowError } from './synergy-flow.error';

/** A mistake in how a flow or a step is declared; raised at scan time, before anything runs. */
export class FlowDefinitionError extends SynergyFlowError {}
