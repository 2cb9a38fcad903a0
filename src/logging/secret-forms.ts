/**
 * The forms a secret travels in, each of which the redactor must catch: a program that fails
 * quotes its request as its own JSON or URL encoder wrote it, not as JavaScript would. Computed
 * once per secret, when the redactor is built.
 *
 * - as is;
 * - JSON string escapes, once and twice (JSON inside JSON), as these encoders write them:
 *   JavaScript (`JSON.stringify`), Python's `json.dumps` (every non-ASCII character as `\u00e4`),
 *   Go's `encoding/json` (`<`, `>`, `&` as `\u003c`, `\u003e`, `\u0026`), escaped slashes (`\/`,
 *   PHP's `json_encode`, with or without its non-ASCII escapes);
 * - URL encodings: `encodeURIComponent` (upper or lower case escapes, `+` for a space), RFC 3986's
 *   strict form (`!'()*` escaped too: Python's `quote(s, safe='')`), Python's `quote` default that
 *   leaves `/` as is, a URL's user info as the WHATWG URL standard encodes it (`url.password = ...`:
 *   `&`, `+`, `$`, `,` left as is), and a form body (`URLSearchParams`);
 * - base64, padded or not, and base64url; and the secret inside a longer base64 text (the
 *   `user:secret` of an `Authorization: Basic` header, a JSON body encoded whole), where it starts
 *   at any of the three byte offsets of a base64 group: see base64Cores.
 */
export function encodedForms(secret: string): string[] {
  return [secret, ...jsonForms(secret), ...urlForms(secret), ...base64Forms(secret)];
}

/** A JSON encoder's escaping of a string's characters, given JavaScript's (`JSON.stringify`). */
type JsonFlavor = (json: string) => string;

const JSON_FLAVORS: readonly JsonFlavor[] = [
  (json) => json,
  asciiOnly,
  htmlSafe,
  escapedSlashes,
  (json) => escapedSlashes(asciiOnly(json)),
];

function jsonForms(secret: string): string[] {
  return JSON_FLAVORS.flatMap((flavor) => {
    const once = flavor(jsonEscape(secret));
    return [once, flavor(jsonEscape(once))];
  });
}

function jsonEscape(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** Python's `json.dumps` (ensure_ascii): everything outside printable ASCII as `\uXXXX`, lower case, astral characters as a surrogate pair. */
function asciiOnly(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, unicodeEscape);
}

/** Go's `encoding/json`: the characters HTML gives a meaning to, and the JavaScript line separators. */
function htmlSafe(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, unicodeEscape);
}

function escapedSlashes(json: string): string {
  return json.replace(/\//g, '\\/');
}

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function urlForms(secret: string): string[] {
  const component = encodeURIComponent(secret);
  const strict = component.replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return [
    component,
    component.replace(/%20/g, '+'),
    component.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    strict,
    strict.replace(/%2F/g, '/'),
    userInfo(secret),
    new URLSearchParams({ s: secret }).toString().slice('s='.length),
  ];
}

/** The WHATWG URL standard's userinfo encoding, which leaves more characters as they are than `encodeURIComponent`. */
function userInfo(secret: string): string {
  const url = new URL('http://host');
  url.password = secret;
  return url.password;
}

function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = bytes.toString('base64');
  return [base64, base64.replace(/=+$/, ''), bytes.toString('base64url'), ...base64Cores(bytes)];
}

/**
 * The shortest core a secret's base64 must have to be looked for inside a longer base64 text: 8
 * characters carry 6 bytes, the length from which a secret is masked inside a word
 * (SUBSTRING_SECRET_LENGTH). A shorter core would mask innocent base64 and text, and tell little.
 */
const MIN_BASE64_CORE = 8;

/**
 * Base64 encodes 3 bytes as 4 characters, so a secret inside a longer text (`u:` + secret,
 * `abc:` + secret) is encoded differently for each of the 3 offsets at which it may start, and
 * its first and last characters also hold bits of the bytes around it. For each offset: the
 * characters of base64(offset bytes + secret) whose 6 bits all come from the secret, in base64
 * and base64url. What the mask leaves around them is at most 3 characters each side, of which
 * only one holds a few bits of the secret's first or last byte.
 */
function base64Cores(bytes: Buffer): string[] {
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    if (end - first < MIN_BASE64_CORE) continue;
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    cores.push(padded.toString('base64').slice(first, end), padded.toString('base64url').slice(first, end));
  }
  return cores;
}
