#!/usr/bin/env python3
"""IMATKit side by side with the tools users would pick instead, on the same phantom volumes, in one run.

Speed: each Python tool classifies the T1w intensities inside labels 44–47 (pooled) of one 256×256×120
participant (Benchmarks/.data/nifti/P0001), best and median of repeated in-process runs; with --imatkit-results
(the Swift suite's results, Benchmarks/run.sh) the ratios to IMATKit's fits on the same voxels follow.
Defaults: the default Dixon and T1w `imat analyze` against the plain Python Dixon pipeline (plain_dixon.py) and
the MuscleMap-style GMM pipeline, with imat's plain F/(F+W) as the Dixon floor, process wall time.
End to end: a MuscleMap-style Python pipeline (musclemap_style.py) against `imat analyze`, process wall time.
Accuracy: every tool's classes scored against truth.json on a few more participants (fixed seeds), with
accuracy.py's scoring: absolute error of fat_fraction_mean and of the hard IMAT fraction per muscle.
Association: the lines of Benchmarks/association.sh (statsmodels Logit against `imat associate`), if given.

Usage (Benchmarks/compare.sh builds imat, prepares the data and runs this):
  compare.py --imat IMAT --participant DIR [--imatkit-results SUITE_JSON] [--association TEXT] [--out MD]
Writes the markdown table to stdout and to --out (default Benchmarks/compare-results.md).
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import nibabel as nib
import numpy as np
import SimpleITK as sitk
from skimage.filters import threshold_multiotsu
from threadpoolctl import threadpool_info

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from accuracy import region_errors  # noqa: E402
from musclemap_style import Classes, fit_gmm, fit_kmeans, metrics  # noqa: E402

MUSCLE_LABELS = (44, 45, 46, 47)
ACCURACY_SEED = 11  # imat phantom --seed: the accuracy participants are the same on every run
TARGETS = {"gmm": ">= 200", "kmeans": ">= 50", "multiotsu": "> 1", "end to end": ">= 20"}  # speed-ups over IMATKit


# ---------- shared helpers: timing, data, scoring, formatting ----------

@dataclass
class Timing:
    best: float
    median: float
    runs: int


def time_call(run, repeats, budget):
    """Best and median seconds of `run()` over `repeats` calls (at least 3, fewer when `budget` seconds are
    spent), and the last result."""
    seconds, result = [], None
    while len(seconds) < repeats and (len(seconds) < 3 or sum(seconds) < budget):
        start = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - start)
    return Timing(min(seconds), statistics.median(seconds), len(seconds)), result


def time_command(command, repeats, budget):
    timing, _ = time_call(lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL,
                                                 stderr=subprocess.DEVNULL), repeats, budget)
    return timing


@dataclass
class Participant:
    folder: Path
    t1: np.ndarray  # float64, as nibabel's get_fdata gives it (and MuscleMap uses it)
    labels: np.ndarray
    voxel_ml: float
    names: dict
    truth: dict

    @classmethod
    def load(cls, folder):
        folder = Path(folder)
        image = nib.load(folder / "t1.nii.gz")
        scan = json.loads((folder / "scan.json").read_text())
        truth_path = folder / "truth.json"
        return cls(folder, image.get_fdata(), np.asarray(nib.load(folder / "mask.nii.gz").dataobj),
                   float(np.prod(image.header.get_zooms()[:3])) / 1000,
                   {int(k): v for k, v in scan.get("labels", {}).items()},
                   json.loads(truth_path.read_text()) if truth_path.exists() else None)

    def muscle_voxels(self):
        """The pooled T1w intensities inside labels 44–47: the voxels IMATKit classifies."""
        return self.t1[(self.labels >= MUSCLE_LABELS[0]) & (self.labels <= MUSCLE_LABELS[-1])]

    def voxels_by_label(self):
        return {label: self.t1[self.labels == label] for label in MUSCLE_LABELS if np.any(self.labels == label)}


@dataclass
class Errors:
    """Absolute errors over every (participant, muscle): fat_fraction_mean and hard IMAT fraction."""
    ff: list
    ff_signed: list
    hard: list

    @classmethod
    def of(cls, pairs):
        """`pairs`: (truth.json, metrics) per participant."""
        ff, hard = [], []
        for truth, result in pairs:
            for name, (ff_error, hard_error) in region_errors(truth, result).items():
                if name != "total":
                    ff.append(ff_error)
                    hard.append(hard_error)
        return cls([abs(e) for e in ff], ff, [abs(e) for e in hard])

    def cells(self):
        return [f"{np.mean(self.ff):.4f}", f"{max(self.ff):.4f}", f"{np.mean(self.ff_signed):+.4f}",
                f"{np.mean(self.hard):.4f}", f"{max(self.hard):.4f}"]


def fitted_metrics(participant, fit, scope):
    """metrics.json-shaped result of `fit(values) -> Classes`, fitted to all muscles together or to each alone."""
    by_label = participant.voxels_by_label()
    if scope == "pooled":
        shared = fit(participant.muscle_voxels())
        classes = {label: shared for label in by_label}
    else:
        classes = {label: fit(values) for label, values in by_label.items()}
    return metrics(by_label, classes, participant.voxel_ml, participant.names)


def seconds(x):
    return f"{x * 1e3:.1f} ms" if x < 1 else f"{x:.2f} s"


def ratio(numerator, denominator):
    return f"{numerator / denominator:.0f}×" if numerator / denominator >= 10 else f"{numerator / denominator:.1f}×"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]


# ---------- the Python tools: one function each, values → Classes ----------

def sklearn_gmm_musclemap(values):
    """MuscleMap's GaussianMixture (n_init=20); random_state fixed so that the accuracy is reproducible."""
    return fit_gmm(values, random_state=0)


