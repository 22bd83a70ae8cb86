// Errors a user can fix. The CLI prints their message as is (no stack trace) and exits 2; anything else
// that escapes is a bug in allot and is reported as one.

/** Bad input: a file, flag or key the user can correct. The message names the thing and the fix. */
export class UserError extends Error {
  override readonly name: string = "UserError";
  readonly exitCode: number = 2;
}

export interface ConfigProblem {
  /** Where in the file, 1-based, when known. */
  line?: number;
  column?: number;
  /** The key path, e.g. org.units[1].teams[0].budget. */
  path: string;
  message: string;
}

/** allot.yaml failed to parse or validate; carries every problem found, each with its key path. */
export class ConfigError extends UserError {
  override readonly name = "ConfigError";
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(problems.map((p) => `${file}${p.line ? `:${p.line}:${p.column ?? 1}` : ""}: ${p.path}: ${p.message}`).join("\n"));
  }
}
