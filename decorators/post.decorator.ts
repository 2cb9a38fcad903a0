import { createActionDecorator } from './action-decorator.factory';

/** An action run after the main one succeeded; several are run in the order they are declared. */
export const Post = createActionDecorator('post');
