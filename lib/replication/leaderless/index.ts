/**
 * The leaderless (Dynamo-style) replication model of chapter 06: quorums on a consistent-hash
 * ring, read repair, Merkle-tree anti-entropy, sloppy quorums with hinted handoff, several
 * datacenters, last-write-wins versions, and version vectors with siblings. Start with
 * `createLeaderlessCluster`.
 */
export * from "./errors";
export * from "./versions";
export * from "./types";
export * from "./config";
export * from "./ring";
export * from "./merkle";
export * from "./replica_node";
export * from "./cluster";
export * from "./checks";
export * from "./quorum_math";
export * from "./siblings";
export * from "./concurrency";
export * from "./scenarios";
