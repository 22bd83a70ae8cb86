"""The pandas baseline for `allot compliance` on the foreign-shaped benchmark CSV: the same tag standard
(test/bench/foreign/allot.yaml, written out here by hand), judged the way a careful analyst would write it
with pandas: read only the needed columns as text, keep the month's usage rows, sum cost per distinct tag
text, then parse and judge each distinct text once. Like allot compliance it also counts resources whose
every charge is compliant and ranks the ten costliest that are not. Prints those figures and its own peak RSS.

usage: python3 compliance.py FILE MONTH
"""
import json
import re
import resource
import sys

import pandas as pd

# The standard: key -> (aliases, allowed values or None, pattern or None).
STANDARD = {
    "environment": (["env"], {"dev", "prod", "staging"}, None),
    "business_unit": ([], None, re.compile(r"[A-Z][a-z]+[A-Z][A-Za-z]*")),
    "application": ([], None, None),
}
EXACT = {}
for key, (aliases, _, _) in STANDARD.items():
    EXACT[key] = key
    for alias in aliases:
        EXACT[alias] = key
FOLDED = {}
for name, key in EXACT.items():
    FOLDED.setdefault(name.lower(), key)


def rank(key, raw):
    if raw == key:
        return 0
    aliases = STANDARD[key][0]
    return 1 + aliases.index(raw) if raw in aliases else 1 + len(aliases)


def compliant(text):
    if not isinstance(text, str) or text.strip() in ("", "NULL", "null"):
        return False
    try:
        tags = json.loads(text)
    except ValueError:
        return False
    if not isinstance(tags, dict):
        return False
    held = {}
    for raw_key, value in tags.items():
        raw = raw_key.strip()
        key = EXACT.get(raw) or FOLDED.get(raw.lower())
        if key is None:
            continue
        if isinstance(value, str) and value.strip() in ("NULL", "null"):
            continue
        empty = value is None or (isinstance(value, str) and value.strip() == "")
        order = rank(key, raw)
        if key not in held:
            held[key] = (order, value, empty)
            continue
        h_order, _, h_empty = held[key]
        if (h_empty and not empty) or (order < h_order and (not empty or h_empty)):
            held[key] = (order, value, empty)
    for key, (_, allowed, pattern) in STANDARD.items():
        if key not in held:
            return False
        _, value, empty = held[key]
        if empty or not isinstance(value, str):
            return False
        value = value.strip()
        if allowed is not None and value not in allowed:
            return False
        if pattern is not None and not pattern.fullmatch(value):
            return False
    return True


def main():
    file, month = sys.argv[1], sys.argv[2]
    df = pd.read_csv(file, dtype=str, keep_default_na=False, usecols=["BillingPeriodStart", "ChargeCategory", "EffectiveCost", "ResourceId", "Tags"])
    df = df[df["BillingPeriodStart"].str.startswith(month) & (df["ChargeCategory"].str.lower() == "usage")]
    cost = pd.to_numeric(df["EffectiveCost"].replace({"NULL": None, "": None}), errors="coerce").fillna(0.0)
    by_tags = cost.groupby(df["Tags"]).sum()
    ok = by_tags.index.map(compliant)
    usage = float(by_tags.sum())
    compliant_cost = float(by_tags[ok].sum())
    verdict = pd.Series(ok, index=by_tags.index)
    named = df["ResourceId"].replace({"NULL": ""}) != ""
    per_row = pd.DataFrame({"resource": df["ResourceId"][named], "ok": df["Tags"][named].map(verdict), "cost": cost[named]})
    per_resource = per_row.groupby("resource").agg(ok=("ok", "all"), cost=("cost", "sum"))
    worst = per_resource[~per_resource["ok"] & (per_resource["cost"] > 0)].nlargest(10, "cost")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "usageCost": usage, "compliantCost": compliant_cost, "tagSets": int(len(by_tags)),
        "resources": {"total": int(len(per_resource)), "compliant": int(per_resource["ok"].sum())},
        "worst": list(worst.index), "peakRssKib": peak_kib,
    }))


main()
