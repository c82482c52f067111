#!/usr/bin/env python3
"""A MuscleMap-style T1w fat analysis in Python: what `mm_extract_metrics -m gmm|kmeans -c 3` does.

Written after reading MuscleMap's scripts/mm_util.py (apply_clustering, calculate_thresholds,
calculate_metrics_thresholding; MuscleMap/MuscleMap on GitHub), not copied from it:
  - image and segmentation are loaded with nibabel's get_fdata (float64, both);
  - each label is clustered alone, on its raw intensities, by scikit-learn with MuscleMap's parameters:
    GaussianMixture(n_components=3, covariance_type="full", init_params="kmeans", tol=1e-3, n_init=20,
    max_iter=1000), or KMeans(n_clusters=3, init="k-means++", tol=1e-3, n_init=20, max_iter=1000);
  - the clusters are ranked by mean intensity: muscle up to the darkest cluster's maximum, fat from the
    brightest cluster's minimum, undefined between; the fat share is the voxels at or above that minimum.
MuscleMap reports class shares only. To score its classes like IMATKit's, the mean fat fraction here uses
IMATKit's rule for its gmm/kmeans/otsu methods: the two-compartment (I − μ_lean)/(μ_fat − μ_lean) between the
darkest and the brightest class means, averaged unclamped (the map is clamped to 0…1).

Usage: musclemap_style.py T1 MASK OUT_DIR [--method gmm|kmeans]
Writes OUT_DIR/tissue.nii.gz (uint8: 1 lean, 2 fat, 3 undefined, IMATKit's codes), fat_fraction.nii.gz
(float32), metrics.csv (';'-separated, as MuscleMap writes it) and metrics.json (metrics.json's shape).
"""
import argparse
import json
import os
from dataclasses import dataclass

import nibabel as nib
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture

MUSCLEMAP_GMM = dict(n_components=3, covariance_type="full", init_params="kmeans", tol=1e-3, n_init=20, max_iter=1000)
MUSCLEMAP_KMEANS = dict(n_clusters=3, init="k-means++", tol=1e-3, n_init=20, max_iter=1000)
TISSUE_LEAN, TISSUE_FAT, TISSUE_UNDEFINED = 1, 2, 3


@dataclass(frozen=True)
class Classes:
    """Three intensity classes: lean up to `lean_max`, fat from `fat_min`, undefined between; `lean_mean` and
    `fat_mean` are the two-compartment references of the fat fraction."""
    lean_max: float
    fat_min: float
    lean_mean: float
    fat_mean: float

    @classmethod
    def from_assignment(cls, values, assignment, count, means=None):
        """Ranks the clusters of a hard assignment by mean intensity (MuscleMap's calculate_thresholds). The
        references are the model's own class means when given (a mixture's component means), else the means
        of the assigned voxels (k-means' centres)."""
        clusters = sorted(((values[assignment == k], k) for k in range(count) if np.any(assignment == k)),
                          key=lambda c: c[0].mean())
        (lean, lean_k), (fat, fat_k) = clusters[0], clusters[-1]
        lean_mean, fat_mean = (means[lean_k], means[fat_k]) if means is not None else (lean.mean(), fat.mean())
        return cls(float(lean.max()), float(fat.min()), float(lean_mean), float(fat_mean))

    @classmethod
    def from_thresholds(cls, values, low, high):
        """Classes of two thresholds: lean below `low`, fat from `high` (np.digitize's convention)."""
        lean, fat = values[values < low], values[values >= high]
        return cls(float(np.nextafter(low, -np.inf)), float(high), float(lean.mean()), float(fat.mean()))

    def fat_fraction(self, values):
        span = self.fat_mean - self.lean_mean
        return (values - self.lean_mean) / span if span > 0 else np.zeros_like(values)


def fit_gmm(values, **overrides):
    x = values.reshape(-1, 1)
    params = {**MUSCLEMAP_GMM, **overrides}
    model = GaussianMixture(**params).fit(x)
    return Classes.from_assignment(values, model.predict(x), params["n_components"], model.means_.ravel())


