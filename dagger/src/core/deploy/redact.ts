/** A variable of a Docker env file. */
export interface EnvFileEntry {
  name: string;
  value: string;
}

/** Values shorter than this (flags such as 1 or true) are not redacted: they would blank out every number in a message. */
export const MIN_REDACTED_LENGTH = 4;

/** The variables of a Docker env file (`KEY=value` lines, `#` comments), values taken literally as Docker does. */
export function parseEnvFile(text: string): EnvFileEntry[] {
  return text.split(/\r?\n/).flatMap((line) => {
    const trimmed = line.trimStart();
    const equals = trimmed.indexOf("=");
    if (trimmed.startsWith("#") || equals <= 0) return [];
    return [
      { name: trimmed.slice(0, equals), value: trimmed.slice(equals + 1) },
    ];
  });
}

/**
 * Replaces every value of `entries` in a text by `[redacted NAME]`: for what an app or its migrations printed, which
 * the engine cannot mask (it masks a secret's whole value, here the whole env file, not each line of it).
 */
export function redactor(entries: EnvFileEntry[]): (text: string) => string {
  const secrets = entries
    .flatMap(({ name, value }) =>
      [...new Set([value, value.trim()])].map((text) => ({ name, text })),
    )
    .filter(({ text }) => text.length >= MIN_REDACTED_LENGTH)
    // Longest first: a value that contains another is replaced whole.
    .sort((a, b) => b.text.length - a.text.length);
  return (text) =>
    secrets.reduce(
      (redacted, { name, text: secret }) =>
        redacted.split(secret).join(`[redacted ${name}]`),
      text,
    );
}
