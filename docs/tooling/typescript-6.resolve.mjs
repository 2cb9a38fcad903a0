// The resolve hook registered by typescript-6.hook.mjs: `typescript`, imported from TypeDoc or
// dependency-cruiser, is `typescript-6`.
const TS_API_USERS = ['/node_modules/typedoc/', '/node_modules/dependency-cruiser/'];

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'typescript' && TS_API_USERS.some((folder) => context.parentURL?.includes(folder))) {
    return nextResolve('typescript-6', context);
  }
  return nextResolve(specifier, context);
}
