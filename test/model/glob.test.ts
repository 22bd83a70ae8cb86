import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatcher } from "../../model";

describe("globMatcher", () => {
  it("matches * as any run of characters and nothing else as special", () => {
    expect(globMatcher("aws:iam/*")("aws:iam/role:Role")).toBe(true);
    expect(globMatcher("aws:iam/*")("aws:ec2/instance:Instance")).toBe(false);
    expect(globMatcher("*:Bucket")("gcp:storage/bucket:Bucket")).toBe(true);
    expect(globMatcher("a.c")("abc")).toBe(false);
    expect(globMatcher("[ab]")("a")).toBe(false);
    expect(globMatcher("[ab]")("[ab]")).toBe(true);
    expect(globMatcher("*")("")).toBe(true);
    expect(globMatcher("")("x")).toBe(false);
    expect(globMatcher("i-*", { ignoreCase: true })("I-0ABC")).toBe(true);
    expect(globMatcher("i-*")("I-0ABC")).toBe(false);
  });

  it("agrees with the regular expression it stands for", () => {
    const alphabet = fc.constantFrom("a", "b", "*");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 8 }), fc.array(fc.constantFrom("a", "b"), { maxLength: 12 }), (g, t) => {
        const glob = g.join("");
        const text = t.join("");
        const re = new RegExp(`^${glob.split("*").join(".*")}$`);
        expect(globMatcher(glob)(text)).toBe(re.test(text));
      }),
    );
  });

  it("cannot be made to backtrack: many stars over a long text that almost matches", () => {
    const matches = globMatcher(`${"*a".repeat(30)}*b`);
    const started = process.hrtime.bigint();
    expect(matches("a".repeat(20_000))).toBe(false);
    // Bounded work, not a timing target: a backtracking engine takes hours here.
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(5);
  });
});
