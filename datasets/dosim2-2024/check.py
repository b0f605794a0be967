#!/usr/bin/env python3
"""Independent checker of the synthetic DOSIM2 2024 dataset.

    python3 datasets/dosim2-2024/check.py [--dir DIR] [--table]

Recomputes from the four CSV files (and nothing else) every published number the dataset
promises, prints PASS/FAIL per item and exits non-zero on any failure. Quartiles are
Hyndman-Fan type 7 (numpy 'linear'). Shares nothing with generate.py.
"""

import argparse
import csv
import datetime as dt
import io
import math
import os
import sys
from collections import defaultdict

import numpy as np

PROC_COLS = ["study_uid", "started_at", "room", "specialty", "procedure_type", "kap_gycm2",
             "kap_fluoro_gycm2", "kap_acq_gycm2", "fluoro_time_s", "ka_rp_mgy", "ref_dosimeter_usv"]
EXP_COLS = ["study_uid", "operator_id", "dosimeter_id", "role", "hp10_usv", "hp10_fluoro_usv",
            "hp10_acq_usv"]
OP_COLS = ["operator_id", "specialty", "subspecialty", "name"]
MEM_COLS = ["dosimeter_id", "read_at", "cumulative_usv", "period_from", "period_to"]

JAN_SEP = (dt.date(2024, 1, 1), dt.date(2024, 9, 30))
YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
ALERTS = ["cumulative_msv", "usv_per_procedure", "pde_kap", "pct_reference"]

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("%s  %s%s" % ("PASS" if ok else "FAIL", name, ("  [" + detail + "]") if detail else ""))


def info(line):
    print("INFO  " + line)


def num(s):
    return None if s == "" else float(s)


def round_half_away(x, decimals):
    f = 10 ** decimals
    return math.copysign(math.floor(abs(x) * f + 0.5), x) / f


def q7(values):
    a = np.asarray(values, dtype=float)
    q1, med, q3 = np.quantile(a, [0.25, 0.5, 0.75], method="linear")
    return dict(n=len(a), q1=float(q1), median=float(med), q3=float(q3), iqr=float(q3 - q1))


def ceil_step(x, step):
    k = math.ceil(x / step - 1e-9)
    return max(step, k * step)


def colour(value, first, second):
    if value is None:
        return None
    if value < first:
        return "green"
    if value <= second:
        return "yellow"
    return "red"


# ---------------------------------------------------------------------------


def read(path, cols):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return raw, rows[0], [dict(zip(rows[0], r)) for r in rows[1:]], rows


def load(d):
    data = {}
    for name, cols in (("procedures", PROC_COLS), ("exposures", EXP_COLS), ("operators", OP_COLS),
                       ("memory", MEM_COLS)):
        path = os.path.join(d, name + ".csv")
        raw, header, rows, allrows = read(path, cols)
        check("%s.csv: header is exactly the contract's columns" % name, header == cols, ",".join(header))
        check("%s.csv: UTF-8, LF line ends, no CR, ends with LF" % name,
              b"\r" not in raw and raw.endswith(b"\n"))
        check("%s.csv: every row has %d fields" % (name, len(cols)), all(len(r) == len(cols) for r in allrows))
        data[name] = (raw, rows)
    return data


def indicators(procs, exps, roster, frm, to):
    """Per operator, over procedures whose started_at date is in [frm, to]."""
    inper = {u: p for u, p in procs.items() if frm <= p["date"] <= to}
    acc = defaultdict(lambda: dict(n=0, h=0.0, hk=0.0, k=0.0, hr=0.0, r=0.0, nokap=0, noref=0))
    for e in exps:
        p = inper.get(e["study_uid"])
        if p is None:
            continue
        a = acc[e["operator_id"]]
        h = e["hp10"]
        a["n"] += 1
        a["h"] += h
        if p["kap"] is not None and p["kap"] > 0:
            a["hk"] += h
            a["k"] += p["kap"]
        else:
            a["nokap"] += 1
        if p["ref"] is not None and p["ref"] > 0:
            a["hr"] += h
            a["r"] += p["ref"]
        else:
            a["noref"] += 1
    out = {}
    for o, a in acc.items():
        out[o] = dict(
            operator_id=o, specialty=roster[o]["specialty"], procedures=a["n"],
            cumulative_msv=a["h"] / 1000.0, usv_per_procedure=a["h"] / a["n"],
            pde_kap=(a["hk"] / a["k"]) if a["k"] > 0 else None,
            pct_reference=(100.0 * a["hr"] / a["r"]) if a["r"] > 0 else None,
            total_kap=a["k"], no_kap=a["nokap"], no_ref=a["noref"])
    return out