def sklearn_gmm_single_init(values):
    """The same model with scikit-learn's default single initialisation."""
    return fit_gmm(values, n_init=1, tol=1e-3, random_state=0)


def sklearn_gmm_converged(values):
    """EM run to convergence (IMATKit's tolerance, 1e-10 nats per voxel): MuscleMap's tol=1e-3 stops EM after
    a few iterations, short of the likelihood maximum."""
    return fit_gmm(values, n_init=1, tol=1e-10, max_iter=100_000, random_state=0)


def sklearn_kmeans_musclemap(values):
    return fit_kmeans(values, random_state=0)


def sklearn_kmeans_single_init(values):
    return fit_kmeans(values, n_init=1, random_state=0)


def sitk_otsu_multiple(values):
    """SimpleITK OtsuMultipleThresholds, 2 thresholds (3 classes), its default 128 bins, on the voxels as a
    one-row image."""
    image = sitk.GetImageFromArray(values.reshape(1, -1))
    otsu = sitk.OtsuMultipleThresholdsImageFilter()
    otsu.SetNumberOfThresholds(2)
    otsu.Execute(image)
    low, high = otsu.GetThresholds()
    return Classes.from_thresholds(values, low, high)


def sitk_scalar_kmeans(values):
    """SimpleITK ScalarImageKmeans, 3 classes, started from the medians of the intensity terciles."""
    image = sitk.GetImageFromArray(values.reshape(1, -1))
    kmeans = sitk.ScalarImageKmeansImageFilter()
    kmeans.SetClassWithInitialMean([float(q) for q in np.quantile(values, [1 / 6, 3 / 6, 5 / 6])])
    classes = kmeans.Execute(image)  # kept alive: the array view below does not own its memory
    return Classes.from_assignment(values, sitk.GetArrayViewFromImage(classes).ravel(), 3)


def skimage_multiotsu(values):
    """scikit-image threshold_multiotsu, 3 classes, its default 256 bins."""
    low, high = threshold_multiotsu(values, classes=3)
    return Classes.from_thresholds(values, low, high)


@dataclass
class Tool:
    name: str
    fit: object
    suite_benchmark: str = None  # the IMATKit benchmark timing the same fit from the volume and mask
    target: str = None

    @property
    def suite_selected(self):
        """The IMATKit benchmark timing the same fit from the selected voxels, as the Python tools start."""
        return f"{self.suite_benchmark} (selected voxels)"


