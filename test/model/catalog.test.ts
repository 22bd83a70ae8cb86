import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCatalog, CATALOG_SDKS, installedVersion, serializeCatalog, tagPropertyOf } from "../../model/catalog/generate";
import { taggableType } from "../../model";
import { root } from "../helpers";

const committed = readFileSync(join(root, "model", "catalog", "taggable.json"), "utf8");

describe("the taggable-type catalog", () => {
  it("is current for the installed SDKs (npm run catalog regenerates it)", () => {
    const sdks = (JSON.parse(committed) as { sdks: Record<string, string> }).sdks;
    for (const sdk of CATALOG_SDKS) expect(sdks[sdk], `${sdk}: run npm run catalog`).toBe(installedVersion(root, sdk));
    expect(committed).toBe(serializeCatalog(buildCatalog(root)));
  });

  it("knows each cloud's tag property and shape", () => {
    expect(taggableType("aws:ec2/instance:Instance")).toEqual({ property: "tags", shape: "map" });
    expect(taggableType("aws:autoscaling/group:Group")).toEqual({ property: "tags", shape: "list" });
    expect(taggableType("gcp:storage/bucket:Bucket")).toEqual({ property: "labels", shape: "map" });
    expect(taggableType("gcp:container/cluster:Cluster")).toEqual({ property: "resourceLabels", shape: "map" });
    expect(taggableType("azure-native:storage:StorageAccount")).toEqual({ property: "tags", shape: "map" });
  });

  it("leaves out untaggable types, components and pulumi: types", () => {
    for (const type of ["aws:s3/bucketPolicy:BucketPolicy", "gcp:projects/iAMMember:IAMMember", "azure-native:authorization:RoleAssignment", "pulumi:providers:aws", "allot:index:TeamBudgets", "toString", "__proto__"]) {
      expect(taggableType(type), type).toBeUndefined();
    }
  });

  it("reads only string maps and key/value lists from declarations", () => {
    const decl = (body: string) => `export interface XArgs {\n${body}\n}\n`;
    expect(tagPropertyOf(decl("    tags?: pulumi.Input<{\n        [key: string]: pulumi.Input<string>;\n    }>;"), "X")).toEqual({ property: "tags", shape: "map" });
    expect(tagPropertyOf(decl("    tags?: pulumi.Input<pulumi.Input<string>[] | undefined>;"), "X")).toBeUndefined();
    expect(tagPropertyOf(decl("    tags?: pulumi.Input<{\n        [key: string]: pulumi.Input<pulumi.Input<string>[]>;\n    }>;"), "X")).toBeUndefined();
    expect(tagPropertyOf(decl("    tags?: pulumi.Input<pulumi.Input<inputs.autoscaling.GroupTag>[] | undefined>;"), "X")).toEqual({ property: "tags", shape: "list" });
  });
});
