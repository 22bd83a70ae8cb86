import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCatalog, CATALOG_SDKS, installedVersion, serializeCatalog, TAG_PROPERTIES, tagPropertyOf, type Catalog } from "../../model/catalog/generate";
import { taggableType } from "../../model";
import { root } from "../helpers";

const committed = readFileSync(join(root, "model", "catalog", "taggable.json"), "utf8");
const gcpTypes = Object.entries((JSON.parse(committed) as Catalog).types).filter(([token]) => token.startsWith("gcp:"));

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
    const aws = TAG_PROPERTIES["@pulumi/aws"];
    expect(tagPropertyOf(decl("    tags?: pulumi.Input<{\n        [key: string]: pulumi.Input<string>;\n    }>;"), "X", aws)).toEqual({ property: "tags", shape: "map" });
    expect(tagPropertyOf(decl("    tags?: pulumi.Input<pulumi.Input<string>[] | undefined>;"), "X", aws)).toBeUndefined();
    expect(tagPropertyOf(decl("    tags?: pulumi.Input<{\n        [key: string]: pulumi.Input<pulumi.Input<string>[]>;\n    }>;"), "X", aws)).toBeUndefined();
    expect(tagPropertyOf(decl("    tags?: pulumi.Input<pulumi.Input<inputs.autoscaling.GroupTag>[] | undefined>;"), "X", aws)).toEqual({ property: "tags", shape: "list" });
  });

  it("takes GCP cost tags as userLabels, then labels, never Resource Manager tags", () => {
    const gcp = TAG_PROPERTIES["@pulumi/gcp"];
    const map = (name: string) => `    ${name}?: pulumi.Input<{\n        [key: string]: pulumi.Input<string>;\n    }>;`;
    const decl = (...names: string[]) => `export interface XArgs {\n${names.map(map).join("\n")}\n}\n`;
    expect(tagPropertyOf(decl("tags", "labels"), "X", gcp)).toEqual({ property: "labels", shape: "map" });
    expect(tagPropertyOf(decl("labels", "userLabels"), "X", gcp)).toEqual({ property: "userLabels", shape: "map" });
    expect(tagPropertyOf(decl("tags"), "X", gcp)).toBeUndefined();
    expect(tagPropertyOf(decl("tags", "labels"), "X", TAG_PROPERTIES["@pulumi/aws"])).toEqual({ property: "tags", shape: "map" });
  });

  it("maps the GCP types that also take Resource Manager tags or channel labels to their user labels", () => {
    expect(taggableType("gcp:pubsub/topic:Topic")).toEqual({ property: "labels", shape: "map" });
    expect(taggableType("gcp:organizations/project:Project")).toEqual({ property: "labels", shape: "map" });
    expect(taggableType("gcp:secretmanager/secret:Secret")).toEqual({ property: "labels", shape: "map" });
    expect(taggableType("gcp:monitoring/notificationChannel:NotificationChannel")).toEqual({ property: "userLabels", shape: "map" });
    expect(taggableType("gcp:monitoring/alertPolicy:AlertPolicy")).toEqual({ property: "userLabels", shape: "map" });
    // Only Resource Manager tags, no labels: a folder cannot carry cost labels at all.
    expect(taggableType("gcp:organizations/folder:Folder")).toBeUndefined();
    expect(taggableType("gcp:firestore/database:Database")).toBeUndefined();
  });

  it("never sends GCP cost tags to a property the SDK documents as tag keys or channel configuration", () => {
    expect(gcpTypes.length).toBeGreaterThan(300);
    for (const [token, taggable] of gcpTypes) {
      expect(["labels", "userLabels", "resourceLabels"], token).toContain(taggable.property);
    }
    // The SDK's own words for each GCP property allot writes to: user labels, never tagKeys/ or channel configuration.
    const doc = (module: string, className: string, property: string) => {
      const text = readFileSync(join(root, "node_modules", "@pulumi", "gcp", module, `${className[0]!.toLowerCase()}${className.slice(1)}.d.ts`), "utf8");
      const args = text.slice(text.indexOf(`export interface ${className}Args {`));
      return args.slice(0, args.indexOf(`    ${property}?:`)).split("/**").pop()!;
    };
    expect(doc("pubsub", "Topic", "tags")).toMatch(/tagKeys\//);
    expect(doc("pubsub", "Topic", "labels")).not.toMatch(/tagKeys\//);
    expect(doc("monitoring", "NotificationChannel", "labels")).toMatch(/[Cc]onfiguration/);
    expect(doc("monitoring", "NotificationChannel", "userLabels")).toMatch(/user/i);
  });
});
