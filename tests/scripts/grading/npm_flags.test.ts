import { describe, expect, it } from "vitest";
import { npmFlag } from "../../../scripts/grading/npm_flags";

describe("npmFlag", () => {
  it("reads an option npm kept for itself back from its environment", () => {
    expect(npmFlag("all", {})).toEqual({ kind: "absent" });
    expect(npmFlag("all", { npm_config_all: "true" })).toEqual({ kind: "flag" });
    expect(npmFlag("seed", { npm_config_seed: "42" })).toEqual({ kind: "value", value: "42" });
    expect(npmFlag("cell-timeout", { npm_config_cell_timeout: "300" })).toEqual({ kind: "value", value: "300" });
  });

  it("treats npm's false and empty values as absent", () => {
    expect(npmFlag("watch", { npm_config_watch: "false" })).toEqual({ kind: "absent" });
    expect(npmFlag("watch", { npm_config_watch: "" })).toEqual({ kind: "absent" });
  });
});
