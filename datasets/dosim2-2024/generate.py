#!/usr/bin/env python3
"""Deterministic generator of the synthetic DOSIM2 2024 dataset.

    python3 datasets/dosim2-2024/generate.py [--out DIR]

Writes procedures.csv, exposures.csv, operators.csv and memory.csv (default: this
script's folder). The data are invented; they are built so that

  * Jan-Sep 2024 reproduces Table 1 of Sanchez, Vano, Fernandez Soto ("Recording
    interventionalists' occupational dose by clinical procedure") exactly, and
  * the full year 2024 tells the paper's alert story (21 interventionists, 6 yellow,
    none red, two radiologists at 8.2 / 8.4 mSv with PDE/KAP 0.47 / 0.50, biliary
    drainages 17 % of their PDE for 2.5 % of their KAP, the Figure 2 neuroradiologist).

See README.md beside this file for how each number is met.

Determinism: only the Python standard library; the only source of randomness is
random.Random(SEED).random() (Mersenne Twister, stable across Python versions), and all
derived quantities use IEEE-754 +, -, *, / only (no libm exp/log/cos, whose last bit may
differ between platforms), so the output is byte-identical on any machine with
Python >= 3.9.
"""

import argparse
import csv
import datetime as dt
import os
import random

SEED = 20240930

# ---------------------------------------------------------------------------
# Arithmetic-only helpers (no libm), so results are identical on every platform.
# ---------------------------------------------------------------------------


def det_exp(x):
    """exp(x) with +, -, *, / only: halve until |x| <= 1/16, Taylor series, square back."""
    halvings = 0
    while x > 0.0625 or x < -0.0625:
        x /= 2.0
        halvings += 1
    term = 1.0
    total = 1.0
    for k in range(1, 14):
        term = term * x / k
        total += term
    for _ in range(halvings):
        total *= total
    return total


class Rng:
    """Thin wrapper over random.Random that only ever calls .random()."""

    def __init__(self, seed):
        self._r = random.Random(seed)

    def uniform(self, a, b):
        return a + (b - a) * self._r.random()

    def below(self, n):
        """Integer in [0, n)."""
        k = int(self._r.random() * n)
        return n - 1 if k >= n else k

    def normal(self):
        """Approximately standard normal (Irwin-Hall, 12 uniforms)."""
        s = 0.0
        for _ in range(12):
            s += self._r.random()
        return s - 6.0

    def lognormal(self, median, sigma):
        return median * det_exp(sigma * self.normal())

    def choice_weighted(self, items, weights):
        total = 0.0
        for w in weights:
            total += w
        u = self._r.random() * total
        acc = 0.0
        for item, w in zip(items, weights):
            acc += w
            if u < acc:
                return item
        return items[-1]

    def shuffle(self, seq):
        for i in range(len(seq) - 1, 0, -1):
            j = self.below(i + 1)
            seq[i], seq[j] = seq[j], seq[i]

    def random(self):
        return self._r.random()


def cents(x):
    """Non-negative float -> integer hundredths (round half to even on exact ties)."""
    return int(round(x * 100.0))


