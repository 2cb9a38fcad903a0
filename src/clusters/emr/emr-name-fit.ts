import { EMR_LIMITS } from './emr-options.schema';

const ELLIPSIS = '...';

/**
 * Shortens a text the engine builds (a step name, a tag value) to EMR's limit, ending in '...'.
 * It cuts between code points, never inside a surrogate pair: half an emoji is a lone surrogate,
 * which the SDK sends as U+FFFD or AWS refuses outright.
 */
export function fitEmrName(text: string, max: number = EMR_LIMITS.nameLength): string {
  if (text.length <= max) return text;
  let end = max - ELLIPSIS.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // the last kept unit would open a pair the cut closes
  return text.slice(0, end) + ELLIPSIS;
}
