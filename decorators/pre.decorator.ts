import { createActionDecorator } from './action-decorator.factory';

/** An action run before the main one; several are run in the order they are declared. */
export const Pre = createActionDecorator('pre');