def fmt_cents(c):
    return "%d.%02d" % (c // 100, c % 100)


def fmt_tenths(t):
    return "%d.%d" % (t // 10, t % 10)


# ---------------------------------------------------------------------------
# Periods, calendar
# ---------------------------------------------------------------------------

PERIOD_A = (dt.date(2024, 1, 1), dt.date(2024, 9, 30))   # calibration period (Table 1)
PERIOD_B = (dt.date(2024, 10, 1), dt.date(2024, 12, 31))  # rest of the year

# Weekday public holidays in Madrid, 2024 (approximate list; no lists are scheduled then).
HOLIDAYS = [
    dt.date(2024, 1, 1), dt.date(2024, 3, 28), dt.date(2024, 3, 29), dt.date(2024, 5, 1),
    dt.date(2024, 5, 2), dt.date(2024, 5, 15), dt.date(2024, 7, 25), dt.date(2024, 8, 15),
    dt.date(2024, 11, 1), dt.date(2024, 12, 6), dt.date(2024, 12, 25),
]

# Procedures per specialty and period (Table 1: 1088 and 2285 in Jan-Sep).
VOLUME = {("cardiology", "A"): 1088, ("radiology", "A"): 2285,
          ("cardiology", "B"): 380, ("radiology", "B"): 790}


def working_days(first, last):
    days = []
    d = first
    while d <= last:
        if d.weekday() < 5 and d not in HOLIDAYS:
            days.append(d)
        d += dt.timedelta(days=1)
    return days


# ---------------------------------------------------------------------------
# Procedure types
#   kap: median KAP (Gy.cm2) and log-sd; ft: median fluoroscopy time (s);
#   kfl: share of KAP delivered in fluoroscopy; hfl: share of the operator's Hp(10)
#   received during fluoroscopy; hr: relative operator dose per unit KAP;
#   kar: Ka,r (mGy) per Gy.cm2; dur: typical room time (min); cx: weight for
#   getting a second operator; room: preferred room(s).
# ---------------------------------------------------------------------------

T = {}


def _t(name, spec, kap, sd, ft, kfl, hfl, hr, kar, dur, cx, rooms):
    T[name] = dict(spec=spec, kap=kap, sd=sd, ft=ft, kfl=kfl, hfl=hfl, hr=hr, kar=kar,
                   dur=dur, cx=cx, rooms=rooms)


CA, PCI, BIF, CTO = "coronary angiography", "PCI", 'PCI, bifurcation "kissing balloon"', "CTO PCI"
TAVI, PM, ICD, RHC = "TAVI", "pacemaker implantation", "ICD implantation", "right heart catheterisation"
MTEER, LAAC = "mitral edge-to-edge repair", "left atrial appendage closure"
BIL, NEPH, PTA = "biliary drainage", "percutaneous nephrostomy", "angioplasty, peripheral"
TACE, UAE, VEMB = "hepatic chemoembolisation (TACE)", "uterine artery embolisation", "visceral embolisation"
TIPS, PORT, GAST = "TIPS", "central venous port placement", "percutaneous gastrostomy"
SPIN, VERT, DNA = "spinal infiltration", "vertebroplasty", "diagnostic neuroangiography"
ANEU, THR = "aneurysm embolisation", "mechanical thrombectomy"

_t(CA, "cardiology", 32, 0.45, 230, 0.40, 0.70, 1.00, 11.0, 30, 1.0, ["CARD-3", "CARD-2", "CARD-1"])
_t(PCI, "cardiology", 75, 0.45, 700, 0.50, 0.70, 0.95, 10.0, 55, 2.0, ["CARD-2", "CARD-1", "CARD-3"])
_t(BIF, "cardiology", 115, 0.40, 1150, 0.50, 0.70, 0.95, 10.0, 80, 3.0, ["CARD-1", "CARD-2"])
_t(CTO, "cardiology", 170, 0.40, 2300, 0.55, 0.75, 0.85, 9.0, 140, 4.0, ["CARD-1"])
_t(TAVI, "cardiology", 65, 0.40, 850, 0.55, 0.75, 1.30, 8.0, 90, 4.0, ["CARD-1"])
_t(PM, "cardiology", 4.5, 0.60, 320, 0.92, 0.95, 3.50, 7.0, 60, 0.4, ["CARD-3"])
_t(ICD, "cardiology", 6.5, 0.60, 420, 0.92, 0.95, 3.20, 7.0, 70, 0.5, ["CARD-3"])
_t(RHC, "cardiology", 7.0, 0.50, 180, 0.85, 0.90, 1.80, 8.0, 35, 0.3, ["CARD-2", "CARD-3"])
_t(MTEER, "cardiology", 45, 0.45, 1700, 0.70, 0.80, 1.20, 8.0, 120, 4.0, ["CARD-1"])
_t(LAAC, "cardiology", 38, 0.45, 850, 0.60, 0.80, 1.20, 8.0, 75, 3.0, ["CARD-1"])

_t(BIL, "radiology", 16, 0.45, 620, 0.85, 0.92, 4.00, 5.0, 45, 1.0, ["RAD-1"])
_t(NEPH, "radiology", 9, 0.55, 300, 0.85, 0.92, 2.20, 5.0, 30, 0.5, ["RAD-1"])
_t(PTA, "radiology", 45, 0.55, 900, 0.45, 0.75, 0.45, 4.5, 55, 1.5, ["RAD-1", "RAD-2"])
_t(TACE, "radiology", 110, 0.50, 1150, 0.40, 0.70, 0.35, 4.0, 75, 2.0, ["RAD-1"])
_t(UAE, "radiology", 120, 0.50, 1400, 0.40, 0.70, 0.35, 4.0, 75, 2.0, ["RAD-1"])
_t(VEMB, "radiology", 100, 0.55, 1300, 0.45, 0.70, 0.40, 4.0, 70, 2.5, ["RAD-1", "RAD-2"])
_t(TIPS, "radiology", 180, 0.45, 2300, 0.50, 0.75, 0.35, 4.0, 120, 3.0, ["RAD-1"])
_t(PORT, "radiology", 2.0, 0.60, 60, 0.95, 0.97, 2.50, 5.0, 25, 0.2, ["RAD-1"])
_t(GAST, "radiology", 5.0, 0.60, 200, 0.90, 0.95, 2.00, 5.0, 30, 0.3, ["RAD-1"])
_t(SPIN, "radiology", 6.0, 0.45, 55, 0.80, 0.90, 2.20, 8.0, 20, 0.3, ["RAD-2"])
_t(VERT, "radiology", 28, 0.50, 600, 0.80, 0.90, 1.00, 6.0, 60, 1.0, ["RAD-2"])
_t(DNA, "radiology", 110, 0.40, 480, 0.25, 0.55, 0.08, 3.0, 45, 0.8, ["RAD-2"])
_t(ANEU, "radiology", 190, 0.45, 2000, 0.35, 0.65, 0.20, 3.0, 150, 3.0, ["RAD-2"])
_t(THR, "radiology", 150, 0.45, 1500, 0.35, 0.65, 0.25, 3.0, 100, 3.0, ["RAD-2"])

CARD_ALL = [CA, PCI, BIF, CTO, TAVI, PM, ICD, RHC, MTEER, LAAC]
IR_ALL = [BIL, NEPH, PTA, TACE, UAE, VEMB, TIPS, PORT, GAST]
NEURO_ALL = [SPIN, VERT, DNA, ANEU, THR]

MIX = {
    "structural": {CA: .25, PCI: .28, BIF: .08, CTO: .10, TAVI: .17, MTEER: .06, LAAC: .06},
    "coronary": {CA: .46, PCI: .34, BIF: .05, CTO: .02, RHC: .06, TAVI: .05, PM: .02},
    "coronary+devices": {CA: .40, PCI: .20, PM: .24, ICD: .10, RHC: .06},
    "coronary-junior": {CA: .58, PCI: .32, RHC: .10},
    "ir": {BIL: .06, NEPH: .12, PTA: .22, TACE: .12, UAE: .06, VEMB: .08, TIPS: .04, PORT: .19, GAST: .11},
    "ir-nobil": {NEPH: .16, PTA: .25, TACE: .11, UAE: .05, VEMB: .08, TIPS: .03, PORT: .20, GAST: .12},
    "ir-drainage": {BIL: .10, NEPH: .20, PORT: .15, GAST: .10, PTA: .25, VEMB: .08, TACE: .07, UAE: .05},
    "neuro": {SPIN: .40, DNA: .30, VERT: .10, ANEU: .10, THR: .10},
}

# ---------------------------------------------------------------------------
# Operators and their design targets.
#   A: Jan-Sep: n (procedures), s (of which as second operator), H (sum Hp(10), uSv),
#      p (PDE/KAP, uSv/(Gy.cm2), ratio of sums), r (% of reference, ratio of sums).
#   B: Oct-Dec: n, s, H; Y: full-year p and r.
# The Jan-Sep values are chosen so that the type-7 quartiles per specialty give Table 1;
# the full-year values so that the alerts tell the paper's story (README.md).
# ---------------------------------------------------------------------------

OPERATORS = [
    # id,      specialty,   subspecialty,               name,                 mix
    ("CARD-A", "cardiology", "interventional cardiology", "Marta Oyarzun", "coronary"),
    ("CARD-B", "cardiology", "structural heart", "Joaquin Berrocal", "structural"),
    ("CARD-C", "cardiology", "interventional cardiology", "Elena Sagasta", "coronary"),
    ("CARD-D", "cardiology", "interventional cardiology", "Tomas Landaluce", "coronary"),
    ("CARD-E", "cardiology", "interventional cardiology and devices", "Ines Carrascal", "coronary+devices"),
    ("CARD-F", "cardiology", "interventional cardiology", "Rafael Quintanar", "structural"),
    ("CARD-G", "cardiology", "interventional cardiology", "Nuria Albendea", "coronary"),
    ("CARD-H", "cardiology", "interventional cardiology", "Pablo Echarri", "coronary"),
    ("CARD-I", "cardiology", "interventional cardiology", "Sara Villaumbrosa", "coronary-junior"),
    ("RAD-A", "radiology", "interventional radiology", "Diego Arrieta", "ir"),
    ("RAD-B", "radiology", "interventional radiology", "Lucia Mendiluce", "ir-nobil"),
    ("RAD-C", "radiology", "neuroradiology", "Alvaro Ibarrola", "neuro"),
    ("RAD-D", "radiology", "interventional radiology", "Carmen Zubiri", "ir"),
    ("RAD-E", "radiology", "interventional radiology", "Jorge Azpilicueta", "ir-nobil"),
    ("RAD-F", "radiology", "interventional radiology", "Beatriz Olano", "ir-drainage"),
    ("RAD-G", "radiology", "neuroradiology", "Hector Garmendia", "neuro"),
    ("RAD-H", "radiology", "interventional radiology", "Irene Lasuen", "ir"),
    ("RAD-I", "radiology", "neuroradiology", "Miguel Orbegozo", "neuro"),
    ("RAD-J", "radiology", "interventional radiology", "Paula Ugalde", "ir"),
    ("RAD-K", "radiology", "neuroradiology", "Andres Zaldua", "neuro"),
    ("RAD-L", "radiology", "interventional radiology", "Clara Berasategui", "ir"),
]

TARGET = {
    # Jan-Sep: n, s, H, p, r            Oct-Dec: n, s, H      full year: p, r
    "CARD-A": dict(A=(144, 15, 2400.00, 0.290, 14.3), B=(44, 4, 726.00), Y=(0.280, 13.9)),
    "CARD-B": dict(A=(100, 10, 2600.00, 0.330, 14.7), B=(30, 3, 780.00), Y=(0.330, 14.0)),
    "CARD-C": dict(A=(260, 20, 3710.00, 0.232, 10.2), B=(80, 5, 1152.00), Y=(0.235, 10.4)),
    "CARD-D": dict(A=(110, 30, 1500.00, 0.160, 4.2), B=(34, 6, 469.20), Y=(0.165, 4.4)),
    "CARD-E": dict(A=(156, 4, 3430.00, 0.400, 17.6), B=(48, 1, 1032.00), Y=(0.410, 17.3)),
    "CARD-F": dict(A=(158, 10, 1970.00, 0.248, 11.6), B=(50, 3, 630.00), Y=(0.250, 11.5)),
    "CARD-G": dict(A=(118, 25, 1650.00, 0.198, 5.1), B=(36, 5, 507.60), Y=(0.200, 5.2)),
    "CARD-H": dict(A=(166, 10, 2710.00, 0.214, 5.9), B=(52, 3, 842.40), Y=(0.220, 6.2)),
    "CARD-I": dict(A=(0, 0, 0.0, None, None), B=(42, 6, 588.00), Y=(0.220, 9.0)),
    "RAD-A": dict(A=(211, 25, 3629.20, 0.360, 16.8), B=(70, 10, 1190.00), Y=(0.355, 17.0)),
    "RAD-B": dict(A=(262, 0, 6150.00, 0.465, 23.2), B=(88, 0, 2050.00), Y=(0.470, 22.8)),
    "RAD-C": dict(A=(460, 0, 3450.00, 0.170, 10.6), B=(150, 0, 1140.00), Y=(0.170, 10.8)),
    "RAD-D": dict(A=(205, 30, 2870.00, 0.270, 14.0), B=(68, 10, 965.60), Y=(0.275, 14.3)),
    "RAD-E": dict(A=(292, 0, 6300.00, 0.495, 23.9), B=(97, 0, 2100.00), Y=(0.502, 23.2)),
    "RAD-F": dict(A=(104, 20, 2470.00, 0.600, 21.8), B=(35, 6, 822.50), Y=(0.580, 21.5)),
    "RAD-G": dict(A=(400, 18, 3770.80, 0.140, 8.5), B=(125, 7, 1187.50), Y=(0.145, 8.7)),
    "RAD-H": dict(A=(128, 25, 2515.20, 0.310, 30.0), B=(43, 9, 834.20), Y=(0.310, 29.4)),
    "RAD-I": dict(A=(262, 25, 3280.00, 0.210, 12.0), B=(87, 9, 1104.90), Y=(0.215, 12.2)),
    "RAD-J": dict(A=(104, 30, 2145.00, 0.415, 19.5), B=(35, 10, 707.00), Y=(0.410, 19.8)),
    "RAD-K": dict(A=(100, 70, 650.00, None, None), B=(30, 22, 204.00), Y=(None, None)),
    "RAD-L": dict(A=(0, 0, 0.0, None, None), B=(55, 10, 660.00), Y=(0.250, 13.0)),
}

# Operators whose procedure-type breakdown is part of the story: fixed numbers of
# procedures per type group, and fixed shares of Hp(10) and KAP per group (both periods,
# so the full-year shares are the same).
#   group name -> (types, n in A, n in B, share of Hp(10), share of KAP)
STORY = {
    "RAD-C": [  # the Figure 2 neuroradiologist
        ("spinal", [SPIN], 290, 95, 0.75, 0.10),
        ("angio", [DNA], 115, 37, 0.08, 0.65),
        ("other", [VERT, ANEU, THR], 55, 18, 0.17, 0.25),
    ],
    "RAD-B": [  # 8.2 mSv, PDE/KAP 0.47
        ("biliary", [BIL], 22, 7, 0.17, 0.025),
        ("other", None, 240, 81, 0.83, 0.975),
    ],
    "RAD-E": [  # 8.4 mSv, PDE/KAP 0.50
        ("biliary", [BIL], 25, 8, 0.17, 0.025),
        ("other", None, 267, 89, 0.83, 0.975),
    ],
}
STORY_OTHER_TYPES = {"RAD-C": {VERT: 20, ANEU: 18, THR: 17}}  # counts in A; B scaled below
STORY_OTHER_TYPES_B = {"RAD-C": {VERT: 7, ANEU: 6, THR: 5}}

# Second operators work within their own domain.
DOMAIN = {"structural": CARD_ALL, "coronary": CARD_ALL, "coronary+devices": CARD_ALL,
          "coronary-junior": CARD_ALL, "ir": IR_ALL, "ir-nobil": IR_ALL, "ir-drainage": IR_ALL, "neuro": NEURO_ALL}

# Share of procedures with no RDSR (empty KAP and its parts, fluoroscopy time, Ka,r)
# and with no reference dosimeter reading.
MISSING_KAP = {"A": 34, "B": 12}
MISSING_REF = {"A": 15, "B": 5}

# Dosimeter memory read-outs: stored sum lost a little to communication failures.
MAX_LOSS_DOSIMETER = "RS-i3-1016"   # RAD-G's dosimeter: 4.8 % of its memory reading lost
MAX_LOSS = 0.048

UID_ROOT = "1.2.826.0.1.3680043.10.543.2024."


# ---------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------


class Procedure:
    __slots__ = ("idx", "period", "spec", "ptype", "first", "second", "group", "date", "room",
                 "kap_raw", "kap", "kap_fac", "ft", "kar_fac", "ref_fac", "ref", "start",
                 "no_kap", "no_ref", "uid", "order_key", "ref_raw_val")


class Exposure:
    __slots__ = ("proc", "op", "role", "raw", "hfl", "h")


def build(rng):
    ops = {o[0]: dict(id=o[0], spec=o[1], sub=o[2], name=o[3], mix=o[4]) for o in OPERATORS}
    op_ids = [o[0] for o in OPERATORS]
    procs = []
    exposures = []

    for period in ("A", "B"):
        for spec in ("cardiology", "radiology"):
            spec_ops = [o for o in op_ids if ops[o]["spec"] == spec]
            # --- first operators and procedure types ---
            slots = []  # (op, group, type)
            for o in spec_ops:
                n, s = TARGET[o][period][0], TARGET[o][period][1]
                f = n - s
                if f <= 0:
                    continue
                if o in STORY:
                    for gname, types, na, nb, _, _ in STORY[o]:
                        cnt = na if period == "A" else nb
                        if types is not None and len(types) == 1:
                            slots += [(o, gname, types[0])] * cnt
                        elif o in STORY_OTHER_TYPES:
                            counts = STORY_OTHER_TYPES[o] if period == "A" else STORY_OTHER_TYPES_B[o]
                            for t in sorted(counts):
                                slots += [(o, gname, t)] * counts[t]
                        else:
                            mix = MIX[ops[o]["mix"]]
                            names = sorted(mix)
                            for _ in range(cnt):
                                slots.append((o, gname, rng.choice_weighted(names, [mix[k] for k in names])))
                else:
                    mix = MIX[ops[o]["mix"]]
                    names = sorted(mix)
                    for _ in range(f):
                        slots.append((o, "all", rng.choice_weighted(names, [mix[k] for k in names])))
            assert len(slots) == VOLUME[(spec, period)], (spec, period, len(slots))
            rng.shuffle(slots)
            spec_procs = []
            for o, gname, t in slots:
                p = Procedure()
                p.period, p.spec, p.ptype, p.first, p.second, p.group = period, spec, t, o, None, gname
                info = T[t]
                rooms = info["rooms"]
                # preferred room most of the time, otherwise one of the alternatives
                if len(rooms) == 1 or rng.random() < 0.8:
                    p.room = rooms[0]
                else:
                    p.room = rooms[1 + rng.below(len(rooms) - 1)]
                p.kap_raw = rng.lognormal(info["kap"], info["sd"])
                p.ft = rng.lognormal(info["ft"], 0.5)
                p.kar_fac = rng.lognormal(info["kar"], 0.25)
                p.ref_fac = rng.lognormal(2.2, 0.30)
                p.kap_fac = min(0.99, max(0.05, info["kfl"] + 0.06 * rng.normal()))
                p.no_kap = p.no_ref = False
                p.order_key = rng.random()
                spec_procs.append(p)
            # --- second operators ---
            for o in spec_ops:
                s = TARGET[o][period][1]
                if s == 0:
                    continue
                domain = DOMAIN[ops[o]["mix"]]
                cands = []
                for p in spec_procs:
                    if p.first != o and p.second is None and p.ptype in domain:
                        cands.append((rng.random() / T[p.ptype]["cx"], len(cands), p))
                cands.sort(key=lambda c: (c[0], c[1]))
                assert len(cands) >= s, (o, period)
                for _, _, p in cands[:s]:
                    p.second = o
            procs += spec_procs

    # --- missing RDSR / reference readings (never on the story operators' procedures) ---
    for period in ("A", "B"):
        elig = [p for p in procs if p.period == period and p.first not in STORY]
        order = list(range(len(elig)))
        rng.shuffle(order)
        for k in order[:MISSING_KAP[period]]:
            elig[k].no_kap = True
        rest = [k for k in order[MISSING_KAP[period]:]]
        for k in rest[:MISSING_REF[period]]:
            elig[k].no_ref = True

    # --- raw operator doses ---
    for p in procs:
        for role, o in (("first", p.first), ("second", p.second)):
            if o is None:
                continue
            e = Exposure()
            e.proc, e.op, e.role = p, o, role
            info = T[p.ptype]
            rf = 1.0 if role == "first" else 0.55
            e.raw = p.kap_raw * info["hr"] * rf * rng.lognormal(1.0, 0.55)
            e.hfl = min(0.995, max(0.3, info["hfl"] + 0.05 * rng.normal()))
            exposures.append(e)

    by_op_period = {}
    for e in exposures:
        by_op_period.setdefault((e.op, e.proc.period), []).append(e)

    # --- Hp(10): scale to the design sums exactly (integer hundredths of uSv) ---
    for o in op_ids:
        for period in ("A", "B"):
            ex = by_op_period.get((o, period), [])
            n_target = TARGET[o][period][0]
            assert len(ex) == n_target, (o, period, len(ex), n_target)
            if not ex:
                continue
            total_c = cents(TARGET[o][period][2])
            if o in STORY:
                groups = []
                acc = 0
                for i, (gname, _, _, _, hshare, _) in enumerate(STORY[o]):
                    gc = total_c - acc if i == len(STORY[o]) - 1 else int(round(total_c * hshare))
                    acc += gc
                    groups.append(([e for e in ex if e.proc.group == gname], gc))
            else:
                groups = [(ex, total_c)]
            for gex, gc in groups:
                raw_sum = 0.0
                for e in gex:
                    raw_sum += e.raw
                for e in gex:
                    e.h = cents(e.raw * gc / raw_sum / 100.0)
                diff = gc - sum(e.h for e in gex)
                big = max(range(len(gex)), key=lambda k: (gex[k].h, -k))
                gex[big].h += diff
                assert gex[big].h >= 0

    # --- KAP: solve per-group scale factors so each operator's PDE/KAP hits its target ---
    def h_sum(ex, need):
        return sum(e.h for e in ex if not getattr(e.proc, need)) / 100.0

    def groups_for(o, period):
        """[(key, members-exposures, kap-share or None)] for operator o."""
        ex = by_op_period.get((o, period), [])
        if o in STORY:
            return [((o, g[0]), [e for e in ex if e.proc.group == g[0]], g[5]) for g in STORY[o]]
        return [((o, "all"), ex, None)]

    realised_kap_a = {}
    for period in ("A", "B"):
        targets = {}
        members = {}
        for o in op_ids:
            ex = by_op_period.get((o, period), [])
            if not ex:
                continue
            hk = h_sum(ex, "no_kap")
            if TARGET[o]["Y"][0] is None:  # free: KAP as it comes (typical scale factor)
                k_total = None
            elif period == "A":
                k_total = hk / TARGET[o]["A"][3]
            else:
                hk_a = h_sum(by_op_period.get((o, "A"), []), "no_kap")
                k_total = (hk_a + hk) / TARGET[o]["Y"][0] - realised_kap_a.get(o, 0.0)
            for key, gex, share in groups_for(o, period):
                targets[key] = k_total if share is None else k_total * share
                members[key] = [e.proc for e in gex if not e.proc.no_kap]
        solve_scale(procs, period, targets, members, "kap_raw", "kap")
        for p in procs:
            if p.period == period:
                p.kap = None if p.no_kap else cents(p.kap)
        if period == "A":
            for o in op_ids:
                ex = by_op_period.get((o, "A"), [])
                realised_kap_a[o] = sum(e.proc.kap for e in ex if not e.proc.no_kap) / 100.0

    # --- reference dosimeter: proportional to KAP, scaled so % reference hits its target ---
    for p in procs:
        p.ref_raw_val = None
    realised_ref_a = {}
    for period in ("A", "B"):
        targets = {}
        members = {}
        for o in op_ids:
            ex = by_op_period.get((o, period), [])
            if not ex:
                continue
            hr = h_sum(ex, "no_ref")
            if TARGET[o]["Y"][1] is None:
                r_total = None
            elif period == "A":
                r_total = 100.0 * hr / TARGET[o]["A"][4]
            else:
                hr_a = h_sum(by_op_period.get((o, "A"), []), "no_ref")
                r_total = 100.0 * (hr_a + hr) / TARGET[o]["Y"][1] - realised_ref_a.get(o, 0.0)
            targets[(o, "all")] = r_total
            members[(o, "all")] = [e.proc for e in ex if not e.proc.no_ref]
        solve_scale(procs, period, targets, members, "ref_base", "ref", group_of=lambda p: (p.first, "all"))
        for p in procs:
            if p.period == period:
                p.ref = None if p.no_ref else cents(p.ref)
        if period == "A":
            for o in op_ids:
                ex = by_op_period.get((o, "A"), [])
                realised_ref_a[o] = sum(e.proc.ref for e in ex if not e.proc.no_ref) / 100.0
    return ops, op_ids, procs, exposures


def solve_scale(procs, period, targets, members, raw_attr, out_attr, group_of=None):
    """Find one scale factor per group key so that, for every key, the sum of out_attr over
    members[key] equals targets[key]. A procedure is scaled by the factor of the group its
    first operator (and type group) belongs to; its second operator's sums depend on that
    factor too, hence the fixed-point iteration (converges fast: second roles are few)."""
    if group_of is None:
        def group_of(p):
            return (p.first, p.group if p.first in STORY else "all")
    pp = [p for p in procs if p.period == period]
    if raw_attr == "ref_base":
        for p in pp:
            # proportional to KAP; with no RDSR the reference is still measured: typical KAP
            p.ref_raw_val = (p.kap / 100.0 if p.kap is not None else T[p.ptype]["kap"]) * p.ref_fac
        raw = {id(p): p.ref_raw_val for p in pp}
    else:
        raw = {id(p): getattr(p, raw_attr) for p in pp}
    factor = {k: 1.0 for k in targets}
    keys = [k for k in sorted(targets) if targets[k] is not None]
    free = [k for k in sorted(targets) if targets[k] is None]
    spec_of = {}
    for p in pp:
        spec_of[group_of(p)] = p.spec
    for _ in range(200):
        worst = 0.0
        for k in free:  # operators without a target get the median factor of their specialty
            fs = sorted(factor[j] for j in keys if spec_of.get(j) == spec_of.get(k))
            factor[k] = fs[len(fs) // 2] if len(fs) % 2 else 0.5 * (fs[len(fs) // 2 - 1] + fs[len(fs) // 2])
        for k in keys:
            own = 0.0
            other = 0.0
            for p in members[k]:
                v = raw[id(p)] * factor[group_of(p)]
                if group_of(p) == k:
                    own += v
                else:
                    other += v
            need = targets[k] - other
            assert need > 0 and own > 0, (k, targets[k], other, own)
            new = factor[k] * need / own
            worst = max(worst, abs(new / factor[k] - 1.0))
            factor[k] = new
        if worst < 1e-14:
            break
    for p in pp:
        setattr(p, out_attr, raw[id(p)] * factor[group_of(p)])


def schedule(rng, procs):
    """Days: each room's procedures of a period spread evenly over the period's working days
    (in shuffled order, so a day has floor or ceil of the mean). Start times: per room and
    day, procedures one after another from about 08:00."""
    by_room = {}
    for p in procs:
        by_room.setdefault((p.period, p.room), []).append(p)
    for (period, room) in sorted(by_room):
        first_day, last_day = PERIOD_A if period == "A" else PERIOD_B
        days = working_days(first_day, last_day)
        rng.shuffle(days)
        lst = sorted(by_room[(period, room)], key=lambda p: p.order_key)
        for i, p in enumerate(lst):
            p.date = days[i % len(days)]
    by_room_day = {}
    for p in procs:
        by_room_day.setdefault((p.date, p.room), []).append(p)
    for key in sorted(by_room_day):
        lst = sorted(by_room_day[key], key=lambda p: p.order_key)
        t = 8 * 60 + rng.below(25)
        for p in lst:
            p.start = dt.datetime.combine(p.date, dt.time(t // 60, t % 60))
            dur = int(rng.lognormal(T[p.ptype]["dur"], 0.3)) + 8 + rng.below(10)
            t += dur


def write(out, ops, op_ids, procs, exposures, rng):
    procs.sort(key=lambda p: (p.start, p.room))
    for i, p in enumerate(procs, 1):
        p.uid = UID_ROOT + str(i)

    def opener(name):
        return open(os.path.join(out, name), "w", encoding="utf-8", newline="")

    with opener("procedures.csv") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["study_uid", "started_at", "room", "specialty", "procedure_type", "kap_gycm2",
                    "kap_fluoro_gycm2", "kap_acq_gycm2", "fluoro_time_s", "ka_rp_mgy",
                    "ref_dosimeter_usv"])
        for p in procs:
            if p.kap is None:
                kap = kfl = kacq = ft = kar = ""
            else:
                kfl_c = int(round(p.kap * p.kap_fac))
                kap, kfl, kacq = fmt_cents(p.kap), fmt_cents(kfl_c), fmt_cents(p.kap - kfl_c)
                ft = str(max(5, int(round(p.ft))))
                kar = fmt_tenths(int(round(p.kap / 100.0 * p.kar_fac * 10.0)))
            ref = "" if p.ref is None else fmt_cents(p.ref)
            w.writerow([p.uid, p.start.strftime("%Y-%m-%dT%H:%M:%S"), p.room, p.spec, p.ptype,
                        kap, kfl, kacq, ft, kar, ref])

    dosimeter = {o: "RS-i3-%d" % (1001 + i) for i, o in enumerate(op_ids)}
    exposures.sort(key=lambda e: (e.proc.start, e.proc.room, 0 if e.role == "first" else 1))
    stored = {o: 0 for o in op_ids}
    with opener("exposures.csv") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["study_uid", "operator_id", "dosimeter_id", "role", "hp10_usv",
                    "hp10_fluoro_usv", "hp10_acq_usv"])
        for e in exposures:
            hfl = int(round(e.h * e.hfl))
            stored[e.op] += e.h
            w.writerow([e.proc.uid, e.op, dosimeter[e.op], e.role, fmt_cents(e.h), fmt_cents(hfl),
                        fmt_cents(e.h - hfl)])

    with opener("operators.csv") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["operator_id", "specialty", "subspecialty", "name"])
        for o in op_ids:
            w.writerow([o, ops[o]["spec"], ops[o]["sub"], ops[o]["name"]])

    with opener("memory.csv") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["dosimeter_id", "read_at", "cumulative_usv", "period_from", "period_to"])
        for i, o in enumerate(op_ids):
            d = dosimeter[o]
            loss = MAX_LOSS if d == MAX_LOSS_DOSIMETER else rng.uniform(0.0, 0.04)
            mem = int(round(stored[o] / (1.0 - loss)))
            read_at = dt.datetime(2025, 1, 8 + i // 7, 9 + (i % 7), 5 * (i % 12), 0)
            w.writerow([d, read_at.strftime("%Y-%m-%dT%H:%M:%S"), fmt_cents(mem),
                        "2024-01-01", "2024-12-31"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)),
                    help="output folder (default: this script's folder)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = Rng(SEED)
    ops, op_ids, procs, exposures = build(rng)
    schedule(rng, procs)
    write(args.out, ops, op_ids, procs, exposures, rng)


if __name__ == "__main__":
    main()
