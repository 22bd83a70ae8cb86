// allot verify trusts nothing in the report directory: every file is listed, only relative paths inside
// it count, devices and FIFOs are never read, and a signed manifest catches a consistent edit.
import { spawnSync } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { allot, root, sharedData, tempDir } from "../helpers";

const config = join(root, "allot.yaml");
const focusSample = join(sharedData, "focus-1.0-sample", "focus_sample.csv");
const report = (out: string, ...more: string[]) => allot(["report", "--config", config, "--input", focusSample, "--month", "2024-09", "--out", out, "--quiet", ...more]);

function expectOneLine(run: { code: number | null; stderr: string }, code: number, message: RegExp) {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

function keys() {
  const dir = tempDir();
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  writeFileSync(join(dir, "sign.pem"), privateKey.export({ type: "pkcs8", format: "pem" }));
  writeFileSync(join(dir, "sign.pub.pem"), publicKey.export({ type: "spki", format: "pem" }));
  return { privateKey: join(dir, "sign.pem"), publicKey: join(dir, "sign.pub.pem") };
}

function freshReport(...more: string[]): string {
  const out = join(tempDir(), "2024-09");
  const run = report(out, "--format", "md,json,csv", ...more);
  expect(run.code, run.stderr).toBe(0);
  return out;
}

describe("allot verify: the manifest lists every file of the report directory", () => {
  let out: string;
  beforeAll(() => {
    out = freshReport();
  });

  it("passes untouched, and says what it cannot detect without a key", () => {
    const ok = allot(["verify", out]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/detects accidental changes, not tampering/);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { outputs: { path: string }[] };
    expect(manifest.outputs.map((o) => o.path)).toContain("tables/teams.csv");
  });

  it("fails on a file added beside the report, or in a subfolder", () => {
    writeFileSync(join(out, "notes.txt"), "added later\n");
    mkdirSync(join(out, "tables", "more"));
    writeFileSync(join(out, "tables", "more", "x.csv"), "a\n");
    expectOneLine(allot(["verify", out]), 1, /2 problems: notes\.txt \(added\), tables\/more\/x\.csv \(added\)/);
    rmSync(join(out, "notes.txt"));
    rmSync(join(out, "tables", "more"), { recursive: true });
  });

  it("fails on a file removed", () => {
    const md = readFileSync(join(out, "report.md"));
    rmSync(join(out, "report.md"));
    expectOneLine(allot(["verify", out]), 1, /report\.md \(missing\)/);
    writeFileSync(join(out, "report.md"), md);
  });

  it("never reads a FIFO or a device: a FIFO in place of an output, an input entry naming /dev/zero", () => {
    const dir = freshReport();
    rmSync(join(dir, "report.md"));
    expect(spawnSync("mkfifo", [join(dir, "report.md")]).status).toBe(0);
    expectOneLine(allot(["verify", dir]), 1, /report\.md \(not a regular file\)/);
    const other = freshReport();
    const manifest = JSON.parse(readFileSync(join(other, "manifest.json"), "utf8")) as { inputs: { path: string; sha256: string }[] };
    manifest.inputs.push({ path: `${"../".repeat(20)}dev/zero`, sha256: "0".repeat(64) });
    writeFileSync(join(other, "manifest.json"), JSON.stringify(manifest));
    expectOneLine(allot(["verify", other]), 1, /dev\/zero \(not a regular file\)/);
  }, 20_000);

  it("refuses absolute paths, and outputs outside the directory", () => {
    const dir = freshReport();
    const text = readFileSync(join(dir, "manifest.json"), "utf8");
    const manifest = JSON.parse(text) as { inputs: { path: string }[]; outputs: { path: string }[] };
    manifest.inputs[0]!.path = focusSample;
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
    expectOneLine(allot(["verify", dir]), 2, /manifest\.json: input path ".*focus_sample\.csv" is absolute; allot writes only relative paths/);
    const outside = JSON.parse(text) as typeof manifest;
    outside.outputs[0]!.path = "../elsewhere/report.md";
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(outside));
    expectOneLine(allot(["verify", dir]), 2, /output path "\.\.\/elsewhere\/report\.md" is outside the report directory/);
  }, 20_000);

  it("a malformed manifest is one line and exit 2", () => {
    const dir = tempDir();
    for (const content of ["{}", "null", "[]", "{not json", '{"allot":"0.1.0","month":"2024-09","generatedAt":null,"config":{"path":"a","sha256":"x"},"inputs":[],"outputs":5,"previous":null}']) {
      writeFileSync(join(dir, "manifest.json"), content);
      expectOneLine(allot(["verify", dir]), 2, /manifest\.json: .*(not valid JSON|it is not a manifest allot wrote)/);
    }
  });
});

