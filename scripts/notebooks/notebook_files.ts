/**
 * Finding the notebooks: all of a folder (sorted, so runs are repeatable) or one chapter by
 * number or file name.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The notebooks directly in `dir` (not in subfolders such as .ipynb_checkpoints), sorted. */
export function listNotebooks(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".ipynb"))
    .sort()
    .map((name) => path.join(dir, name));
}

/** The chapter number a file name starts with (`02-quorums.ipynb` → 2), if any. */
export function chapterNumber(file: string): number | null {
  const match = /^(\d+)/.exec(path.basename(file));
  return match ? Number(match[1]) : null;
}

/**
 * Resolves what a user typed to a notebook: a chapter number (`2`, `02`), a file name in
 * `dir` (with or without `.ipynb`), or a path. Returns null when nothing matches.
 */
export function resolveNotebook(selector: string, dir: string): string | null {
  const notebooks = listNotebooks(dir);
  if (/^\d+$/.test(selector)) {
    const wanted = Number(selector);
    return notebooks.find((file) => chapterNumber(file) === wanted) ?? null;
  }
  const candidates = [
    path.resolve(selector),
    path.join(dir, selector),
    path.join(dir, `${selector}.ipynb`),
  ];
  const found = candidates.find((file) => file.endsWith(".ipynb") && fs.existsSync(file) && fs.statSync(file).isFile());
  if (found) return found;
  // A unique prefix such as "02-quor" is accepted too.
  const byPrefix = notebooks.filter((file) => path.basename(file).startsWith(selector));
  return byPrefix.length === 1 ? byPrefix[0]! : null;
}

/** A one-line-per-chapter listing for "unknown chapter" messages. */
export function describeNotebooks(dir: string): string {
  const notebooks = listNotebooks(dir);
  if (notebooks.length === 0) return `  (no notebooks in ${dir})`;
  return notebooks
    .map((file) => {
      const number = chapterNumber(file);
      return `  ${number === null ? "  " : String(number).padStart(2)}  ${path.basename(file)}`;
    })
    .join("\n");
}
