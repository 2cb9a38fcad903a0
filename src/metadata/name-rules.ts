/**
 * The longest flow or step name. A name becomes a file name (`<step>.log`, at most 255 bytes on
 * common filesystems, with room left for a rotation suffix) and a `varchar(255)` column value.
 */
export const MAX_NAME_LENGTH = 200;

/** What a flow or step name may hold: it names a log file or directory on any filesystem, and a URL segment. */
export const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** NAME_PATTERN in words, for the error that refuses a name. */
export const NAME_RULE = "ASCII letters, digits, '_', '.', '-', not starting with '.' or '-'";

/**
 * A valid name close to a refused one, for the error to offer: accents dropped (`étape` ->
 * `etape`), any other character `_`, a leading `.` or `-` removed. Undefined when that leaves no
 * letter or digit (a name all in another script): the user had better choose one.
 */
export function nameLike(name: string): string | undefined {
  const ascii = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9_.-]/g, '_')
    .replace(/^[.-]+/, '');
  return NAME_PATTERN.test(ascii) && /[A-Za-z0-9]/.test(ascii) && ascii.length <= MAX_NAME_LENGTH ? ascii : undefined;
}
