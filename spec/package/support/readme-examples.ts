import * as fs from 'node:fs';

/** One code block of the README that starts with a comment naming its file: `// src/main.ts, CommonJS (...)`. */
export interface ReadmeExample {
  /** The file it is, relative to the project: `src/main.ts`. */
  file: string;
  /** The rest of that first comment: `CommonJS (...)`. */
  label: string;
  text: string;
}

/** The README's file examples, exactly as a reader copies them. */
export function readmeExamples(readmeFile: string): ReadmeExample[] {
  const readme = fs.readFileSync(readmeFile, 'utf8');
  return [...readme.matchAll(/^```(?:ts|jsonc)\n(\/\/ ([\w./-]+)(?:, ([^\n]*))?\n[\s\S]*?)^```$/gm)].map((m) => ({
    file: m[2],
    label: m[3] ?? '',
    text: m[1],
  }));
}

export function readmeExample(examples: readonly ReadmeExample[], file: string, label = ''): ReadmeExample {
  const found = examples.find((e) => e.file === file && e.label.startsWith(label));
  if (!found)
    throw new Error(
      `the README has no \`${file}${label ? `, ${label}` : ''}\` example (its code blocks start with \`// <file>[, <label>]\`)`,
    );
  return found;
}
