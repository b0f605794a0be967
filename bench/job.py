"""The benchmark job (SPEC §3, §5, §9) in pandas or DuckDB, printing dosecal-shaped JSON.

    python job.py pandas|duckdb DIR FROM TO [THREADS]

Per operator over the procedures of [FROM, TO] (date part of started_at): procedures,
cumulative PDE (Σhp10/1000, mSv), PDE per procedure (µSv), PDE/KAP as a ratio of sums over
procedures with a known KAP, % reference as a ratio of sums over procedures with a known reference reading; the
operator's specialty is the roster's (operators.csv covers every operator of the generated
data). Per specialty: type-7 quartiles (numpy 'linear', DuckDB quantile_cont), notification
values (Q3 rounded up to 25 µSv, 0.5 µSv/(Gy·cm²), 5 %; second = 2 × first; alert 1 from
6 and 20 mSv × the period's share of a year) and colour counts.
"""
import calendar
import csv
import datetime as dt
import json
import math
import sys

INDICATORS = ["procedures", "cumulative_msv", "usv_per_procedure", "pde_kap", "pct_reference"]
STEPS = {"usv_per_procedure": 25.0, "pde_kap": 0.5, "pct_reference": 5.0}


def share_of_year(d0, d1):
    whole = d0.day == 1 and d1.day == calendar.monthrange(d1.year, d1.month)[1]
    if whole:
        return ((d1.year - d0.year) * 12 + d1.month - d0.month + 1) / 12
    return ((d1 - d0).days + 1) / 365


def first_notification(q3, step):
    r = q3 / step
    nearest = round(r)
    k = nearest if abs(r - nearest) <= 1e-9 else math.ceil(r)
    return max(k, 1) * step


def colour(v, first, second):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "none"
    return "green" if v < first else ("yellow" if v <= second else "red")


def finish(per_op, quartiles, spec_procs, d0, d1):
    """per_op: {specialty: [dict(ind -> value or None)]}; quartiles: {(spec, ind): (n, q1, med, q3)}."""
    share = share_of_year(d0, d1)
    out = []
    for spec in sorted(per_op):
        ops = per_op[spec]
        stats, notif, alerts = {}, {}, {}
        for ind in INDICATORS:
            if (spec, ind) in quartiles:
                n, q1, med, q3 = quartiles[(spec, ind)]
                stats[ind] = {"n": n, "q1": q1, "median": med, "q3": q3}
        for ind in INDICATORS[1:]:
            if ind == "cumulative_msv":
                first, second = 6.0 * share, 20.0 * share
            else:
                if ind not in stats:
                    continue
                first = first_notification(stats[ind]["q3"], STEPS[ind])
                second = 2 * first
            notif[ind] = {"first": first, "second": second}
            counts = {"green": 0, "yellow": 0, "red": 0, "none": 0}
            for o in ops:
                counts[colour(o[ind], first, second)] += 1
            alerts[ind] = counts
        out.append({"specialty": spec, "operators": len(ops), "procedures": int(spec_procs.get(spec, 0)),
                    "stats": stats, "notification": notif, "alerts": alerts})
    return {"period": {"from": str(d0), "to": str(d1)}, "specialties": out}


def nz(v):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def run_pandas(d, f, t):
    import numpy as np
    import pandas as pd
    p = pd.read_csv(f"{d}/procedures.csv", usecols=["study_uid", "started_at", "specialty", "kap_gycm2", "ref_dosimeter_usv"],
                    dtype={"study_uid": str, "started_at": str, "specialty": str, "kap_gycm2": float, "ref_dosimeter_usv": float})
    e = pd.read_csv(f"{d}/exposures.csv", usecols=["study_uid", "operator_id", "hp10_usv"],
                    dtype={"study_uid": str, "operator_id": str, "hp10_usv": float})
    r = pd.read_csv(f"{d}/operators.csv", usecols=["operator_id", "specialty"], dtype=str)
    day = p["started_at"].str.slice(0, 10)
    p = p[(day >= f) & (day <= t)]
    spec_procs = p.groupby("specialty").size().to_dict()
    j = e.merge(p, on="study_uid", how="inner")
    kap_ok = j["kap_gycm2"].notna()
    ref_ok = j["ref_dosimeter_usv"].notna()
    j["hp_k"] = j["hp10_usv"].where(kap_ok, 0.0)
    j["kap_k"] = j["kap_gycm2"].where(kap_ok, 0.0)
    j["n_k"] = kap_ok.astype(np.int64)
    j["hp_r"] = j["hp10_usv"].where(ref_ok, 0.0)
    j["ref_r"] = j["ref_dosimeter_usv"].where(ref_ok, 0.0)
    j["n_r"] = ref_ok.astype(np.int64)
    g = j.groupby("operator_id").agg(n=("hp10_usv", "size"), hp=("hp10_usv", "sum"), hp_k=("hp_k", "sum"), kap=("kap_k", "sum"),
                                     n_k=("n_k", "sum"), hp_r=("hp_r", "sum"), ref=("ref_r", "sum"), n_r=("n_r", "sum"))
    g = g.join(r.set_index("operator_id"), how="left")
    g["procedures"] = g["n"].astype(float)
    g["cumulative_msv"] = g["hp"] / 1000
    g["usv_per_procedure"] = g["hp"] / g["n"]
    g["pde_kap"] = (g["hp_k"] / g["kap"]).where(g["kap"] > 0)
    g["pct_reference"] = (100 * g["hp_r"] / g["ref"]).where(g["ref"] > 0)
    per_op, quartiles = {}, {}
    for spec, grp in g.groupby("specialty"):
        per_op[spec] = [{k: nz(v) for k, v in row.items()} for row in grp[INDICATORS].to_dict("records")]
        for ind in INDICATORS:
            v = grp[ind].dropna().to_numpy()
            if len(v):
                q = np.percentile(v, [25, 50, 75])
                quartiles[(spec, ind)] = (len(v), float(q[0]), float(q[1]), float(q[2]))
    return per_op, quartiles, spec_procs


