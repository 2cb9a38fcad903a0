import { createActionDecorator } from './action-decorator.factory';

/** The step's one main action. */
export const Main = createActionDecorator('main');
