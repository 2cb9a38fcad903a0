/**
 * The longest flow or step name. A name becomes a file name (`<step>.log`, at most 255 bytes on
 * common filesystems, with room left for a rotation suffix) and a `varchar(255)` column value.
 */
export const MAX_NAME_LENGTH = 200;