def breakdown(procs, exps, op, frm, to):
    by = defaultdict(lambda: dict(n=0, h=0.0, hk=0.0, k=0.0))
    tot_h = tot_k = 0.0
    for e in exps:
        if e["operator_id"] != op:
            continue
        p = procs[e["study_uid"]]
        if not (frm <= p["date"] <= to):
            continue
        b = by[p["procedure_type"]]
        b["n"] += 1
        b["h"] += e["hp10"]
        tot_h += e["hp10"]
        if p["kap"] is not None and p["kap"] > 0:
            b["hk"] += e["hp10"]
            b["k"] += p["kap"]
            tot_k += p["kap"]
    return {t: dict(n=b["n"], pct_pde=100 * b["h"] / tot_h, pct_kap=100 * b["k"] / tot_k,
                    pde_kap=(b["hk"] / b["k"]) if b["k"] > 0 else None) for t, b in by.items()}


TABLE1 = {
    # indicator: (median, iqr, q3, decimals of median/q3, decimals of iqr)
    "cardiology": {
        "procedures": (150, 44, 160, 0, 0),
        "cumulative_msv": (2.50, 1.0, 2.89, 2, 1),
        "usv_per_procedure": (15.3, 4.1, 18.0, 1, 1),
        "pct_reference": (10.9, 8.7, 14.4, 1, 1),
        "pde_kap": (0.24, 0.09, 0.30, 2, 2),
    },
    "radiology": {
        "procedures": (211, 161, 277, 0, 0),
        "cumulative_msv": (3.28, 1.2, 3.70, 2, 1),
        "usv_per_procedure": (17.2, 10, 21.1, 1, 0),
        "pct_reference": (16.8, 11.2, 22.5, 1, 1),
        "pde_kap": (0.31, 0.25, 0.44, 2, 2),
    },
}
EXPECTED_NOTIF = {
    "cardiology": {"usv_per_procedure": (25, 50), "pde_kap": (0.5, 1.0), "pct_reference": (15, 30)},
    "radiology": {"usv_per_procedure": (25, 50), "pde_kap": (0.5, 1.0), "pct_reference": (25, 50)},
}
STEP = {"usv_per_procedure": 25.0, "pde_kap": 0.5, "pct_reference": 5.0}


def published_ok(value, published, decimals):
    """Equal at the published precision and at least 0.2 units of the last digit away from
    a rounding boundary (|value - published| <= 0.3 units)."""
    unit = 10.0 ** (-decimals)
    return round_half_away(value, decimals) == round_half_away(published, decimals) and \
        abs(value - published) <= 0.3 * unit + 1e-12


