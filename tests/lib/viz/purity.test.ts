import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("lib/viz sources", () => {
  const files = sources(join(__dirname, "../../../lib/viz"));

  it("exist", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it("never import tslab (it throws outside a kernel) and use no clock, randomness or timers", () => {
    for (const file of files) {
      // Doc comments show notebook usage (`import * as tslab from "tslab"`): check code only.
      const code = readFileSync(file, "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/\/\/.*$/gm, "");
      expect(code, file).not.toMatch(/from\s+["']tslab["']|require\(["']tslab["']\)/);
      expect(code, file).not.toMatch(/Math\.random|Date\.now|new Date\(|setTimeout|setInterval|performance\.now/);
    }
  });
});