def fit_kmeans(values, **overrides):
    x = values.reshape(-1, 1)
    params = {**MUSCLEMAP_KMEANS, **overrides}
    model = KMeans(**params).fit(x)
    return Classes.from_assignment(values, model.labels_, params["n_clusters"])


FITS = {"gmm": fit_gmm, "kmeans": fit_kmeans}


def composition(values, classes, voxel_ml):
    """One muscle's entry in metrics.json's shape."""
    fat = int(np.count_nonzero(values >= classes.fat_min))
    lean = int(np.count_nonzero(values <= classes.lean_max))
    n = values.size
    return {"voxels": n, "volume_ml": n * voxel_ml, "lean_ml": lean * voxel_ml, "fat_ml": fat * voxel_ml,
            "undefined_ml": (n - fat - lean) * voxel_ml, "imat_fraction": fat / n,
            "fat_fraction_mean": float(classes.fat_fraction(values).mean())}


def metrics(values_by_label, classes_by_label, voxel_ml, names=None):
    """metrics.json's "muscles" and "total" (voxel-weighted over the muscles) for fitted classes per label."""
    muscles = [{"label": label, "name": (names or {}).get(label, f"label {label}"),
                **composition(values, classes_by_label[label], voxel_ml)}
               for label, values in values_by_label.items()]
    voxels = sum(m["voxels"] for m in muscles)
    total = {key: sum(m[key] for m in muscles) for key in ("voxels", "volume_ml", "lean_ml", "fat_ml", "undefined_ml")}
    for key in ("imat_fraction", "fat_fraction_mean"):
        total[key] = sum(m[key] * m["voxels"] for m in muscles) / voxels
    return {"muscles": muscles, "total": total}


def analyse(t1_path, mask_path, out_dir, method):
    """The whole pipeline, as a user would run it on one participant."""
    image = nib.load(t1_path)
    t1 = image.get_fdata()
    labels = nib.load(mask_path).get_fdata()
    voxel_ml = float(np.prod(image.header.get_zooms()[:3])) / 1000
    tissue = np.zeros(t1.shape, dtype=np.uint8)
    fat_fraction = np.zeros(t1.shape, dtype=np.float32)
    values_by_label, classes_by_label = {}, {}
    for label in np.unique(labels):
        if label == 0:
            continue
        inside = labels == label
        values = t1[inside]
        classes = FITS[method](values)
        codes = np.full(values.shape, TISSUE_UNDEFINED, dtype=np.uint8)
        codes[values <= classes.lean_max] = TISSUE_LEAN
        codes[values >= classes.fat_min] = TISSUE_FAT
        tissue[inside] = codes
        fat_fraction[inside] = np.clip(classes.fat_fraction(values), 0, 1)
        values_by_label[int(label)], classes_by_label[int(label)] = values, classes
    result = metrics(values_by_label, classes_by_label, voxel_ml)

    os.makedirs(out_dir, exist_ok=True)
    for name, data in (("tissue", tissue), ("fat_fraction", fat_fraction)):
        written = nib.Nifti1Image(data, image.affine, image.header)
        written.set_data_dtype(data.dtype)  # not the T1's stored type
        nib.save(written, os.path.join(out_dir, f"{name}.nii.gz"))
    rows = result["muscles"] + [{"label": "", "name": "total", **result["total"]}]
    pd.DataFrame(rows).to_csv(os.path.join(out_dir, "metrics.csv"), sep=";", index=False)
    with open(os.path.join(out_dir, "metrics.json"), "w") as f:
        json.dump({"method": f"musclemap-style {method}", **result}, f, indent=2)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("t1")
    parser.add_argument("mask")
    parser.add_argument("out_dir")
    parser.add_argument("--method", choices=sorted(FITS), default="gmm")
    args = parser.parse_args()
    analyse(args.t1, args.mask, args.out_dir, args.method)


if __name__ == "__main__":
    main()
