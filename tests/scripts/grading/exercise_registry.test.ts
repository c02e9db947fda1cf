import { describe, expect, it } from "vitest";
import { loadRegistry, parseRegistry } from "../../../scripts/grading/exercise_registry";
import { listExerciseNames } from "../../../scripts/exercises/exercise_catalog";

describe("parseRegistry", () => {
  it("reads the entries in order", () => {
    const text = JSON.stringify([
      { name: "b", chapter: "02", title: "B" },
      { name: "a", chapter: "01", title: "A" },
    ]);
    expect(parseRegistry(text, "r.json").map((e) => e.name)).toEqual(["b", "a"]);
  });

  it("names the entry that is missing a field, and duplicates", () => {
    expect(() => parseRegistry(JSON.stringify([{ name: "a", chapter: "01", title: "A" }, { name: "b", chapter: "02" }]), "r.json")).toThrow(
      'r.json: entry 2 needs a non-empty string "title"',
    );
    expect(() => parseRegistry(JSON.stringify([{ name: "a", chapter: "1", title: "A" }, { name: "a", chapter: "1", title: "A" }]), "r.json")).toThrow(
      '"a" is listed twice',
    );
    expect(() => parseRegistry("{}", "r.json")).toThrow("must hold a list");
  });
});

describe("grading/exercises.json", () => {
  it("lists exactly the exercises that have solutions", () => {
    expect(loadRegistry().map((e) => e.name).sort()).toEqual(listExerciseNames());
  });
});