PYTHON_TOOLS = [
    Tool("scikit-learn GaussianMixture(3), MuscleMap's parameters (n_init=20)", sklearn_gmm_musclemap,
         "gmm 3 components", "gmm"),
    Tool("scikit-learn GaussianMixture(3), 1 initialisation", sklearn_gmm_single_init, "gmm 3 components"),
    Tool("scikit-learn GaussianMixture(3), 1 initialisation, converged (tol=1e-10)", sklearn_gmm_converged,
         "gmm 3 components"),
    Tool("scikit-learn KMeans(3), MuscleMap's parameters (n_init=20)", sklearn_kmeans_musclemap,
         "k-means 3 clusters", "kmeans"),
    Tool("scikit-learn KMeans(3), 1 initialisation", sklearn_kmeans_single_init, "k-means 3 clusters"),
    Tool("SimpleITK ScalarImageKmeans, 3 classes", sitk_scalar_kmeans, "k-means 3 clusters"),
    Tool("SimpleITK OtsuMultipleThresholds, 2 thresholds", sitk_otsu_multiple, "multi-otsu 3 classes"),
    Tool("scikit-image threshold_multiotsu(classes=3)", skimage_multiotsu, "multi-otsu 3 classes", "multiotsu"),
]
PER_MUSCLE_TOOLS = [("MuscleMap-style: scikit-learn GMM per muscle, raw T1w", sklearn_gmm_musclemap),
                    ("scikit-learn GMM per muscle, raw T1w, converged (tol=1e-10)", sklearn_gmm_converged),
                    ("MuscleMap-style: scikit-learn KMeans per muscle, raw T1w", sklearn_kmeans_musclemap)]
# IMATKit's configurations, scored from `imat analyze` output: (row name, options).
IMATKIT_CONFIGS = [
    ("IMATKit gmm 3 classes (pooled, bias-corrected)", ["--method", "gmm", "--classes", "3"]),
    ("IMATKit gmm 3 classes, pooled, raw T1w", ["--method", "gmm", "--classes", "3", "--no-bias-correction"]),
    ("IMATKit gmm 3 classes per muscle, raw T1w (MuscleMap's way)",
     ["--method", "gmm", "--classes", "3", "--per-muscle-fit", "--no-bias-correction"]),
    ("IMATKit kmeans 3 classes (pooled, bias-corrected)", ["--method", "kmeans", "--classes", "3"]),
    ("IMATKit kmeans 3 classes, pooled, raw T1w", ["--method", "kmeans", "--classes", "3", "--no-bias-correction"]),
    ("IMATKit otsu 3 classes (pooled, bias-corrected)", ["--method", "otsu", "--classes", "3"]),
    ("IMATKit otsu 3 classes, pooled, raw T1w", ["--method", "otsu", "--classes", "3", "--no-bias-correction"]),
    ("IMATKit pve (default for T1w alone)", ["--method", "pve"]),
    ("IMATKit default (auto: Dixon here)", []),
]


# ---------- the sections ----------

def read_suite_medians(path):
    """Median wall clock in seconds per benchmark name from the Swift suite's results: Benchmarks/.results/
    suite.json (Benchmarks/run.sh: wallClock p50 in ns) or package-benchmark's JMH export (names
    package.benchmark.TARGET.NAME with spaces as underscores, which the suite's names have none of; μs)."""
    data = json.loads(Path(path).read_text())
    if isinstance(data, dict) and "benchmarks" in data:
        return {name: m["wallClock"]["p50"] / 1e9 for name, m in data["benchmarks"].items() if "wallClock" in m}
    if isinstance(data, list) and data and "secondaryMetrics" in data[0]:
        return {e["benchmark"].split(".", 3)[-1].replace("_", " "): e["secondaryMetrics"]["Time (wall clock)"]
                ["scorePercentiles"]["50.0"] / 1e6 for e in data if "Time (wall clock)" in e["secondaryMetrics"]}
    sys.exit(f"{path}: neither the suite's suite.json (Benchmarks/run.sh) nor package-benchmark's JMH export")


def suite_median(medians, name):
    return (medians or {}).get(name)


