import { describe, expect, it } from "vitest";
import { findChromium } from "./chromium";

const missing = "/nonexistent/chromium";

describe("finding Chromium for the browser test", () => {
  it("uses an installed Chromium as it is", () => {
    expect(findChromium({ executable: process.execPath, isRoot: false, hasAptGet: false, install: () => "not called" })).toEqual({ path: process.execPath, installed: false });
  });

  it("says why it is missing when it cannot install, and installs only as root with apt-get", () => {
    let installs = 0;
    const install = () => {
      installs++;
      return "E: Unable to locate package chromium";
    };
    expect(findChromium({ executable: missing, isRoot: false, hasAptGet: true, install })).toEqual({ path: undefined, reason: expect.stringContaining("cannot install it (not root)") });
    expect(findChromium({ executable: missing, isRoot: true, hasAptGet: false, install })).toEqual({ path: undefined, reason: expect.stringContaining("(no apt-get)") });
    expect(installs).toBe(0);
    expect(findChromium({ executable: missing, isRoot: true, hasAptGet: true, install })).toEqual({ path: undefined, reason: `${missing} is missing and apt-get install chromium failed: E: Unable to locate package chromium` });
    expect(installs).toBe(1);
  });
});
