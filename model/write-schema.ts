// `npm run schema`: regenerates model/allot.schema.json from the zod schema.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { costModelJsonSchema } from "./json-schema";

const target = join(__dirname, "..", "..", "model", "allot.schema.json");
writeFileSync(target, costModelJsonSchema());
console.log(`wrote ${target}`);
