#!/usr/bin/env python3
"""Turns package-benchmark's encoded histograms (`--format histogramEncoded`, one JSON file per benchmark and
metric) into RESULTS/suite.json and prints the Markdown summary of suite-results.md: median wall time,
throughput and peak memory per benchmark, then the ratios the targets are stated in (loaders against the
libpng and igzip floors, 1 → 2 thread speed-ups, analyze's peak memory against the bytes of its images).

suite.json: {"benchmarks": {NAME: {METRIC: {"p0": …, "p25": …, "p50": …, "p75": …, "p90": …, "p99": …,
"p100": …, "samples": N}}}} with NAME exactly as registered and METRIC one of wallClock, cpuTotal (ns),
peakMemoryResident, peakMemoryResidentDelta (bytes), throughput (runs/s; absent for runs over 2 s, which
package-benchmark rounds to 0 runs/s and drops).

Usage: suite_summary.py HISTOGRAM_FOLDER RESULTS_FOLDER PARTICIPANT_NIFTI_FOLDER
"""
import glob
import gzip
import json
import math
import os
import struct
import sys

VOXELS = 256 * 256 * 120
PERCENTILES = [0, 25, 50, 75, 90, 99, 100]
TARGETS = {"png": 1.3, "nifti": 1.2, "speedup": 1.7, "memory": 2.0}


def value_at_index(h, index):
    """The lowest value an HdrHistogram counts array index stands for (HdrHistogram's valueFromIndex)."""
    half = 1 << h["subBucketHalfCountMagnitude"]
    bucket = (index >> h["subBucketHalfCountMagnitude"]) - 1
    sub = (index & (half - 1)) + half
    if bucket < 0:
        sub -= half
        bucket = 0
    return sub << (bucket + h["unitMagnitude"])


def percentile(h, p):
    """HdrHistogram's valueAtPercentile: the highest value equivalent to the p-th percentile's bucket (the
    lowest for p = 0)."""
    total = h["_totalCount"]
    wanted = max(1, int(p / 100 * total + 0.5))
    seen = 0
    for index, count in enumerate(h["counts"]):
        seen += count
        if count and seen >= wanted:
            low = value_at_index(h, index)
            if p == 0:
                return low
            return min(value_at_index(h, index + 1) - 1, h["maxValue"])
    return h["maxValue"]


def read_histograms(folder):
    """{benchmark name: {metric: percentiles}} from files named BASELINE.TARGET.NAME.METRIC.histogram.json, where
    NAME has its spaces replaced by underscores (the suite's names contain none of their own)."""
    results = {}
    for path in glob.glob(os.path.join(folder, "*.histogram.json")):
        stem = os.path.basename(path).removesuffix(".histogram.json")
        _, rest = stem.split(".IMATBenchmarks.", 1)
        name, metric = rest.rsplit(".", 1)
        h = json.load(open(path))
        if h["_totalCount"] == 0:
            continue
        entry = {f"p{p}": percentile(h, p) for p in PERCENTILES}
        entry["samples"] = h["_totalCount"]
        results.setdefault(name.replace("_", " "), {})[metric] = entry
    return dict(sorted(results.items()))


def decoded_bytes(nifti_path):
    """Voxel bytes of a NIfTI-1 file in its stored type (dim[1..3] × bitpix/8), from its header."""
    with gzip.open(nifti_path) as f:
        header = f.read(348)
    dims = struct.unpack("<8h", header[40:56])
    bitpix = struct.unpack("<h", header[72:74])[0]
    return dims[1] * dims[2] * dims[3] * bitpix // 8


def significant(value):
    """Three significant digits without an exponent: 0.862, 12.3, 596, 2517."""
    return f"{value:.{max(0, 2 - math.floor(math.log10(value)))}f}"


def verdict(ok):
    return "met" if ok else "**missed**"


def summarise(results, participant):
    def median(name, metric):
        return results[name][metric]["p50"]

    print("| benchmark | median wall | median CPU | runs/s (1 / median) | volume voxels/s | peak resident | Δ peak resident | samples |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        wall = r["wallClock"]["p50"] / 1e6
        voxels = "" if name.startswith(("logistic", "mixed")) else f"{VOXELS / wall / 1e3:.0f} M"
        print(f"| {name} | {significant(wall)} ms | {r['cpuTotal']['p50'] / 1e6:.0f} ms | {significant(1e3 / wall)} | {voxels} "
              f"| {r['peakMemoryResident']['p50'] / 1e6:.0f} MB | {r['peakMemoryResidentDelta']['p50'] / 1e6:.1f} MB "
              f"| {r['wallClock']['samples']} |")

    print()
    print("| ratio | value | target | |")
    print("|---|---:|---:|---|")
    shape = "256x256x120"

    def ratio(numerator, denominator):
        """The ratio of the two medians, or None when a benchmark was not run (--filter)."""
        if numerator in results and denominator in results:
            return median(numerator, "wallClock") / median(denominator, "wallClock")
        return None

    rows = [("PNG load (1 thread) / libpng decode", ratio(f"load: png {shape} (1 threads)", "floor: libpng decode 120 slices"),
             "≤", TARGETS["png"]),
            (".nii.gz load (1 thread) / igzip inflate", ratio(f"load: nii.gz {shape} (1 threads)", "floor: igzip inflate nii.gz"),
             "≤", TARGETS["nifti"])]
    for stage in [f"load: png {shape}", "histogram", "bias correction", "dixon fat fraction", f"analyze one participant {shape}",
                  f"analyze T1w default {shape}"]:
        rows.append((f"{stage}: 1 → 2 threads", ratio(f"{stage} (1 threads)", f"{stage} (2 threads)"), "≥", TARGETS["speedup"]))
    # gzip is one stream: the NIfTI reader has no parallel stage, so its pair is shown without a target.
    rows.append((f"load: nii.gz {shape}: 1 → 2 threads (serial reader)",
                 ratio(f"load: nii.gz {shape} (1 threads)", f"load: nii.gz {shape} (2 threads)"), None, None))
    for label, value, sense, target in rows:
        if value is None:
            print(f"| {label} | not run | | |")
        elif target is None:
            print(f"| {label} | {value:.2f} | — | — |")
        else:
            ok = value <= target if sense == "≤" else value >= target
            print(f"| {label} | {value:.2f} | {sense} {target} | {verdict(ok)} |")
    for analysis, roles in [("analyze one participant", ["water", "fat", "mask"]), ("analyze T1w default", ["t1", "mask"])]:
        decoded = sum(decoded_bytes(f"{participant}/{role}.nii.gz") for role in roles)
        for threads in [1, 2]:
            name = f"{analysis} {shape} ({threads} threads)"
            if name not in results:
                continue
            delta = median(name, "peakMemoryResidentDelta") / decoded
            absolute = median(name, "peakMemoryResident") / decoded
            print(f"| {analysis} ({threads} threads): Δ peak resident / decoded images ({decoded / 1e6:.1f} MB: {', '.join(roles)}) "
                  f"| {delta:.2f} (whole process: {absolute:.2f}) | ≤ {TARGETS['memory']} | {verdict(delta <= TARGETS['memory'])} |")


def main(histograms, output, participant):
    results = read_histograms(histograms)
    with open(os.path.join(output, "suite.json"), "w") as f:
        json.dump({"benchmarks": results}, f, indent=1)
    summarise(results, participant)


if __name__ == "__main__":
    main(*sys.argv[1:4])