def csv_columns(path, doubles):
    """DuckDB's `columns` for a CSV file, in the order of its header (SPEC allows extra columns,
    in any order): the named number columns DOUBLE, every other column VARCHAR."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh))
    return "{" + ", ".join(f"'{c}': '{'DOUBLE' if c in doubles else 'VARCHAR'}'" for c in header) + "}"


def run_duckdb(d, f, t, threads):
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    pcols = csv_columns(f"{d}/procedures.csv", {"kap_gycm2", "kap_fluoro_gycm2", "kap_acq_gycm2", "fluoro_time_s", "ka_rp_mgy",
                                                 "ref_dosimeter_usv"})
    ecols = csv_columns(f"{d}/exposures.csv", {"hp10_usv", "hp10_fluoro_usv", "hp10_acq_usv"})
    con.execute(f"""
        CREATE TEMP TABLE ops AS
        WITH p AS (
            SELECT study_uid, specialty, kap_gycm2 AS kap, ref_dosimeter_usv AS ref
            FROM read_csv('{d}/procedures.csv', header = true, columns = {pcols})
            WHERE substr(started_at, 1, 10) BETWEEN '{f}' AND '{t}'),
        e AS (
            SELECT study_uid, operator_id, hp10_usv AS hp
            FROM read_csv('{d}/exposures.csv', header = true, columns = {ecols})),
        r AS (SELECT operator_id, specialty FROM read_csv('{d}/operators.csv', header = true, all_varchar = true)),
        g AS (
            SELECT e.operator_id, count(*) AS n, sum(hp) AS hp,
                   sum(CASE WHEN kap IS NOT NULL THEN hp ELSE 0 END) AS hp_k, sum(coalesce(kap, 0)) AS kap,
                   count(kap) AS n_k,
                   sum(CASE WHEN ref IS NOT NULL THEN hp ELSE 0 END) AS hp_r, sum(coalesce(ref, 0)) AS ref,
                   count(ref) AS n_r
            FROM e JOIN p USING (study_uid) GROUP BY e.operator_id)
        SELECT g.operator_id, r.specialty, n::DOUBLE AS procedures, hp / 1000 AS cumulative_msv, hp / n AS usv_per_procedure,
               CASE WHEN kap > 0 THEN hp_k / kap END AS pde_kap, CASE WHEN ref > 0 THEN 100 * hp_r / ref END AS pct_reference
        FROM g LEFT JOIN r USING (operator_id)""")
    spec_procs = dict(con.execute(f"""
        SELECT specialty, count(*) FROM read_csv('{d}/procedures.csv', header = true, all_varchar = true)
        WHERE substr(started_at, 1, 10) BETWEEN '{f}' AND '{t}' GROUP BY specialty""").fetchall())
    per_op, quartiles = {}, {}
    for row in con.execute(f"SELECT specialty, {', '.join(INDICATORS)} FROM ops").fetchall():
        per_op.setdefault(row[0], []).append({k: nz(v) for k, v in zip(INDICATORS, row[1:])})
    for ind in INDICATORS:
        for spec, n, q1, med, q3 in con.execute(f"""
                SELECT specialty, count({ind}), quantile_cont({ind}, 0.25), quantile_cont({ind}, 0.5), quantile_cont({ind}, 0.75)
                FROM ops WHERE {ind} IS NOT NULL GROUP BY specialty""").fetchall():
            quartiles[(spec, ind)] = (n, q1, med, q3)
    return per_op, quartiles, spec_procs


if __name__ == "__main__":
    engine, d, f, t = sys.argv[1:5]
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else 2
    d0, d1 = dt.date.fromisoformat(f), dt.date.fromisoformat(t)
    if engine == "pandas":
        res = run_pandas(d, f, t)
    else:
        res = run_duckdb(d, f, t, threads)
    json.dump(finish(*res, d0, d1), sys.stdout, indent=1)
