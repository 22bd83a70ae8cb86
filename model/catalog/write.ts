// `npm run catalog`: regenerates model/catalog/taggable.json from the installed provider SDKs.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildCatalog, serializeCatalog } from "./generate";

const root = join(__dirname, "..", "..", "..");
const catalog = buildCatalog(root);
writeFileSync(join(root, "model", "catalog", "taggable.json"), serializeCatalog(catalog));
console.log(`wrote ${Object.keys(catalog.types).length} taggable types from ${Object.entries(catalog.sdks).map(([k, v]) => `${k}@${v}`).join(", ")}`);
