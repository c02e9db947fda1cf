import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeNotebooks, listNotebooks, resolveNotebook } from "../../../scripts/notebooks/notebook_files";

describe("finding notebooks", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "chapters-"));
    for (const name of ["10-later.ipynb", "00-intro.ipynb", "02-quorums.ipynb", "notes.md"]) {
      fs.writeFileSync(path.join(dir, name), "{}");
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("lists notebooks sorted", () => {
    expect(listNotebooks(dir).map((f) => path.basename(f))).toEqual(["00-intro.ipynb", "02-quorums.ipynb", "10-later.ipynb"]);
    expect(listNotebooks(path.join(dir, "missing"))).toEqual([]);
  });

  it("resolves chapter numbers with or without leading zeros, names and prefixes", () => {
    expect(resolveNotebook("2", dir)).toBe(path.join(dir, "02-quorums.ipynb"));
    expect(resolveNotebook("02", dir)).toBe(path.join(dir, "02-quorums.ipynb"));
    expect(resolveNotebook("0", dir)).toBe(path.join(dir, "00-intro.ipynb"));
    expect(resolveNotebook("02-quorums", dir)).toBe(path.join(dir, "02-quorums.ipynb"));
    expect(resolveNotebook("10-l", dir)).toBe(path.join(dir, "10-later.ipynb"));
    expect(resolveNotebook("3", dir)).toBeNull();
    expect(resolveNotebook("notes.md", dir)).toBeNull();
  });

  it("describes the available chapters", () => {
    expect(describeNotebooks(dir)).toContain(" 2  02-quorums.ipynb");
  });
});
