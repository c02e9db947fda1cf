/**
 * Greedy, deterministic placement of small text labels: each label tries a list of candidate
 * positions in order and takes the first whose box overlaps no label placed before it. A label
 * with no free position is skipped (the caller keeps the information in a tooltip), which keeps
 * busy pictures readable instead of piling text on text.
 */

/** An axis-aligned box in SVG coordinates. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Remembers the boxes taken so far. */
export class LabelPlacer {
  private readonly taken: Box[] = [];

  /** Marks an area as taken without a label (e.g. a lane header). */
  reserve(box: Box): void {
    this.taken.push(box);
  }

  /** The first candidate that is free, now marked taken; undefined when all overlap. */
  place(candidates: readonly Box[]): Box | undefined {
    for (const c of candidates) {
      if (!this.taken.some((t) => overlaps(t, c))) {
        this.taken.push(c);
        return c;
      }
    }
    return undefined;
  }
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