def classifier_section(speed, accuracy_set, suite, args):
    """Algorithm level: each tool on the pooled muscle voxels of the speed participant, and its accuracy."""
    voxels = speed.muscle_voxels()
    select, _ = time_call(speed.muscle_voxels, args.repeats, args.budget)
    header = ["tool", "fit: best", "median", "IMATKit from the selected voxels", "ratio", "IMATKit from the volume",
              "ratio incl. selection",
              "ff abs err: mean", "worst", "ff bias", "hard IMAT abs err: mean", "worst"]
    rows, ratios = [], []
    for tool in PYTHON_TOOLS:
        timing, _ = time_call(lambda: tool.fit(voxels), args.repeats, args.budget)
        errors = Errors.of((p.truth, fitted_metrics(p, tool.fit, "pooled")) for p in accuracy_set)
        selected, volume = suite_median(suite, tool.suite_selected), suite_median(suite, tool.suite_benchmark)
        cells = [seconds(selected) if selected else "–", ratio(timing.median, selected) if selected else "–",
                 seconds(volume) if volume else "–",
                 ratio(timing.median + select.median, volume) if volume else "–"]
        rows.append([tool.name, seconds(timing.best), seconds(timing.median)] + cells + errors.cells())
        if selected and tool.target:
            ratios.append((tool.name, tool.suite_selected, timing.median / selected, TARGETS[tool.target]))
        print(f"  {tool.name}: {seconds(timing.median)} median of {timing.runs}", file=sys.stderr)
    for name, fit in PER_MUSCLE_TOOLS:
        by_label = speed.voxels_by_label()
        timing, _ = time_call(lambda: [fit(v) for v in by_label.values()], args.repeats, args.budget)
        errors = Errors.of((p.truth, fitted_metrics(p, fit, "per muscle")) for p in accuracy_set)
        rows.append([name + " (4 fits)", seconds(timing.best), seconds(timing.median), "–", "–", "–", "–"] + errors.cells())
    for name, options in IMATKIT_CONFIGS:
        errors = Errors.of((p.truth, imat_metrics(args.imat, p.folder, options, args.work)) for p in accuracy_set)
        rows.append([name, "–", "–", "–", "–", "–", "–"] + errors.cells())
    rows.append(["numpy: select the muscle voxels from the volume (t1[mask])", seconds(select.best),
                 seconds(select.median), "–", "–", "–", "–", "", "", "", "", ""])
    for name in ("histogram (1 threads)", "otsu"):
        if suite_median(suite, name):
            rows.append([f"IMATKit suite: {name}", "–", "–", "–", "–", seconds(suite_median(suite, name)), "–",
                         "", "", "", "", ""])
    lines = [f"### Classifiers on the same voxels ({voxels.size:,} muscle voxels of {speed.folder.name}, "
             f"{'×'.join(map(str, speed.t1.shape))}; accuracy over {len(accuracy_set)} participants × 4 muscles)", ""]
    return lines + table(header, rows), ratios