def fmt(v, d=3):
    return "-" if v is None else ("%.*f" % (d, v))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    data = load(args.dir)

    # ---------------- parse ----------------
    raw_p, prow = data["procedures"]
    raw_e, erow = data["exposures"]
    _, orow = data["operators"]
    _, mrow = data["memory"]

    roster = {r["operator_id"]: r for r in orow}
    check("operators.csv: 21 operators, unique ids", len(orow) == 21 and len(roster) == 21)
    check("operators.csv: specialties are cardiology/radiology",
          all(r["specialty"] in ("cardiology", "radiology") for r in orow))

    procs = {}
    bad_ts = bad_parts = bad_neg = 0
    for r in prow:
        try:
            ts = dt.datetime.strptime(r["started_at"], "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            bad_ts += 1
            continue
        kap, kf, ka = num(r["kap_gycm2"]), num(r["kap_fluoro_gycm2"]), num(r["kap_acq_gycm2"])
        if kap is None:
            if kf is not None or ka is not None:
                bad_parts += 1
        elif kf is None or ka is None or abs(kf + ka - kap) > 0.0051:
            bad_parts += 1
        vals = [kap, kf, ka, num(r["fluoro_time_s"]), num(r["ka_rp_mgy"]), num(r["ref_dosimeter_usv"])]
        if any(v is not None and v < 0 for v in vals):
            bad_neg += 1
        procs[r["study_uid"]] = dict(ts=ts, date=ts.date(), room=r["room"], specialty=r["specialty"],
                                     procedure_type=r["procedure_type"], kap=kap,
                                     ft=num(r["fluoro_time_s"]), kar=num(r["ka_rp_mgy"]),
                                     ref=num(r["ref_dosimeter_usv"]))
    check("procedures.csv: study_uid unique", len(procs) == len(prow), "%d rows" % len(prow))
    check("procedures.csv: study_uid DICOM-like (digits and dots, <= 64 chars)",
          all(u.replace(".", "").isdigit() and len(u) <= 64 for u in procs))
    check("procedures.csv: started_at ISO 8601 local, all in 2024", bad_ts == 0 and
          all(p["ts"].year == 2024 for p in procs.values()))
    check("procedures.csv: kap_gycm2 = kap_fluoro + kap_acq (2 decimals); parts empty iff KAP empty",
          bad_parts == 0, "%d bad" % bad_parts)
    check("procedures.csv: no negative values", bad_neg == 0)
    check("procedures.csv: room matches specialty (CARD-n cardiology, RAD-n radiology)",
          all((p["room"].startswith("CARD-") and p["specialty"] == "cardiology") or
              (p["room"].startswith("RAD-") and p["specialty"] == "radiology") for p in procs.values()))
    types = sorted({p["procedure_type"] for p in procs.values()})
    check("procedures.csv: RFC 4180 quoting exercised (a type with a comma, a type with a double quote)",
          any("," in t for t in types) and any('"' in t for t in types) and b'""' in raw_p)

    exps = []
    dos = {}
    bad_h = 0
    for r in erow:
        h, hf, ha = num(r["hp10_usv"]), num(r["hp10_fluoro_usv"]), num(r["hp10_acq_usv"])
        if h is None or h < 0 or hf is None or ha is None or abs(hf + ha - h) > 0.0051:
            bad_h += 1
        exps.append(dict(study_uid=r["study_uid"], operator_id=r["operator_id"], role=r["role"],
                         hp10=h or 0.0, dosimeter=r["dosimeter_id"]))
        dos.setdefault(r["operator_id"], set()).add(r["dosimeter_id"])
    check("exposures.csv: hp10_usv = fluoro + acq (2 decimals), non-negative", bad_h == 0)
    check("exposures.csv: every study_uid is a known procedure", all(e["study_uid"] in procs for e in exps))
    check("exposures.csv: every operator is in the roster", all(e["operator_id"] in roster for e in exps))
    check("exposures.csv: one dosimeter per operator, none shared",
          all(len(s) == 1 for s in dos.values()) and len({next(iter(s)) for s in dos.values()}) == len(dos))
    roles = defaultdict(list)
    for e in exps:
        roles[e["study_uid"]].append(e)
    ok_roles = all(sorted(x["role"] for x in roles.get(u, [])) in (["first"], ["first", "second"])
                   for u in procs)
    check("exposures.csv: every procedure has exactly one first operator and at most one second",
          ok_roles)
    check("exposures.csv: operators of a procedure are distinct and of the procedure's specialty",
          all(len({x["operator_id"] for x in v}) == len(v) and
              all(roster[x["operator_id"]]["specialty"] == procs[u]["specialty"] for x in v)
              for u, v in roles.items()))

    # ---------------- A. Jan-Sep: Table 1 ----------------
    print()
    print("== A. Jan 1 - Sep 30 2024 (Table 1) ==")
    frm, to = JAN_SEP
    n_spec = defaultdict(int)
    for p in procs.values():
        if frm <= p["date"] <= to:
            n_spec[p["specialty"]] += 1
    check("Jan-Sep: 1088 cardiology procedures", n_spec["cardiology"] == 1088, str(n_spec["cardiology"]))
    check("Jan-Sep: 2285 radiology procedures", n_spec["radiology"] == 2285, str(n_spec["radiology"]))
    check("Jan-Sep: 3373 procedures in total", sum(n_spec.values()) == 3373)
    ind_a = indicators(procs, exps, roster, frm, to)
    thresholds = {}
    unrounded = {}
    for spec, table in TABLE1.items():
        ops = [v for k, v in sorted(ind_a.items()) if v["specialty"] == spec]
        want_n = 8 if spec == "cardiology" else 11
        check("Jan-Sep: %d %s operators with procedures" % (want_n, spec), len(ops) == want_n, str(len(ops)))
        thresholds[spec] = {}
        unrounded[spec] = {}
        for ind, (med, iqr, q3, dq, di) in table.items():
            vals = [o[ind] for o in ops if o[ind] is not None]
            st = q7(vals)
            ok = (len(vals) == want_n and published_ok(st["median"], med, dq) and
                  published_ok(st["iqr"], iqr, di) and published_ok(st["q3"], q3, dq))
            check("Jan-Sep %s %s: median %s (IQR %s), Q3 %s" % (spec, ind, med, iqr, q3), ok,
                  "computed median %.4f IQR %.4f Q3 %.4f (n=%d)" % (st["median"], st["iqr"], st["q3"], st["n"]))
            if ind in STEP:
                first = ceil_step(st["q3"], STEP[ind])
                thresholds[spec][ind] = (first, 2 * first)
                unrounded[spec][ind] = (st["q3"], 2 * st["q3"])
                exp = EXPECTED_NOTIF[spec][ind]
                check("notification values %s %s: %g / %g" % (spec, ind, exp[0], exp[1]),
                      abs(first - exp[0]) < 1e-9 and abs(2 * first - exp[1]) < 1e-9,
                      "Q3 %.4f -> %g / %g" % (st["q3"], first, 2 * first))
    sep_share = 9 / 12
    check("alert 1 for Jan-Sep (9 whole months): 4.5 / 15 mSv",
          abs(6 * sep_share - 4.5) < 1e-12 and abs(20 * sep_share - 15) < 1e-12)

    # ---------------- B. full year ----------------
    print()
    print("== B. full year 2024, Jan-Sep notification values, alert 1 = 6 / 20 mSv ==")
    ind_y = indicators(procs, exps, roster, *YEAR)
    check("2024: 21 monitored interventionists with procedures", len(ind_y) == 21, str(len(ind_y)))
    joiners = sorted(set(ind_y) - set(ind_a))
    first_date = {}
    for e in exps:
        d = procs[e["study_uid"]]["date"]
        o = e["operator_id"]
        first_date[o] = min(first_date.get(o, d), d)
    check("2024: two operators join in Oct-Dec only (one cardiologist, one radiologist)",
          len(joiners) == 2 and sorted(roster[o]["specialty"] for o in joiners) == ["cardiology", "radiology"]
          and all(first_date[o] >= dt.date(2024, 10, 1) for o in joiners), ", ".join(joiners))

    def evaluate(ind, thr, a1):
        out = {}
        for o, v in ind.items():
            t = thr[v["specialty"]]
            out[o] = {
                "cumulative_msv": colour(v["cumulative_msv"], *a1),
                "usv_per_procedure": colour(v["usv_per_procedure"], *t["usv_per_procedure"]),
                "pde_kap": colour(v["pde_kap"], *t["pde_kap"]),
                "pct_reference": colour(v["pct_reference"], *t["pct_reference"]),
            }
        return out

    def overall(cols):
        c = [x for x in cols.values() if x is not None]
        return "red" if "red" in c else ("yellow" if "yellow" in c else "green")

    col_y = evaluate(ind_y, thresholds, (6.0, 20.0))
    col_yu = evaluate(ind_y, unrounded, (6.0, 20.0))
    col_a = evaluate(ind_a, thresholds, (4.5, 15.0))
    yellow = sorted(o for o in col_y if overall(col_y[o]) == "yellow")
    red = sorted(o for o in col_y if overall(col_y[o]) == "red")
    check("2024 (rounded notification values): exactly 6 operators yellow overall", len(yellow) == 6,
          ", ".join(yellow))
    check("2024 (rounded notification values): none red under any alert", not red and
          all(c != "red" for o in col_y for c in col_y[o].values()))
    cum_yellow = [o for o in yellow if col_y[o]["cumulative_msv"] == "yellow"]
    check("2024: two of the 6 are radiologists yellow on cumulative dose",
          len(cum_yellow) == 2 and all(roster[o]["specialty"] == "radiology" for o in cum_yellow),
          ", ".join(cum_yellow))
    msv = sorted(round_half_away(ind_y[o]["cumulative_msv"], 1) for o in cum_yellow)
    check("2024: their annual cumulative doses are 8.2 and 8.4 mSv (one decimal, margin >= 0.02)",
          msv == [8.2, 8.4] and all(min(abs(ind_y[o]["cumulative_msv"] - x) for x in (8.2, 8.4)) <= 0.03
                                    for o in cum_yellow),
          ", ".join("%s %.4f" % (o, ind_y[o]["cumulative_msv"]) for o in cum_yellow))
    pk = sorted(ind_y[o]["pde_kap"] for o in cum_yellow)
    check("2024: their annual PDE/KAP are 0.47 and 0.50 (two decimals; the 0.50 one >= 0.500)",
          len(pk) == 2 and abs(pk[0] - 0.47) <= 0.003 and 0.500 <= pk[1] <= 0.503,
          ", ".join("%.4f" % x for x in pk))
    for o in cum_yellow:
        bd = breakdown(procs, exps, o, *YEAR)
        b = bd.get("biliary drainage")
        ok = b is not None and 16.0 <= b["pct_pde"] <= 18.0 and 2.0 <= b["pct_kap"] <= 3.0 and \
            3.0 <= b["pde_kap"] <= 4.0
        check("2024 %s: biliary drainages ~17 %% of PDE, ~2.5 %% of KAP, PDE/KAP 3-4" % o, ok,
              "n=%d, %.2f %% PDE, %.2f %% KAP, %.3f uSv/(Gy.cm2)" % (b["n"], b["pct_pde"], b["pct_kap"], b["pde_kap"])
              if b else "no biliary drainages")
    others = [o for o in yellow if o not in cum_yellow]
    check("2024: the other 4 yellow have annual cumulative < 6 mSv, yellow only on other indicators",
          len(others) == 4 and all(ind_y[o]["cumulative_msv"] < 6.0 and col_y[o]["cumulative_msv"] == "green"
                                   for o in others),
          "; ".join("%s: %s" % (o, ",".join(a for a in ALERTS if col_y[o][a] == "yellow")) for o in others))
    # margins: no annual value sits on a threshold by accident (only the deliberate 0.502)
    tight = []
    for o, v in ind_y.items():
        t = thresholds[v["specialty"]]
        pairs = [(v["cumulative_msv"], 6.0), (v["cumulative_msv"], 20.0)]
        for a in ("usv_per_procedure", "pde_kap", "pct_reference"):
            pairs += [(v[a], t[a][0]), (v[a], t[a][1])]
        for val, th in pairs:
            if val is not None and abs(val - th) < 0.02 * th and not (abs(val - 0.502) < 0.002 and th == 0.5):
                tight.append("%s %.4f vs %g" % (o, val, th))
    check("2024: every annual value >= 2 % away from every notification value (except the 0.502)",
          not tight, "; ".join(tight))

    # Figure 2 neuroradiologist
    neuro_ok = []
    for o in sorted(ind_a):
        if roster[o]["specialty"] != "radiology" or "neuro" not in roster[o]["subspecialty"]:
            continue
        bd = breakdown(procs, exps, o, *YEAR)
        s, d = bd.get("spinal infiltration"), bd.get("diagnostic neuroangiography")
        if s and d and 72 <= s["pct_pde"] <= 78 and 8 <= s["pct_kap"] <= 12 and 62 <= d["pct_kap"] <= 68 \
                and d["pct_pde"] < 10:
            neuro_ok.append("%s: spinal %.1f %% PDE / %.1f %% KAP; neuroangiography %.1f %% KAP / %.1f %% PDE"
                            % (o, s["pct_pde"], s["pct_kap"], d["pct_kap"], d["pct_pde"]))
    check("2024: a neuroradiologist (one of the 11) with spinal infiltrations ~75 % PDE / ~10 % KAP and "
          "diagnostic neuroangiography ~65 % KAP / < 10 % PDE", len(neuro_ok) >= 1, "; ".join(neuro_ok))

    yellow_u = sorted(o for o in col_yu if overall(col_yu[o]) == "yellow")
    red_u = sorted(o for o in col_yu if overall(col_yu[o]) == "red")
    check("2024 (unrounded Q3 notification values): the same 6 yellow, none red",
          yellow_u == yellow and not red_u and all(c != "red" for o in col_yu for c in col_yu[o].values()),
          "%d yellow (%s), %d red" % (len(yellow_u), ", ".join(yellow_u), len(red_u)))
    pk_u = [col_yu[o]["pde_kap"] for o in cum_yellow]
    check("2024 (unrounded): both cumulative-dose radiologists also yellow on PDE/KAP (0.47 and 0.50 > Q3 0.44)",
          pk_u == ["yellow", "yellow"])
    tight = []
    for o, v in ind_y.items():
        t = unrounded[v["specialty"]]
        for a in ("usv_per_procedure", "pde_kap", "pct_reference"):
            for th in t[a]:
                if v[a] is not None and abs(v[a] - th) < 0.01 * th:
                    tight.append("%s %s %.4f vs %.4f" % (o, a, v[a], th))
    check("2024: every annual value >= 1 % away from every unrounded notification value", not tight,
          "; ".join(tight))

    # ---------------- C. realism ----------------
    print()
    print("== C. realism ==")
    months = defaultdict(lambda: defaultdict(int))
    for p in procs.values():
        months[p["specialty"]][p["date"].month] += 1
    for spec, m in sorted(months.items()):
        vals = [m[k] for k in range(1, 13)]
        mean = sum(vals) / 12
        check("monthly %s volumes roughly even (each within 35 %% of the mean)" % spec,
              all(abs(v - mean) <= 0.35 * mean for v in vals), " ".join(str(v) for v in vals))
    check("procedures on working days (Mon-Fri), started 07:30-20:30",
          all(p["ts"].weekday() < 5 and dt.time(7, 30) <= p["ts"].time() <= dt.time(20, 30)
              for p in procs.values()))
    overlap = 0
    by_room = defaultdict(list)
    for p in procs.values():
        by_room[(p["date"], p["room"])].append(p["ts"])
    overlap = sum(len(v) - len(set(v)) for v in by_room.values())
    check("no two procedures start in the same room at the same minute", overlap == 0)
    by_type = defaultdict(list)
    for p in procs.values():
        if p["kap"] is not None:
            by_type[p["procedure_type"]].append(p["kap"])
    med = {t: float(np.median(v)) for t, v in by_type.items()}
    card_main = [v for t, vs in by_type.items() for v in vs if t in ("coronary angiography", "PCI")]
    check("cardiology coronary angiography/PCI KAP mostly 10-200 Gy.cm2 (median 20-150)",
          20 <= np.median(card_main) <= 150 and np.mean([(10 <= v <= 200) for v in card_main]) > 0.85,
          "median %.1f" % np.median(card_main))
    check("spinal infiltration KAP median 2-10 Gy.cm2", 2 <= med.get("spinal infiltration", -1) <= 10,
          "%.2f" % med.get("spinal infiltration", -1))
    emb = [v for t, vs in by_type.items() for v in vs if "emboli" in t]
    check("embolisations: large KAP (median > 50 Gy.cm2)", np.median(emb) > 50, "%.1f" % np.median(emb))
    refs = [p["ref"] for p in procs.values() if p["ref"] is not None]
    check("reference dosimeter: tens to thousands of uSv per procedure (median 30-1000)",
          30 <= np.median(refs) <= 1000, "median %.0f, p95 %.0f" % (np.median(refs), np.percentile(refs, 95)))
    nk = sum(p["kap"] is None for p in procs.values())
    nr = sum(p["ref"] is None for p in procs.values())
    check("about 1 % of procedures without KAP, a few without reference reading",
          0.005 * len(procs) <= nk <= 0.02 * len(procs) and 0 < nr <= 0.01 * len(procs), "%d, %d" % (nk, nr))
    for spec in ("cardiology", "radiology"):
        n = sum(1 for p in procs.values() if p["specialty"] == spec)
        s = sum(1 for u, v in roles.items() if procs[u]["specialty"] == spec and len(v) == 2)
        check("%s: second operator on part of the procedures (3-30 %%)" % spec, 0.03 * n <= s <= 0.30 * n,
              "%.1f %%" % (100 * s / n))

    # ---------------- memory ----------------
    print()
    print("== dosimeter memory read-outs ==")
    stored = defaultdict(float)
    for e in exps:
        stored[e["dosimeter"]] += e["hp10"]
    losses = []
    for r in mrow:
        mem = float(r["cumulative_usv"])
        losses.append(100 * (mem - stored[r["dosimeter_id"]]) / mem)
    check("memory.csv: one 2024 read-out per dosimeter",
          sorted(r["dosimeter_id"] for r in mrow) == sorted(stored) and
          all(r["period_from"] == "2024-01-01" and r["period_to"] == "2024-12-31" for r in mrow))
    check("memory.csv: losses 0-4 %, one about 5 % (max 4.5-5 % of the memory reading)",
          all(-1e-6 <= x <= 5.0 for x in losses) and sorted(losses)[-2] <= 4.0 and 4.5 <= max(losses) < 5.0,
          "max %.2f %%, next %.2f %%" % (max(losses), sorted(losses)[-2]))

    # ---------------- tables ----------------
    def table(title, ind, cols):
        print()
        print(title)
        print("%-7s %-10s %5s %7s %8s %7s %7s  %s" % ("op", "specialty", "n", "mSv", "uSv/pr", "PDE/KAP", "%ref",
                                                     "alerts (cum, uSv/proc, PDE/KAP, %ref)"))
        for o in sorted(ind, key=lambda k: (ind[k]["specialty"], k)):
            v = ind[o]
            c = cols[o]
            print("%-7s %-10s %5d %7.3f %8.2f %7s %7s  %s -> %s" % (
                o, v["specialty"], v["procedures"], v["cumulative_msv"], v["usv_per_procedure"],
                fmt(v["pde_kap"]), fmt(v["pct_reference"], 2),
                "/".join((c[a] or "none")[0].upper() for a in ALERTS), overall(c)))

    table("Jan-Sep 2024 (alert 1: 4.5 / 15 mSv)", ind_a, col_a)
    table("Full year 2024 (rounded notification values)", ind_y, col_y)
    table("Full year 2024 (unrounded Q3 notification values)", ind_y, col_yu)

    print()
    failed = results.count(False)
    print("%d checks, %d failed -> %s" % (len(results), failed, "PASS" if not failed else "FAIL"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
