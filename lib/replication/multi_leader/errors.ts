/**
 * A multi-leader cluster that cannot be built as configured: an unknown topology, a tree without
 * a root, a star whose hub is not a node, a priority list naming strangers... The message says what
 * to change, because the reader is usually a learner who just edited one cell.
 */
export class MultiLeaderConfigError extends Error {
  override readonly name = "MultiLeaderConfigError";
  constructor(message: string) {
    super(message);
  }
}
