import * as fs from "node:fs";
import * as path from "node:path";
import { isNotImplemented } from "./not_implemented";

/**
 * Loads a learner's exercise file (exercises/<name>.ts) from a notebook. The notebooks run
 * compiled library code, but exercises are TypeScript the learner edits between cells, so this
 * compiles them on the fly with ts-node and forgets the previous copy each time: re-running the
 * cell picks up the latest save.
 */
export function loadExercise<T = Record<string, unknown>>(name: string, options: { folder?: "exercises" | "solutions" } = {}): T {
  if (!/^[a-z0-9_]+$/.test(name)) {
    throw new Error(`exercise names are lower_snake_case, like "failover_coordinator"; got ${JSON.stringify(name)}.`);
  }
  const root = repositoryRoot();
  // The notebook check points COURSE_EXERCISES_DIR at freshly generated starter files, so the
  // committed outputs do not depend on how far a learner has got in exercises/.
  const override = options.folder === undefined ? process.env.COURSE_EXERCISES_DIR : undefined;
  const folder = override ? path.resolve(root, override) : path.join(root, options.folder ?? "exercises");
  const file = path.join(folder, `${name}.ts`);
  if (!fs.existsSync(file)) {
    const known = fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3)) : [];
    throw new Error(`no exercise "${name}" in ${folder}. Exercises: ${known.join(", ") || "(none)"}.`);
  }
  registerTypeScript(root);
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(folder + path.sep)) delete require.cache[key];
  }
  return require(file) as T;
}

/**
 * Runs `attempt` and, when it reaches an unfinished exercise function, prints where to work
 * instead of failing the notebook. Any other error is rethrown.
 */
export function whenImplemented<R>(attempt: () => R, log: (line: string) => void = console.log): R | undefined {
  try {
    return attempt();
  } catch (err) {
    if (isNotImplemented(err) || (err instanceof Error && isNotImplemented(err.cause))) {
      const e = (isNotImplemented(err) ? err : (err as Error).cause) as Error;
      log(`${e.message}: write it in its file under exercises/ (it still throws notImplemented), save, and run this cell again.`);
      return undefined;
    }
    throw err;
  }
}

let registered = false;

function registerTypeScript(root: string): void {
  if (registered) return;
  // Resolved from the course's own node_modules so the kernel's working directory does not matter.
  const tsNode = require(require.resolve("ts-node", { paths: [root] })) as typeof import("ts-node");
  tsNode.register({
    transpileOnly: true,
    // Not `scope`: ts-node treats every path starting with "." as outside the scope, which
    // would skip the generated starters in .grade/. tslab compiles notebook cells itself.
    ignore: ["(?:^|/)node_modules/", "(?:^|/)chapters/"],
    compilerOptions: { module: "commonjs", moduleResolution: "node" },
    skipProject: true,
  });
  registered = true;
}

function repositoryRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && fs.existsSync(path.join(dir, "exercises"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the course folder (with package.json and exercises/) above ${__dirname}.`);
    dir = parent;
  }
}
