import { afterEach, describe, expect, it } from "vitest";
import { progressReporter } from "../../reports/cli/progress";

describe("progress reporting", () => {
  const tty = process.stderr.isTTY;
  const ci = process.env.CI;
  afterEach(() => {
    process.stderr.isTTY = tty;
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
  });

  it("shows a bar only for a person at a terminal", () => {
    process.stderr.isTTY = true;
    delete process.env.CI;
    const shown = progressReporter(false);
    expect(shown.onProgress).toBeTypeOf("function");
    shown.stop();
    expect(progressReporter(true).onProgress).toBeUndefined();
    process.env.CI = "true";
    expect(progressReporter(false).onProgress).toBeUndefined();
    delete process.env.CI;
    process.stderr.isTTY = false;
    expect(progressReporter(false).onProgress).toBeUndefined();
  });
});
