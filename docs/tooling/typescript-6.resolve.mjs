// The resolve hook registered by typescript-6.hook.mjs: `typescript`, imported from TypeDoc, is `typescript-6`.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'typescript' && context.parentURL?.includes('/node_modules/typedoc/')) {
    return nextResolve('typescript-6', context);
  }
  return nextResolve(specifier, context);
}
