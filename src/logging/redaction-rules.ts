/** What a secret, or the piece of one a cut left, is replaced with. */
export const REDACTED = '***';

/**
 * From this length on a secret is redacted wherever it appears, inside a word too. A shorter
 * one is redacted where it stands alone: not touching a letter or a digit on either side. So a
 * 2-character password `pw` is caught in `password=pw`, `user:pw@host`, `"pw"` or at the end of
 * a message, while `npw` or `pwd` in some other text are left alone: redacting every `pw` in
 * every word would mangle each line and protect nothing (such a fragment inside a word does not
 * tell anyone the secret).
 */
export const SUBSTRING_SECRET_LENGTH = 6;
