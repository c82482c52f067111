#!/usr/bin/env python3
"""The plain Python Dixon pipeline a cohort study would write first, the peer of a default Dixon `imat analyze`:
nibabel loads water, fat and the label map; the fat fraction is F/(F+W) (0 where W + F = 0); its mean per
label; the fat-fraction map written as float32 .nii.gz (nibabel's default gzip level); the means as JSON.
No noise handling, no checks: the floor of what any Dixon analysis must do in Python.

Usage: plain_dixon.py PARTICIPANT_FOLDER OUT_DIR   (the folder holds water.nii.gz, fat.nii.gz, mask.nii.gz)
"""
import json
import os
import sys

import nibabel as nib
import numpy as np


def main():
    folder, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    water = np.asanyarray(nib.load(os.path.join(folder, "water.nii.gz")).dataobj).astype(np.float32)
    fat_image = nib.load(os.path.join(folder, "fat.nii.gz"))
    fat = np.asanyarray(fat_image.dataobj).astype(np.float32)
    labels = np.asanyarray(nib.load(os.path.join(folder, "mask.nii.gz")).dataobj)
    total = water + fat
    fraction = np.where(total > 0, fat / np.where(total > 0, total, 1), 0).astype(np.float32)
    means = {int(label): float(fraction[labels == label].mean()) for label in np.unique(labels) if label != 0}
    nib.save(nib.Nifti1Image(fraction, fat_image.affine), os.path.join(out, "fat_fraction.nii.gz"))
    with open(os.path.join(out, "means.json"), "w") as f:
        json.dump(means, f)


if __name__ == "__main__":
    main()
