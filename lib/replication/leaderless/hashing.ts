/**
 * FNV-1a, 32 bits: a small, fast, deterministic string hash. It places keys and nodes on the
 * ring and fills the Merkle trees. Not cryptographic, and it does not need to be: the simulator
 * only needs the same input to give the same number on every machine.
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Hashes several parts as one string, with a separator that cannot appear in a number. */
export function hashParts(parts: readonly (string | number)[]): number {
  return fnv1a(parts.join("\u0000"));
}
