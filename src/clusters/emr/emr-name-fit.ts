import { EMR_LIMITS, NOT_XML_TEXT } from './emr-options.schema';

const ELLIPSIS = '...';

const NOT_XML_TEXT_ALL = new RegExp(NOT_XML_TEXT.source, 'gu');

/**
 * Makes a text the engine builds (a step name from a command, a tag value from a flow name) one EMR
 * accepts: characters its pattern refuses (control characters, lone surrogates) become U+FFFD, and
 * a text over EMR's limit is shortened, ending in '...'. It cuts between code points, never inside
 * a surrogate pair: half an emoji is a lone surrogate, which AWS refuses.
 */
export function fitEmrName(raw: string, max: number = EMR_LIMITS.nameLength): string {
  const text = raw.replace(NOT_XML_TEXT_ALL, '\uFFFD');
  if (text.length <= max) return text;
  let end = max - ELLIPSIS.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // the last kept unit would open a pair the cut closes
  return text.slice(0, end) + ELLIPSIS;
}
