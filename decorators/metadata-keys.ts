/** Every reflect-metadata key the decorators write, in one place (the scanner reads the same ones). */
export const FLOW_METADATA = 'synergy-flow:flow';
export const STEP_METADATA = 'synergy-flow:step';
export const ACTIONS_METADATA = 'synergy-flow:actions';
export const DEPENDS_ON_METADATA = 'synergy-flow:depends-on';
export const ROLLBACK_METADATA = 'synergy-flow:rollback';
