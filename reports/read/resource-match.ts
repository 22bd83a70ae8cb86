// Which of the rules' resourceId globs a charge's ResourceId fits, tested by DuckDB as it reads the bill, so
// allocation matches resource ids without a charge group per resource (reports/allocate/match.ts reads it).
import { globLikePattern } from "../../model";
import { sqlString } from "./duckdb";

/**
 * A charge's ResourceMatch in SQL: one character per glob of `globs`, '1' where its ResourceId matches it
 * ('*' any run of characters, letters in either case; no id, or an empty one, matches nothing), else '0';
 * NULL when there are no globs. Both sides are lowered by DuckDB, so case is folded one way.
 */
export function resourceMatchSql(globs: readonly string[]): string {
  if (globs.length === 0) return "CAST(NULL AS VARCHAR)";
  const tests = globs.map((g) => `CASE WHEN ResourceId <> '' AND lower(ResourceId) LIKE lower(${sqlString(globLikePattern(g))}) ESCAPE '\\' THEN '1' ELSE '0' END`);
  return tests.length === 1 ? tests[0]! : `concat(${tests.join(", ")})`;
}
