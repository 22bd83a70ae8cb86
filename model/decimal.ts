// The one decimal.js configuration, for the model and the reports alike: split amounts carry 18 decimals on
// sums in the billions, and the default 20 significant digits would round them in every addition (a budget
// status at its threshold, a percentage, a conservation check would then depend on digits nobody wrote).
import Decimal from "decimal.js";

Decimal.set({ precision: 60 });

export { Decimal };
