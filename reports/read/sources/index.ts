// Every billing source allot reads, tried in this order against a file's columns.
import { azureCostDetails } from "./azure";
import { awsCur2, awsCurLegacy } from "./aws-cur";
import { focus } from "./focus";
import { gcpBilling } from "./gcp";
import type { BillingSource } from "./source";

export const SOURCES: readonly BillingSource[] = [focus, awsCur2, awsCurLegacy, gcpBilling, azureCostDetails];
export { CHARGE_COLUMNS, CHARGE_COLUMN_TYPES, DROPPED_TAGS_KEY, FILE_COLUMN } from "./source";
export type { BillingSource, Columns, FileFormat, KeptKeys, TagEntries, TagsFormat } from "./source";
