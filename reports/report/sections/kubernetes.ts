// Kubernetes labels: the shared cluster's label compliance from OpenCost's allocation; null without --k8s.
import { section } from "../context";

export const kubernetes = section("kubernetes", ({ run }) => run.kubernetes);
