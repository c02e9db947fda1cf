/**
 * Linearizability checking (Wing & Gong / Lowe search with per-key partitioning and a cache of
 * visited states, as in Porcupine). See README.md in this folder.
 *
 * - `checkLinearizability(model, ops, options)` → verdict, per-partition results, a valid order
 *   or where the search got stuck; `explainLinearizability(result)` in words
 * - models: `registerModel` (read/write/cas), `kvModel` (get/put/append), or your own `Model`
 * - history files: `parseHistoryFile` (auto-detects kv EDN lines and Jepsen etcd logs)
 * - pictures: `historyTimelineText`, `historyTimelineSvg` (one lane per client)
 */
export { HistoryInputError, HistoryParseError } from "./errors";
export type { CheckedOp, Model, StepResult } from "./model";
export { registerModel, type CasInput, type RegisterState } from "./models/register";
export { kvModel, type KvModelInput, type KvModelState } from "./models/kv";
export {
  checkLinearizability,
  type CheckOptions,
  type CheckResult,
  type PartitionFailure,
  type PartitionResult,
  type ResultOp,
  type Verdict,
} from "./check";
export { explainLinearizability, describeResultOp, type ExplainOptions } from "./explain";
export {
  detectHistoryFormat,
  parseHistoryFile,
  parseJepsenEtcdLog,
  parseKvHistory,
  type HistoryFormat,
  type ParsedHistory,
} from "./formats/history_files";
export { historyTimelineSvg, historyTimelineText, type HistoryTimelineOptions } from "./timeline";