def imat_metrics(imat, folder, options, work):
    out = Path(work) / "imat-accuracy" / "_".join(options or ["default"])
    subprocess.run([imat, "analyze", str(folder), "--out", str(out)] + options, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return json.loads((out / folder.name / "metrics.json").read_text())


def end_to_end_section(speed, args):
    """Process wall time on one participant: the MuscleMap-style Python pipeline against `imat analyze`."""
    folder, out = speed.folder, Path(args.work) / "end-to-end"
    python = {method: time_command([sys.executable, str(HERE / "musclemap_style.py"), str(folder / "t1.nii.gz"),
                                    str(folder / "mask.nii.gz"), str(out / f"python-{method}"), "--method", method],
                                   args.repeats, args.budget)
              for method in ("gmm", "kmeans")}
    # Every configuration but the pooled raw ones, which are there for accuracy.
    timed = [(name, options) for name, options in IMATKIT_CONFIGS
             if "--no-bias-correction" not in options or "--per-muscle-fit" in options]
    imat = [(name, options, time_command([args.imat, "analyze", str(folder), "--out", str(out / "imat")] + options,
                                         args.repeats, args.budget))
            for name, options in timed]
    rows = [[f"MuscleMap-style Python pipeline, {m} per muscle (musclemap_style.py)", seconds(t.best),
             seconds(t.median), t.runs, "–"] for m, t in python.items()]
    ratios = []
    for name, options, t in imat:
        method = options[1] if options and options[1] in python else None
        command = " ".join(["imat analyze"] + options)
        rows.append([f"`{command}`: {name.removeprefix('IMATKit ')}",
                     seconds(t.best), seconds(t.median), t.runs,
                     ratio(python[method].median, t.median) if method else "–"])
        if method and "--per-muscle-fit" not in options:
            ratios.append((f"MuscleMap-style {method} pipeline", f"imat analyze --method {method} --classes 3",
                           python[method].median / t.median, TARGETS["end to end"]))
    lines = [f"### End to end on {folder.name} ({'×'.join(map(str, speed.t1.shape))}): load T1w + mask, classify, "
             "write tissue and fat-fraction NIfTIs and metrics (process wall time)", ""]
    return lines + table(["command", "best", "median", "runs", "Python pipeline / this"], rows), ratios


def defaults_section(folder, args):
    """The default analyses as users run them, whole processes, each beside its Python peer: Dixon against the
    plain Python Dixon pipeline (plain_dixon.py), with the same plain F/(F+W) in imat as the floor
    (`--noise-correction off`); T1w against the MuscleMap-style GMM pipeline."""
    out = Path(args.work) / "defaults"
    # The T1w analysis sees only the T1w image and the mask (with water and fat present it would be Dixon).
    t1w = out / "t1w" / folder.name
    t1w.mkdir(parents=True)
    for name in ("t1.nii.gz", "mask.nii.gz", "scan.json"):
        (t1w / name).symlink_to(folder / name)
    imat = lambda source, *options: time_command([args.imat, "analyze", str(source), "--out", str(out / "imat"),
                                                  *options], args.repeats, args.budget)
    python = lambda script, *arguments: time_command([sys.executable, str(HERE / script), *map(str, arguments)],
                                                     args.repeats, args.budget)
    cases = [("Dixon (noise-corrected)", "`imat analyze`", imat(folder),
              "plain Python Dixon (plain_dixon.py)", python("plain_dixon.py", folder, out / "python-dixon")),
             ("Dixon, plain F/(F+W): the floor", "`imat analyze --noise-correction off`",
              imat(folder, "--noise-correction", "off"),
              "plain Python Dixon (plain_dixon.py)", python("plain_dixon.py", folder, out / "python-dixon")),
             ("T1w (pve, bias-corrected)", "`imat analyze`", imat(t1w),
              "MuscleMap-style GMM pipeline", python("musclemap_style.py", folder / "t1.nii.gz", folder / "mask.nii.gz",
                                                     out / "python-t1w", "--method", "gmm"))]
    rows = [[name, command, f"{seconds(ours.median)} ({seconds(ours.best)})", peer,
             f"{seconds(theirs.median)} ({seconds(theirs.best)})", ratio(theirs.median, ours.median)]
            for name, command, ours, peer, theirs in cases]
    lines = [f"### Default analyses on {folder.name}: whole processes, median (best) of up to {args.repeats}", ""]
    return lines + table(["default analysis", "command", "IMATKit", "Python peer", "peer", "peer / IMATKit"], rows)


def association_section(path, suite):
    text = Path(path).read_text().strip()
    lines = ["### Association: statsmodels Logit against IMATKit (Benchmarks/association.sh)", "", text]
    fit = suite_median(suite, "logistic: fit 30000x12 (+ reduced fit)")
    prepare = suite_median(suite, "logistic: prepare 30000x12")
    one_fit = re.search(r"one logistic fit on the prepared design \| ([\d.]+) ms", text)
    if fit and prepare:
        lines += ["", f"IMATKit in process (suite medians): prepare {seconds(prepare)}, fit + reduced fit {seconds(fit)}"
                  + (f"; statsmodels' one fit / IMATKit's two: {ratio(float(one_fit.group(1)) / 1e3, fit)}" if one_fit else "")]
    return lines


def target_lines(ratios, has_suite):
    lines = ["### Targets", "",
             "Medians. Per algorithm: the Python fit / IMATKit's suite time, both from the muscle voxels already "
             "selected into an array (IMATKit: histogram + fit). End to end: process wall time." + ("" if has_suite else
             " The per-algorithm targets need the suite's results (--imatkit-results)."), ""]
    for what, against, value, target in ratios:
        relation, threshold = target.split()
        met = value >= float(threshold) if relation == ">=" else value > float(threshold)
        lines.append(f"- {what} / {against}: {ratio(value, 1)} (target {relation.replace('>=', '≥')} {threshold}×: "
                     f"{'met' if met else 'NOT met'})")
    return lines


def machine_lines(imat, load_at_start, suite_path):
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    packages = ", ".join(f"{p} {version(p)}" for p in ("numpy", "scikit-learn", "SimpleITK", "scikit-image", "nibabel",
                                                       "scipy", "statsmodels", "pandas"))
    threads = ", ".join(sorted({f"{i['internal_api']} {i['num_threads']}" for i in threadpool_info()}))
    imat_version = subprocess.run([imat, "--version"], capture_output=True, text=True).stdout.strip()
    return [f"- date: {datetime.datetime.now().astimezone().isoformat(timespec='minutes')}",
            f"- machine: {os.cpu_count()} CPUs (nproc), {cpu}; 1-minute load average {load_at_start:.2f} at the "
            f"start, {os.getloadavg()[0]:.2f} at the end (the machine is shared: other work adds noise)",
            f"- IMATKit: imat {imat_version} (release build), default threads"
            + (f"; suite results {suite_path}, written {datetime.datetime.fromtimestamp(os.path.getmtime(suite_path)).astimezone().isoformat(timespec='minutes')}"
               if suite_path else ""),
            f"- Python {platform.python_version()}: {packages}; thread pools: {threads}"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--imat", required=True, help="the release imat binary")
    parser.add_argument("--participant", required=True, help="the speed participant (256×256×120 phantom)")
    parser.add_argument("--imatkit-results", help="the Swift suite's Benchmarks/.results/suite.json (or its JMH export)")
    parser.add_argument("--association", help="the output of Benchmarks/association.sh")
    parser.add_argument("--accuracy-participants", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=5, help="runs per timing (fewer past --budget seconds)")
    parser.add_argument("--budget", type=float, default=60)
    parser.add_argument("--out", default=str(HERE / "compare-results.md"))
    parser.add_argument("--defaults-only", action="store_true",
                        help="only the default analyses against their Python peers (Benchmarks/defaults.sh); prints, writes no file")
    args = parser.parse_args()
    if args.defaults_only:
        with tempfile.TemporaryDirectory() as work:
            args.work = work
            print("\n".join(defaults_section(Path(args.participant), args)))
        return
    suite = read_suite_medians(args.imatkit_results) if args.imatkit_results else None

    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as work:
        args.work = work
        accuracy_dir = Path(work) / "accuracy"
        subprocess.run([args.imat, "phantom", "--out", str(accuracy_dir), "--participants",
                        str(args.accuracy_participants), "--seed", str(ACCURACY_SEED), "--format", "nifti"],
                       check=True, stdout=subprocess.DEVNULL)
        accuracy_set = [Participant.load(p) for p in sorted(accuracy_dir.glob("P*"))]
        speed = Participant.load(args.participant)
        print("classifiers…", file=sys.stderr)
        classifiers, ratios = classifier_section(speed, accuracy_set, suite, args)
        print("end to end…", file=sys.stderr)
        defaults = defaults_section(speed.folder, args)
        end_to_end, e2e_ratios = end_to_end_section(speed, args)
        header = ["## IMATKit side by side with scikit-learn, SimpleITK, scikit-image and statsmodels", ""] \
            + machine_lines(args.imat, load_at_start, args.imatkit_results)
        sections = [header, defaults, classifiers, end_to_end, target_lines(ratios + e2e_ratios, suite is not None)]
        if args.association:
            sections.append(association_section(args.association, suite))
        sections.append(notes(accuracy_set, suite))
    text = "\n\n".join("\n".join(s) for s in sections) + "\n"
    print(text)
    Path(args.out).write_text(text)


def notes(accuracy_set, suite):
    shape = "×".join(map(str, accuracy_set[0].t1.shape))
    return ["### How to read this", "",
            f"- Accuracy participants: `imat phantom --participants {len(accuracy_set)} --seed {ACCURACY_SEED}` "
            f"({shape}, SNR 20, 40 % bias field); errors over every participant and muscle: mean, worst, and the "
            "mean signed error of fat_fraction_mean (bias).",
            "- Python tools classify raw T1w intensities (no bias correction), as MuscleMap does; their "
            "fat_fraction_mean uses IMATKit's rule for gmm/kmeans/otsu (two-compartment between the darkest and "
            "brightest class means), their hard IMAT fraction is the brightest class's share (MuscleMap's Fat %).",
            "- MuscleMap's GaussianMixture stops at tol=1e-3 (mean log-likelihood per voxel), after a few EM "
            "iterations; IMATKit's gmm iterates to 1e-10. The 'converged' rows run scikit-learn to the same "
            "tolerance and reproduce IMATKit's fat_fraction_mean errors. Their hard fractions still use MuscleMap's "
            "rule (fat from the smallest voxel of the brightest cluster), which breaks when the broad fat component "
            "also wins the far-dark tail: that muscle then reads 100 % fat (the worst hard error).",
            "- 'fit' times start from the muscle voxels already in a numpy array, and so does 'IMATKit from the "
            "selected voxels' (histogram of the array on one thread, then the fit). 'IMATKit from the volume' starts "
            "from the whole volume and label map, as `imat analyze` does, so its ratio adds numpy's selection of "
            "the voxels (t1[mask]) to the Python side.",
            "- End to end includes process start-up (Python imports, imat) and writing outputs; the pipeline and "
            "`imat analyze` write comparable files (two NIfTI maps and the metrics).",
            "- Without --imatkit-results (the Swift suite's results) the IMATKit columns of the first table stay "
            "empty." if suite is None else "- IMATKit columns: medians of the Swift suite (package-benchmark), "
            "from the file named at the top."]


if __name__ == "__main__":
    main()
