/*
 * The target rules every Filesystem shares, on '/'-separated URIs (local paths and s3:// alike):
 * a target ending in '/' means into that folder, and nothing is copied into itself.
 */

/** The last segment of a URI, trailing slashes ignored: the name a copy "into" a folder keeps. */
export function baseName(uri: string): string {
  const trimmed = uri.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Where a copy of `source` to `target` lands: inside `target` when it ends in '/', else `target` itself. */
export function resolveTarget(source: string, target: string): string {
  return target.endsWith('/') ? `${target}${baseName(source)}` : target;
}

/** Whether `inner` is `outer` or lies under it; trailing slashes do not matter, `a` does not contain `ab`. */
export function isSameOrInside(outer: string, inner: string): boolean {
  const o = outer.replace(/\/+$/, '');
  const i = inner.replace(/\/+$/, '');
  return i === o || i.startsWith(`${o}/`);
}
