// JSON Schema for editors, generated from the zod schema so the two never drift. The committed copy
// (allot.schema.json) is what `# yaml-language-server: $schema=...` points at; a test keeps it current.
import { z } from "zod";
import { CostModelSchema } from "./schema";

export function costModelJsonSchema(): string {
  const schema = z.toJSONSchema(CostModelSchema, { io: "input", target: "draft-7" });
  return `${JSON.stringify({ ...schema, title: "allot cost model (allot.yaml)" }, null, 2)}\n`;
}
