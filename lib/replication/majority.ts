/**
 * Majority arithmetic shared by every protocol that counts acknowledgements or votes
 * (single-leader quorum acks, Raft elections and commits): one definition, so the chapters
 * cannot disagree on what "a majority of 4" is.
 */

/** Smallest number of nodes that is more than half of `clusterSize`. */
export function majorityOf(clusterSize: number): number {
  return Math.floor(clusterSize / 2) + 1;
}