describe("allot report --sign-key and verify --public-key", () => {
  it("a consistent edit (file changed, new hash written into the manifest) passes without a key and fails with one", () => {
    const { privateKey, publicKey } = keys();
    const out = freshReport("--sign-key", privateKey);
    expect(existsSync(join(out, "manifest.sig"))).toBe(true);
    const ok = allot(["verify", out, "--public-key", publicKey]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/signature is valid/);

    writeFileSync(join(out, "report.md"), "# All fine, nothing to see\n");
    const manifestFile = join(out, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { outputs: { path: string; sha256: string }[] };
    manifest.outputs.find((o) => o.path === "report.md")!.sha256 = createHash("sha256").update("# All fine, nothing to see\n").digest("hex");
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    expect(allot(["verify", out]).code).toBe(0);
    expectOneLine(allot(["verify", out, "--public-key", publicKey]), 1, /manifest\.sig \(does not match manifest\.json/);
  }, 20_000);

  it("an unsigned report fails when a public key is given; a bad key is one line", () => {
    const { publicKey } = keys();
    const out = freshReport();
    expectOneLine(allot(["verify", out, "--public-key", publicKey]), 1, /manifest\.sig \(missing/);
    const notKey = join(tempDir(), "key.pem");
    writeFileSync(notKey, "hello\n");
    expectOneLine(report(tempDir(), "--sign-key", notKey), 2, /--sign-key .*key\.pem: not a PEM private key .*openssl genpkey -algorithm ed25519/);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" });
    writeFileSync(notKey, rsa);
    expectOneLine(report(tempDir(), "--sign-key", notKey), 2, /is a rsa key, allot signs with Ed25519/);
  }, 20_000);
});

describe("allot report --out", () => {
  it("clears its own previous outputs, so nothing is left over from an earlier run", () => {
    const out = freshReport();
    expect(existsSync(join(out, "tables", "teams.csv"))).toBe(true);
    const run = report(out, "--format", "md");
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(out, "tables"))).toBe(false);
    expect(existsSync(join(out, "report.json"))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { outputs: { path: string }[] };
    expect(manifest.outputs.map((o) => o.path)).toEqual(["report.md"]);
  }, 20_000);

  it("refuses a directory holding files allot did not write, unless --force, which lists them", () => {
    const out = tempDir();
    writeFileSync(join(out, "precious.txt"), "mine\n");
    expectOneLine(report(out, "--format", "md"), 2, /--out .*: holds files allot did not write \(precious\.txt\); choose an empty or new directory, or pass --force/);
    expect(report(out, "--format", "md", "--force").code).toBe(0);
    expect(readFileSync(join(out, "precious.txt"), "utf8")).toBe("mine\n");
    expect(allot(["verify", out]).code).toBe(0);
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toContain('"precious.txt"');
  }, 20_000);

  it("refuses the filesystem root and a file", () => {
    expectOneLine(report("/"), 2, /--out \/: is the filesystem root/);
    const file = join(tempDir(), "report.md");
    writeFileSync(file, "");
    expectOneLine(report(file), 2, /--out .*report\.md: is a file, not a directory/);
  });
});
