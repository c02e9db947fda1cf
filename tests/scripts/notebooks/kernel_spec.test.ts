import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { KERNEL_NAME, writeKernelSpec } from "../../../scripts/notebooks/kernel_spec";

describe("kernel spec", () => {
  it("writes kernel.json that starts the project's own tslab", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jupyter-local-"));
    try {
      const written = writeKernelSpec(dir);
      expect(written.specDir).toBe(path.join(dir, "kernels", KERNEL_NAME));
      const spec = JSON.parse(fs.readFileSync(path.join(written.specDir, "kernel.json"), "utf8"));
      expect(spec).toMatchObject({ display_name: "TypeScript (replication course)", language: "typescript" });
      expect(spec.argv.slice(1)).toEqual(["kernel", "--config-path", "{connection_file}"]);
      expect(path.isAbsolute(spec.argv[0])).toBe(true);
      expect(spec.argv[0]).toMatch(/node_modules[\\/]\.bin[\\/]tslab/);
      expect(fs.existsSync(spec.argv[0])).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
