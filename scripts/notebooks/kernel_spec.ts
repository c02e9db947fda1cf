/**
 * Writes the project-local Jupyter kernel spec for the course:
 * `.jupyter-local/kernels/replication-course/kernel.json`.
 *
 * Jupyter finds it when `JUPYTER_PATH` includes `.jupyter-local` (`npm start` and the
 * `--jupyter` notebook check set that). Nothing global is touched: no `tslab install`, no
 * `~/.local/share/jupyter`. The spec starts this project's own tslab, so every learner runs
 * the kernel version pinned in package-lock.json.
 *
 * Run by `npm install` (the `postinstall` script) and again by `npm start`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LOCAL_JUPYTER_DIR, TSLAB_BIN, TSLAB_PACKAGE_DIR, displayPath } from "./project_paths";

/** The kernel name notebooks declare in `metadata.kernelspec.name`. */
export const KERNEL_NAME = "replication-course";
/** The kernel's name in Jupyter's menus. */
export const KERNEL_DISPLAY_NAME = "TypeScript (replication course)";
/** The language Jupyter shows for the kernel. */
export const KERNEL_LANGUAGE = "typescript";

/** The `metadata.kernelspec` every course notebook carries. */
export const NOTEBOOK_KERNELSPEC = {
  display_name: KERNEL_DISPLAY_NAME,
  language: KERNEL_LANGUAGE,
  name: KERNEL_NAME,
} as const;

/** Logo file names Jupyter looks for in a kernel spec folder. */
const LOGO_FILES = ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"];

/** The content of a Jupyter kernel.json. */
export interface KernelSpecJson {
  argv: string[];
  display_name: string;
  language: string;
  metadata: Record<string, unknown>;
}

/** Where writeKernelSpec wrote the spec, and what it wrote. */
export interface WrittenKernelSpec {
  /** The folder holding kernel.json. */
  specDir: string;
  /** The folder to put on `JUPYTER_PATH`. */
  jupyterPath: string;
  spec: KernelSpecJson;
  logosCopied: string[];
}

/** The kernel.json content: Jupyter substitutes `{connection_file}` when it starts the kernel. */
export function kernelSpecJson(tslabBin: string = TSLAB_BIN): KernelSpecJson {
  return {
    // `--config-path` and `{connection_file}` must be separate arguments (tslab issue #36).
    argv: [tslabBin, "kernel", "--config-path", "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: KERNEL_LANGUAGE,
    metadata: { debugger: false },
  };
}

/** Writes (or rewrites) the kernel spec under `jupyterDir` and returns what it wrote. */
export function writeKernelSpec(jupyterDir: string = LOCAL_JUPYTER_DIR): WrittenKernelSpec {
  const specDir = path.join(jupyterDir, "kernels", KERNEL_NAME);
  fs.mkdirSync(specDir, { recursive: true });
  const spec = kernelSpecJson();
  fs.writeFileSync(path.join(specDir, "kernel.json"), JSON.stringify(spec, null, 1) + "\n");

  // tslab 1.0.22 ships no logos; copy them if a later version does.
  const logosCopied: string[] = [];
  for (const name of LOGO_FILES) {
    for (const source of [path.join(TSLAB_PACKAGE_DIR, name), path.join(TSLAB_PACKAGE_DIR, "python", name)]) {
      if (fs.existsSync(source)) {
        fs.copyFileSync(source, path.join(specDir, name));
        logosCopied.push(name);
        break;
      }
    }
  }
  return { specDir, jupyterPath: jupyterDir, spec, logosCopied };
}

/** True when tslab is installed where the kernel spec expects it. */
export function tslabIsInstalled(): boolean {
  return fs.existsSync(TSLAB_BIN);
}

function main(): void {
  if (!tslabIsInstalled()) {
    console.error(
      `tslab is missing (${displayPath(TSLAB_BIN)}). Run \`npm install\` first; the kernel spec points at it.`,
    );
    process.exit(1);
  }
  const written = writeKernelSpec();
  console.log(
    `Jupyter kernel "${KERNEL_DISPLAY_NAME}" written to ${displayPath(written.specDir)}` +
      ` (used by \`npm start\`; nothing installed globally).`,
  );
}

if (require.main === module) {
  main();
}
