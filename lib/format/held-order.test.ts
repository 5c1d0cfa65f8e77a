import { describe, expect, it } from "vitest";
import { holdOrder } from "@/lib/format/held-order";

describe("holdOrder", () => {
  it("keeps the order the reader saw when a refresh would reorder it, and says so", () => {
    expect(holdOrder(["a", "b", "c"], ["c", "a", "b"])).toEqual({ order: ["a", "b", "c"], moved: true });
  });

  it("adds new rows at the end and drops rows that went away", () => {
    expect(holdOrder(["a", "b", "c"], ["d", "c", "a"])).toEqual({ order: ["a", "c", "d"], moved: true });
  });

  it("has nothing to offer when the fresh order is the held one", () => {
    expect(holdOrder(["a", "b"], ["a", "b"])).toEqual({ order: ["a", "b"], moved: false });
    expect(holdOrder(["a", "b"], ["a", "b", "c"])).toEqual({ order: ["a", "b", "c"], moved: false });
    expect(holdOrder(null, ["b", "a"])).toEqual({ order: ["b", "a"], moved: false });
  });
});
