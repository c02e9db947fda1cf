/**
 * Where things live in this repository, resolved to absolute paths once.
 *
 * Every notebook script works from these, so they behave the same whichever directory
 * `npm run` was started from.
 */
import * as path from "node:path";

/** The repository root (the folder holding package.json). */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** The course notebooks. Jupyter and the kernel run with this as the working directory. */
export const CHAPTERS_DIR = path.join(PROJECT_ROOT, "chapters");

/**
 * The project-local Jupyter data folder. `JUPYTER_PATH` points here so Jupyter finds our
 * kernel spec without anything being installed globally. Gitignored.
 */
export const LOCAL_JUPYTER_DIR = path.join(PROJECT_ROOT, ".jupyter-local");

/** The project's own tslab (the devDependency), so the kernel version is pinned by package-lock. */
export const TSLAB_PACKAGE_DIR = path.join(PROJECT_ROOT, "node_modules", "tslab");

/** tslab's command-line entry point (a Node script), run with the current Node in the client. */
export const TSLAB_CLI_SCRIPT = path.join(TSLAB_PACKAGE_DIR, "bin", "tslab");

/** The npm-installed `tslab` command; Jupyter starts the kernel through this. */
export const TSLAB_BIN = path.join(
  PROJECT_ROOT,
  "node_modules",
  ".bin",
  process.platform === "win32" ? "tslab.cmd" : "tslab",
);

/** Where `npm run chapter` writes SVG/HTML outputs for viewing in a browser. Gitignored. */
export const CHAPTER_OUTPUT_DIR = path.join(PROJECT_ROOT, ".chapter-output");

/** Shows a path relative to the repository root when it is inside it (shorter messages). */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}
