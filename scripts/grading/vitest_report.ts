/**
 * The parts of vitest's JSON report (`--reporter=json`) the grader reads. Only the fields used
 * are declared; the report has more.
 */

/** One test's result. */
export interface VitestAssertionResult {
  /** Titles of the enclosing describe blocks, outermost first. */
  ancestorTitles: string[];
  title: string;
  fullName: string;
  status: "passed" | "failed" | "skipped" | "pending" | "todo" | "disabled";
  /** For a failed test: each error's stack (or message when it has no stack). */
  failureMessages: string[] | null;
}

/** One test file's result. */
export interface VitestFileResult {
  name: string;
  status: "passed" | "failed";
  /** Why the file itself failed (it could not be loaded, or a hook threw); empty otherwise. */
  message: string;
  assertionResults: VitestAssertionResult[];
}

/** The whole JSON report of one vitest run. */
export interface VitestJsonReport {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  success: boolean;
  testResults: VitestFileResult[];
}

/** Thrown when a file does not hold a vitest JSON report. */
export class ReportFormatError extends Error {
  override readonly name = "ReportFormatError";
}

/** Parses the text of a vitest JSON report, checking the fields the grader relies on. */
export function parseVitestReport(text: string): VitestJsonReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ReportFormatError(`the vitest report is not valid JSON: ${(err as Error).message}`);
  }
  const report = value as Partial<VitestJsonReport> | null;
  if (report === null || typeof report !== "object" || !Array.isArray(report.testResults)) {
    throw new ReportFormatError("the vitest report has no testResults array");
  }
  for (const file of report.testResults) {
    if (!Array.isArray(file.assertionResults)) {
      throw new ReportFormatError(`the vitest report entry for ${String(file.name)} has no assertionResults array`);
    }
  }
  return report as VitestJsonReport;
}
