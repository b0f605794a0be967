"""Checks that dosecal's calibrate JSON and the pandas/DuckDB job give the same numbers.

    python compare.py DOSECAL.json OTHER.json [OTHER.json…]   (exit 1 on a difference)
"""
import json
import sys

REL = 1e-9


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or abs(a - b) <= REL * max(abs(a), abs(b))
    return a == b


def view(doc):
    out = {}
    for s in doc["specialties"]:
        key = s["specialty"]
        out[(key, "operators")] = s["operators"]
        out[(key, "procedures")] = s["procedures"]
        for ind, st in s["stats"].items():
            for k in ("n", "q1", "median", "q3"):
                out[(key, ind, k)] = st[k]
        for ind, n in s["notification"].items():
            out[(key, ind, "first")] = n["first"]
            out[(key, ind, "second")] = n["second"]
        for ind, a in s["alerts"].items():
            for c in ("green", "yellow", "red", "none"):
                out[(key, ind, c)] = a[c]
    return out


ref = view(json.load(open(sys.argv[1])))
bad = 0
for path in sys.argv[2:]:
    other = view(json.load(open(path)))
    for k in sorted(set(ref) | set(other), key=str):
        if not close(ref.get(k), other.get(k)):
            bad += 1
            if bad <= 20:
                print(f"DIFF {path} {k}: dosecal={ref.get(k)} other={other.get(k)}")
    print(f"{path}: {len(other)} values compared, {'same' if bad == 0 else f'{bad} differences'}")
sys.exit(1 if bad else 0)
