/**
 * Options that reached npm instead of the script. `npm run grade x --watch`, without the `--`
 * that hands options on to the script, gives --watch to npm, which passes it to the script only
 * as the environment variable npm_config_watch ("true" for a bare flag). A learner who forgets
 * the `--` should still get what they asked for, or be told how to ask, never something else.
 */

/** What npm made of `--<name>`: absent, a bare flag, or `--<name>=<value>`. */
export type NpmFlag = { kind: "absent" } | { kind: "flag" } | { kind: "value"; value: string };

/** Reads `--<name>` back from npm's environment (npm_config_<name>, dashes as underscores). */
export function npmFlag(name: string, env: NodeJS.ProcessEnv = process.env): NpmFlag {
  const value = env[`npm_config_${name.replace(/-/g, "_")}`];
  if (value === undefined || value === "" || value === "false") return { kind: "absent" };
  return value === "true" ? { kind: "flag" } : { kind: "value", value };
}
