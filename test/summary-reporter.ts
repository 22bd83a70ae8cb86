// Ends a test run with the plain line CI reads: "N passed, N failed" (", N skipped" when any were), after
// one line per test skipped with a reason, so a skipped check is never silent.
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    const notes: string[] = [];
    for (const module of testModules) {
      if (module.state() === "failed" && [...module.children.allTests()].length === 0) failed++;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else {
          skipped++;
          const note = (test.result() as { note?: string }).note;
          if (note) notes.push(`skipped: ${test.fullName}: ${note}`);
        }
      }
    }
    if (notes.length > 0) process.stdout.write(`\n${notes.join("\n")}`);
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}\n`);
  }
}
