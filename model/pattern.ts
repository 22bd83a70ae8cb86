// Tag value patterns from allot.yaml and the policy config run on RE2 (re2js, pure JS): matching takes
// time linear in the value whatever the pattern, so a pattern such as `(a+)+` cannot hang the reports or
// the policy pack. RE2 has no backreferences or lookaround; a pattern that needs them is refused at load.
import { RE2JS } from "re2js";

export interface TagPattern {
  source: string;
  /** True when the whole value matches; `ignoreCase` where the cloud forces lower case. */
  matches(value: string, ignoreCase: boolean): boolean;
}

/** Compiles a pattern, or returns why it cannot run on RE2. */
export function compileTagPattern(source: string): TagPattern | { error: string } {
  try {
    const exact = RE2JS.compile(source);
    const folded = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
    return { source, matches: (value, ignoreCase) => (ignoreCase ? folded : exact).matches(value) };
  } catch (error) {
    return { error: `${(error as Error).message.replace(/^error parsing regexp: /, "")} (patterns run on RE2: no backreferences or lookaround)` };
  }
}
