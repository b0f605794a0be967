#!/usr/bin/env python3
"""Copies a benchmark dataset with a fraction of its rows made bad, to time the direct-file
path on files that need rejections (the peers' job applies none, so this is dosecal alone).

    bench/dirty.py SRC DST FRACTION [--seed S]

SRC holds procedures.csv, exposures.csv and operators.csv in SPEC's format. In DST, each data
row is, with probability FRACTION, one of four bad rows in equal shares:
  procedures: started_at not a date, negative kap_gycm2, ka_rp_mgy not a number, or the row
              written twice (a duplicate study_uid, the second one rejected);
  exposures:  negative hp10_usv, hp10_usv not a number, hp10_fluoro_usv not a number, or the
              row written twice (a duplicate (study_uid, operator_id) pair).
Rows are read and written with Python's csv module, so quoted names keep their quoting.
operators.csv is linked, not copied. Standard library only.
"""
import argparse
import csv
import os
import random

BAD = {
    "procedures.csv": [("started_at", "2019-13-45T10:00:00"), ("kap_gycm2", "-3"), ("ka_rp_mgy", "abc"), None],
    "exposures.csv": [("hp10_usv", "-1.5"), ("hp10_usv", "n/a"), ("hp10_fluoro_usv", "x"), None],
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src")
    parser.add_argument("dst")
    parser.add_argument("fraction", type=float)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    os.makedirs(args.dst, exist_ok=True)
    rng = random.Random(args.seed)
    for name, kinds in BAD.items():
        made = 0
        with open(os.path.join(args.src, name), newline="") as f, \
                open(os.path.join(args.dst, name), "w", newline="") as g:
            reader, writer = csv.reader(f), csv.writer(g, lineterminator="\n")
            header = next(reader)
            writer.writerow(header)
            column = {c: i for i, c in enumerate(header)}
            for row in reader:
                if rng.random() < args.fraction:
                    made += 1
                    kind = kinds[rng.randrange(len(kinds))]
                    if kind is None:
                        writer.writerow(row)
                    else:
                        row[column[kind[0]]] = kind[1]
                writer.writerow(row)
        print(f"{name}: {made} bad rows")
    link = os.path.join(args.dst, "operators.csv")
    if not os.path.lexists(link):
        os.symlink(os.path.abspath(os.path.join(args.src, "operators.csv")), link)


if __name__ == "__main__":
    main()
