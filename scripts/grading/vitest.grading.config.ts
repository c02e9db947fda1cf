/**
 * Vitest configuration for one grading run: the course configuration (which maps `@exercise`
 * to EXERCISE_DIR) narrowed to the single suite named by GRADING_SUITE, a path relative to the
 * repository root. The grader and the suite verifier start vitest with this file; a suite that
 * is not a `*.test.ts` file (the grader's own test fixtures) can be run this way too.
 */
import path = require("node:path");
import courseConfig = require("../../vitest.config");

export = async () => {
  const suite = process.env.GRADING_SUITE;
  if (suite === undefined || suite === "") {
    throw new Error("GRADING_SUITE is not set: start grading runs through scripts/grading/suite_runner.ts");
  }
  const config = await courseConfig();
  const setupFiles = [...toArray(config.test?.setupFiles), path.join(__dirname, "progress_setup.ts")];
  return { ...config, test: { ...config.test, include: [suite], setupFiles } };
};

function toArray(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
