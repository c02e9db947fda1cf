/**
 * `npm start`: opens the course in Jupyter Notebook, on chapters/, with the project's own
 * TypeScript kernel (the kernel spec in .jupyter-local/, found through JUPYTER_PATH).
 * Extra arguments go to Jupyter: `npm start -- --no-browser --port 8899`.
 *
 * Without Jupyter it says how to install it and points to the terminal reader.
 */
import { spawn, spawnSync } from "node:child_process";
import { findExecutable, jupyterPathWith } from "./notebooks/find_executable";
import { KERNEL_DISPLAY_NAME, tslabIsInstalled, writeKernelSpec } from "./notebooks/kernel_spec";
import { CHAPTERS_DIR, LOCAL_JUPYTER_DIR, displayPath } from "./notebooks/project_paths";

const INSTALL_HELP = `Jupyter Notebook is not installed (neither \`jupyter notebook\` nor \`jupyter-notebook\` is on PATH).
Install it with one of:
  Debian/Ubuntu:  sudo apt-get install jupyter-notebook
  pip:            pip install notebook
  conda:          conda install -c conda-forge notebook
  Homebrew:       brew install jupyterlab
then run \`npm start\` again.

Or read the chapters in the terminal, no Jupyter needed:
  npm run chapter -- 0`;

/** The command that starts Jupyter Notebook: `jupyter notebook` or `jupyter-notebook`. */
export function findNotebookCommand(): { command: string; args: string[] } | null {
  const jupyter = findExecutable("jupyter");
  if (jupyter) {
    const probe = spawnSync(jupyter, ["notebook", "--version"], { stdio: "ignore", timeout: 60_000 });
    if (probe.status === 0) return { command: jupyter, args: ["notebook"] };
  }
  const notebook = findExecutable("jupyter-notebook");
  return notebook ? { command: notebook, args: [] } : null;
}

function main(extraArgs: string[]): void {
  const notebook = findNotebookCommand();
  if (!notebook) {
    console.error(INSTALL_HELP);
    process.exit(1);
  }
  if (!tslabIsInstalled()) {
    console.error("The TypeScript kernel (tslab) is missing: run `npm install` first.");
    process.exit(1);
  }
  const spec = writeKernelSpec();
  console.log(`Kernel "${KERNEL_DISPLAY_NAME}" ready (${displayPath(spec.specDir)}). Starting Jupyter on ${displayPath(CHAPTERS_DIR)}/ …`);

  const child = spawn(notebook.command, [...notebook.args, `--notebook-dir=${CHAPTERS_DIR}`, ...extraArgs], {
    cwd: CHAPTERS_DIR,
    stdio: "inherit",
    env: { ...process.env, JUPYTER_PATH: jupyterPathWith(LOCAL_JUPYTER_DIR) },
  });
  // Ctrl+C reaches Jupyter directly (same terminal process group) and Jupyter decides when to
  // stop: it asks for confirmation, and a second Ctrl+C stops it at once. Passing SIGINT on as
  // well would count as that second Ctrl+C, and a third would interrupt Jupyter's shutdown of
  // its kernels, printing a Python traceback and leaving the kernel running. So SIGINT is only
  // kept from ending this process early; signals sent to this process alone are passed on.
  process.on("SIGINT", () => undefined);
  for (const signal of ["SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("error", (error) => {
    console.error(`Could not start Jupyter: ${error.message}`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (require.main === module) {
  main(process.argv.slice(2));
}
