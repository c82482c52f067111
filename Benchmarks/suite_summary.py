#!/usr/bin/env python3
"""Summarises a package-benchmark JMH export of the speed suite as Markdown: median wall time, throughput and
peak memory per benchmark, then the ratios the targets are stated in (loaders against the libpng and zlib
floors, 1 → 2 thread speed-ups, analyze's peak memory against the bytes of the images it decodes).

Usage: suite_summary.py RESULTS.jmh.json PARTICIPANT_NIFTI_FOLDER
"""
import gzip
import json
import struct
import sys

VOXELS = 256 * 256 * 120
PREFIX = "package.benchmark.IMATBenchmarks."
TARGETS = {"png": 1.3, "nifti": 1.2, "speedup": 1.7, "memory": 3.0}


def median(metric):
    return metric["scorePercentiles"]["50.0"]


def load(path):
    rows = {}
    for element in json.load(open(path)):
        name = element["benchmark"].removeprefix(PREFIX).replace("_", " ")
        secondary = element["secondaryMetrics"]
        rows[name] = {
            "wall_ms": median(secondary["Time (wall clock)"]) / 1e3,
            "cpu_ms": median(secondary["Time (total CPU)"]) / 1e3,
            "throughput": median(element["primaryMetric"]),
            "peak_mb": median(secondary["Memory (resident peak)"]) / 1e6,
            "delta_mb": median(secondary["Memory Δ (resident peak)"]) / 1e6,
        }
    return rows


def decoded_bytes(nifti_path):
    """Voxel bytes of a NIfTI-1 file in its stored type (dim[1..3] × bitpix/8), from its header."""
    with gzip.open(nifti_path) as f:
        header = f.read(348)
    dims = struct.unpack("<8h", header[40:56])
    bitpix = struct.unpack("<h", header[72:74])[0]
    return dims[1] * dims[2] * dims[3] * bitpix // 8


def verdict(ok):
    return "met" if ok else "**missed**"


def main(results_path, participant):
    rows = load(results_path)
    # JMH names have spaces replaced by underscores; "k-means", "nii.gz", "multi-otsu" keep their punctuation.
    print("| benchmark | median wall | median CPU | runs/s | volume voxels/s | peak resident | Δ peak resident |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in rows.items():
        voxels = "" if name.startswith(("logistic", "mixed")) else f"{VOXELS / r['wall_ms'] / 1e3:.0f} M"
        print(f"| {name} | {r['wall_ms']:.1f} ms | {r['cpu_ms']:.0f} ms | {r['throughput']:g} | {voxels} "
              f"| {r['peak_mb']:.0f} MB | {r['delta_mb']:.0f} MB |")

    def wall(name):
        return rows[name]["wall_ms"]

    print()
    print("| ratio | value | target | |")
    print("|---|---:|---:|---|")
    shape = "256x256x120"
    png = wall(f"load: png {shape} (1 threads)") / wall("floor: libpng decode 120 slices")
    print(f"| PNG load (1 thread) / libpng decode | {png:.2f} | ≤ {TARGETS['png']} | {verdict(png <= TARGETS['png'])} |")
    nifti = wall(f"load: nii.gz {shape} (1 threads)") / wall("floor: zlib inflate nii.gz")
    print(f"| .nii.gz load (1 thread) / zlib inflate | {nifti:.2f} | ≤ {TARGETS['nifti']} | {verdict(nifti <= TARGETS['nifti'])} |")
    stages = [f"load: png {shape}", "histogram", "bias correction", "dixon fat fraction", f"analyze one participant {shape}",
              f"load: nii.gz {shape}"]
    for stage in stages:
        one, two = f"{stage} (1 threads)", f"{stage} (2 threads)"
        if one in rows and two in rows:
            speedup = wall(one) / wall(two)
            serial = " (serial reader: no target)" if "nii.gz" in stage else ""
            status = "—" if serial else verdict(speedup >= TARGETS["speedup"])
            print(f"| {stage}: 1 → 2 threads{serial} | {speedup:.2f}× | ≥ {TARGETS['speedup']}× | {status} |")
    images = {role: decoded_bytes(f"{participant}/{role}.nii.gz") for role in ["water", "fat", "mask"]}
    decoded = sum(images.values())
    for threads in [1, 2]:
        r = rows[f"analyze one participant {shape} ({threads} threads)"]
        ratio, absolute = r["delta_mb"] * 1e6 / decoded, r["peak_mb"] * 1e6 / decoded
        print(f"| analyze ({threads} threads): Δ peak resident / decoded images ({decoded / 1e6:.1f} MB: water, fat, mask) "
              f"| {ratio:.2f} (absolute peak: {absolute:.2f}) | ≤ {TARGETS['memory']} | {verdict(ratio <= TARGETS['memory'])} |")


if __name__ == "__main__":
    main(*sys.argv[1:3])
