/** Which exercise functions a learner has not written yet, read from the file itself. */

/** The names passed to `notImplemented("...")` in `source`, skipping comment lines, without repeats. */
export function unwrittenFunctions(source: string): string[] {
  const names: string[] = [];
  for (const line of source.split(/\r?\n/)) {
    const code = line.trim();
    if (code.startsWith("//") || code.startsWith("*") || code.startsWith("/*")) continue;
    for (const match of code.matchAll(/\bnotImplemented\(\s*["'`]([^"'`]+)["'`]/g)) {
      if (!names.includes(match[1]!)) names.push(match[1]!);
    }
  }
  return names;
}
