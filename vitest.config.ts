/**
 * Vitest configuration for the whole course.
 *
 * Grading suites import the learner's code as `@exercise/<name>`. The alias points at
 * `exercises/` by default; setting `EXERCISE_DIR` grades another folder with the same suites
 * (for example `EXERCISE_DIR=solutions` to prove a suite passes on the reference solutions,
 * or a generated starter folder to prove it fails on unfinished code).
 */
import path = require("node:path");

const repositoryRoot = __dirname;

/** Folder that `@exercise/*` resolves to; a relative EXERCISE_DIR is taken from the repository root. */
const exerciseDirectory = path.resolve(repositoryRoot, process.env.EXERCISE_DIR ?? "exercises");

// The project type-checks as CommonJS and vitest/config is ESM-only, so defineConfig is loaded
// with a dynamic import (a static one would compile to require()); vitest awaits the function.
export = async () => {
  const { defineConfig } = await import("vitest/config");
  return defineConfig({
    resolve: {
      alias: {
        "@exercise": exerciseDirectory,
      },
    },
    test: {
      include: ["tests/**/*.test.ts", "grading/**/*.test.ts"],
      // Simulations over many seeds can take seconds on a 2-core machine; a hung protocol is
      // stopped by the simulator's own run limits long before this.
      testTimeout: 30_000,
      // Child processes rather than worker threads: suites may start servers or kernels, and
      // a crashing suite must not take the others down with it.
      pool: "forks",
    },
  });
};
