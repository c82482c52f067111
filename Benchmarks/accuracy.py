#!/usr/bin/env python3
"""Accuracy of `imat analyze` results against the phantom's ground truth.

Usage: accuracy.py SCANS RESULTS [LABEL]
  SCANS    folder of phantom participants (each with truth.json)
  RESULTS  folder of `imat analyze`/`imat batch` results (each with metrics.json)
Prints, per muscle, the mean and worst absolute error of fat_fraction_mean and of the hard IMAT
fraction (imat_fraction vs the truth's imat_fraction_hard) over the participants; standard library only.
"""
import json
import os
import sys


def region_errors(truth, metrics):
    """Signed errors (measured − true) of one participant's metrics against its truth.json, per region name
    (each muscle present in both, then "total"): (fat_fraction_mean error, hard IMAT fraction error).
    `metrics` has the shape of metrics.json: "muscles" (label, name, fat_fraction_mean, imat_fraction) and "total"."""
    truth_by_label = {m["label"]: m for m in truth["muscles"]}
    pairs = [(m["name"], truth_by_label[m["label"]], m) for m in metrics["muscles"] if m["label"] in truth_by_label]
    pairs.append(("total", truth["total"], metrics["total"]))
    return {name: (m["fat_fraction_mean"] - t["fat_fraction_mean"], m["imat_fraction"] - t["imat_fraction_hard"])
            for name, t, m in pairs}


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    scans, results = sys.argv[1], sys.argv[2]
    label = sys.argv[3] if len(sys.argv) == 4 else os.path.basename(os.path.normpath(results))
    errors = {}
    participants = 0
    method = "?"
    for pid in sorted(os.listdir(scans)):
        truth_path = os.path.join(scans, pid, "truth.json")
        metrics_path = os.path.join(results, pid, "metrics.json")
        if not (os.path.exists(truth_path) and os.path.exists(metrics_path)):
            continue
        truth = json.load(open(truth_path))
        metrics = json.load(open(metrics_path))
        method = f"{metrics['method']} ({metrics['source']}, {metrics['classes']} classes)"
        participants += 1
        for name, (ff_signed, hard_signed) in region_errors(truth, metrics).items():
            e = errors.setdefault(name, {"ff": [], "hard": [], "ff_signed": []})
            e["ff"].append(abs(ff_signed))
            e["ff_signed"].append(ff_signed)
            e["hard"].append(abs(hard_signed))
    if participants == 0:
        sys.exit(f"no participant has both {scans}/ID/truth.json and {results}/ID/metrics.json")
    print(f"{label}: {method}, {participants} participants")
    print(f"| muscle | fat_fraction_mean: mean abs error | worst | mean signed | hard IMAT fraction: mean abs error | worst |")
    print("|---|---|---|---|---|---|")
    for name, e in errors.items():
        n = len(e["ff"])
        print(f"| {name} | {sum(e['ff'])/n:.4f} | {max(e['ff']):.4f} | {sum(e['ff_signed'])/n:+.4f} | "
              f"{sum(e['hard'])/n:.4f} | {max(e['hard']):.4f} |")


if __name__ == "__main__":
    main()
