/** Looking up a command on PATH without running a shell. */
import * as fs from "node:fs";
import * as path from "node:path";

/** The absolute path of `name` on PATH, or null. */
export function findExecutable(name: string, envPath: string = process.env["PATH"] ?? ""): string | null {
  const extensions = process.platform === "win32" ? (process.env["PATHEXT"] ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    for (const extension of extensions) {
      const candidate = path.join(dir, name + extension);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** `JUPYTER_PATH` with `dir` first, keeping whatever the user already had. */
export function jupyterPathWith(dir: string, existing: string | undefined = process.env["JUPYTER_PATH"]): string {
  return existing ? [dir, ...existing.split(path.delimiter).filter((entry) => entry && entry !== dir)].join(path.delimiter) : dir;
}
