// The costliest untagged resources (compliance's topUntagged), on a bill written by hand: ranked by cost,
// ties by id; each shown with the least of its accounts and services when it has several (a resource id can
// recur across subscriptions, as in the real Azure EA sample), so the same bill always gives the same
// figures; costs summed exactly; compliant resources never listed.
import { describe, expect, it } from "vitest";
import { allot, tempDir } from "../helpers";
import { sum, writeFocus, writeOrg, type BillRow } from "../money/bills";

interface Untagged {
  resourceId: string;
  account: string | null;
  service: string | null;
  cost: string;
  problems: string[];
}

function bill() {
  const dir = tempDir();
  const rows: BillRow[] = [
    // "shared" is untagged under two accounts and two services, over several rows.
    { cost: "3.10", resource: "shared", account: "222222222222", service: "Amazon S3" },
    { cost: "2.00", resource: "shared", account: "111111111111", service: "Amazon EC2" },
    { cost: "0.000000000000000001", resource: "shared", account: "333333333333", service: "AWS Lambda" },
    // Two resources of the same cost: ranked by id.
    { cost: "4.00", resource: "tie-b" },
    { cost: "4.00", resource: "tie-a" },
    { cost: "9.00", resource: "tagged", tags: { team: "a" } },
    { cost: "1.00", resource: "wrong-team", tags: { team: "nobody" } },
  ];
  return { rows, bill: writeFocus(dir, "bill.csv", rows), config: writeOrg(dir, "") };
}

const untagged = (config: string, input: string) => {
  const run = allot(["compliance", "--config", config, "--input", input, "--json", "--quiet"]);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { topUntagged: Untagged[] }).topUntagged;
};

describe("the costliest untagged resources", () => {
  it("ranked by exact cost, ties by id, each with the least of its accounts and services, the same every run", () => {
    const { rows, bill: input, config } = bill();
    const first = untagged(config, input);
    expect(first.map((u) => [u.resourceId, u.cost])).toEqual([
      ["shared", sum(rows.filter((r) => r.resource === "shared").map((r) => r.cost)).toFixed()],
      ["tie-a", "4"],
      ["tie-b", "4"],
      ["wrong-team", "1"],
    ]);
    expect(first[0]).toMatchObject({ account: "111111111111", service: "AWS Lambda", problems: ["missing team"] });
    expect(first[3]!.problems).toEqual(['team="nobody" not allowed']);
    for (let i = 0; i < 4; i++) expect(untagged(config, input)).toEqual(first);
  });

  it("must fail: tagged, the same resource is not listed", () => {
    const { rows, config } = bill();
    const dir = tempDir();
    const tagged = writeFocus(dir, "tagged.csv", rows.map((r) => (r.resource === "shared" ? { ...r, tags: { team: "b" } } : r)));
    expect(untagged(config, tagged).map((u) => u.resourceId)).toEqual(["tie-a", "tie-b", "wrong-team"]);
  });
});
