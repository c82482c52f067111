#!/usr/bin/env python3
"""Builds the NIfTI test fixtures and the values nibabel reads from them.

1. Copies a few small files from nibabel's own test data (MIT licence) into
   Tests/VolumeIOTests/Fixtures/nifti/.
2. Writes, with nibabel, files for cases that data lacks (big-endian with sform and
   qform differing, qform only from a sheared affine, no transform, 2-D, 5-D, NIfTI-2
   big-endian, a .nii.gz made of two gzip members, several datatypes, scaling).
3. Loads every fixture with nibabel and writes expected.json: shape, dtype, the affine
   nibabel reports, zooms, raw scl_slope/scl_inter and a fingerprint of each volume's
   unscaled values, which the Swift tests compare with IMATKit's reader.

Run from anywhere: python3 scripts/make_nifti_fixtures.py (needs nibabel and numpy).
"""
import gzip
import json
import math
import shutil
from pathlib import Path

import nibabel as nib
import numpy as np
from nibabel.testing import data_path

FIXTURES = Path(__file__).resolve().parent.parent / "Tests" / "VolumeIOTests" / "Fixtures" / "nifti"

# nibabel's test data: (file, why it is here).
NIBABEL_FILES = {
    "anatomical.nii": "big-endian int16, sform and qform code 2",
    "functional.nii": "4-D int16 with scl_slope/scl_inter",
    "reoriented_anat_moved.nii": "big-endian float32, qfac 1",
    "standard.nii.gz": "uint8, sform only",
    "example4d.nii.gz": "4-D int16 with an extension (vox_offset 416)",
    "example_nifti2.nii.gz": "NIfTI-2, 4-D, with an extension (vox_offset 608)",
    "row_major.dconn.nii": "CIFTI-2 (NIfTI-2, dim[5] = 10): must be refused as not 3-D/4-D",
}
# Files the reader must refuse; expected.json lists them apart.
REFUSED = {"row_major.dconn.nii"}

# A rotation of 30° about an oblique axis with a shear added: nibabel's qform keeps only its nearest rigid part.
SHEARED_AFFINE = np.array([
    [1.8, 0.35, -0.2, -90.0],
    [-0.5, 2.4, 0.3, -120.5],
    [0.25, -0.4, 3.1, 60.25],
    [0.0, 0.0, 0.0, 1.0],
])


def rotation(axis, degrees):
    axis = np.asarray(axis, float) / np.linalg.norm(axis)
    x, y, z = axis
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return np.array([
        [c + x * x * (1 - c), x * y * (1 - c) - z * s, x * z * (1 - c) + y * s],
        [y * x * (1 - c) + z * s, c + y * y * (1 - c), y * z * (1 - c) - x * s],
        [z * x * (1 - c) - y * s, z * y * (1 - c) + x * s, c + z * z * (1 - c)],
    ])


def affine_from(linear, offset):
    out = np.eye(4)
    out[:3, :3] = linear
    out[:3, 3] = offset
    return out


def values(shape, dtype, rng):
    info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
    if info is None:
        return (rng.standard_normal(shape) * 1000).astype(dtype)
    return rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=dtype)


def big_endian(klass, data, affine=None):
    """An image whose header (and so whose data on disk) is big-endian, keeping the data's own dtype."""
    header = klass.header_class(endianness=">")
    header.set_data_dtype(data.dtype)
    return klass(data, affine, header)


def save(image, name):
    path = FIXTURES / name
    if name.endswith(".gz"):
        # Compress ourselves so the bytes do not depend on the clock (gzip mtime 0).
        plain = path.with_suffix("")
        nib.save(image, plain)
        path.write_bytes(gzip.compress(plain.read_bytes(), mtime=0))
        plain.unlink()
    else:
        nib.save(image, path)


def make_generated(rng):
    """Writes the fixtures nibabel's data lacks; returns {file: why}."""
    made = {}

    image = big_endian(nib.Nifti1Image, values((7, 6, 5), np.int16, rng))
    image.set_qform(affine_from(rotation([1, 2, 3], 40) @ np.diag([1.5, 2.0, -2.5]), [10, -20, 30]), code=1)
    image.set_sform(affine_from(np.diag([-1.25, 1.5, 2.75]), [80.5, -60.25, -40.0]), code=2)
    save(image, "bigendian_int16_sform_qform.nii")
    made["bigendian_int16_sform_qform.nii"] = "big-endian int16; sform (code 2) and qform (code 1, qfac -1) differ"

    image = nib.Nifti1Image(values((6, 5, 4), np.float32, rng), None)
    image.set_qform(SHEARED_AFFINE, code=1)
    image.set_sform(None, code=0)
    save(image, "qform_only_sheared.nii.gz")
    made["qform_only_sheared.nii.gz"] = "float32; qform only, from a sheared affine (nibabel keeps its rigid part)"

    image = nib.Nifti1Image(values((5, 4, 3), np.uint8, rng), None)
    image.header.set_zooms((0.8, 0.9, 3.0))
    image.set_qform(None, code=0)
    image.set_sform(None, code=0)
    save(image, "no_transform_uint8.nii")
    made["no_transform_uint8.nii"] = "uint8; sform and qform codes 0 (nibabel's fallback affine)"

    image = nib.Nifti1Image(values((9, 7), np.int8, rng), np.diag([0.5, 0.75, 1.0, 1.0]))
    save(image, "int8_2d.nii")
    made["int8_2d.nii"] = "int8, dim[0] = 2"

    image = nib.Nifti1Image(values((4, 3, 2, 1, 1), np.int32, rng), affine_from(np.diag([2.0, 2.0, 2.0]), [1, 2, 3]))
    save(image, "int32_5d.nii")
    made["int32_5d.nii"] = "int32, dim[0] = 5 with trailing size-1 axes"

    image = big_endian(nib.Nifti1Image, values((5, 6, 3), np.uint32, rng), affine_from(rotation([0, 0, 1], 90), [0, 0, 0]))
    save(image, "bigendian_uint32.nii.gz")
    made["bigendian_uint32.nii.gz"] = "big-endian uint32, .nii.gz"

    image = nib.Nifti1Image(values((6, 5, 4, 3), np.uint16, rng), affine_from(np.diag([1.1, 1.2, 1.3]), [-5, -6, -7]))
    image.header.set_slope_inter(2.5, -10.0)
    save(image, "scaled_uint16_4d.nii.gz")
    made["scaled_uint16_4d.nii.gz"] = "4-D uint16 with scl_slope 2.5, scl_inter -10"

    image = big_endian(nib.Nifti2Image, values((5, 4, 6), np.float64, rng),
                       affine_from(rotation([1, -1, 0], 120) @ np.diag([0.7, 0.7, 1.4]), [3, 2, 1]))
    save(image, "nifti2_bigendian_float64.nii")
    made["nifti2_bigendian_float64.nii"] = "NIfTI-2, big-endian float64"

    # A .nii.gz made of two gzip members, split inside the voxel data (as `cat a.gz b.gz` makes).
    image = nib.Nifti1Image(values((40, 30, 20), np.int16, rng), affine_from(np.diag([1.0, 1.0, 2.0]), [0, 0, 0]))
    plain = FIXTURES / "two_members.nii"
    nib.save(image, plain)
    data = plain.read_bytes()
    plain.unlink()
    split = 352 + 12345
    (FIXTURES / "two_members.nii.gz").write_bytes(gzip.compress(data[:split], mtime=0) + gzip.compress(data[split:], mtime=0))
    made["two_members.nii.gz"] = "int16 .nii.gz whose gzip stream is two concatenated members"
    return made


def raw_scaling(path):
    """scl_slope and scl_inter as stored (nibabel's image header has them reset once applied)."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as f:
        start = f.read(4)
    sizeof_hdr = int.from_bytes(start, "little")
    klass = nib.Nifti2Header if sizeof_hdr == 540 or int.from_bytes(start, "big") == 540 else nib.Nifti1Header
    with opener(path, "rb") as f:
        header = klass.from_fileobj(f)
    return [None if not np.isfinite(v) else float(v) for v in (header["scl_slope"], header["scl_inter"])]


def fingerprint(volume):
    """Sums and extremes of one 3-D volume's unscaled values, and the values at fixed voxels."""
    x, y, z = volume.shape
    positions = {(0, 0, 0), (x - 1, y - 1, z - 1), (x // 2, y // 2, z // 2), (x - 1, 0, z // 3)}
    positions |= {((7 * n + 3) % x, (5 * n + 1) % y, (3 * n + 2) % z) for n in range(6)}
    as_float = volume.astype(np.float64)
    number = float if volume.dtype.kind == "f" else int
    return {
        "sum": float(as_float.sum()),
        "sum_squares": float((as_float * as_float).sum()),
        "min": number(volume.min()),
        "max": number(volume.max()),
        "samples": [[i, j, k, number(volume[i, j, k])] for i, j, k in sorted(positions)],
    }


def describe(path):
    image = nib.load(path)
    data = np.asarray(image.dataobj.get_unscaled())
    shape3 = data.shape[:3] + (1,) * (3 - min(3, data.ndim))
    volumes = data.reshape(shape3 + (-1,), order="F")
    return {
        "format": "NIfTI-2" if isinstance(image, nib.Nifti2Image) else "NIfTI-1",
        "shape": list(data.shape),
        "dtype": data.dtype.newbyteorder("=").name,
        "big_endian": image.header.endianness == ">",
        "affine": image.affine[:3].tolist(),
        "zooms": [float(v) for v in image.header.get_zooms()[:3]],
        "scl_slope_inter": raw_scaling(path),
        "volumes": [fingerprint(volumes[..., t]) for t in range(volumes.shape[3])],
    }


def sheared_qform_case():
    """What nibabel stores as the qform of SHEARED_AFFINE, for comparing IMATKit's writer with it."""
    header = nib.Nifti1Header()
    header.set_qform(SHEARED_AFFINE, code=1)
    return {
        "affine": SHEARED_AFFINE[:3].tolist(),
        "zooms": [float(v) for v in header["pixdim"][1:4]],
        "qfac": float(header["pixdim"][0]),
        "qform": header.get_qform()[:3].tolist(),
    }


def main():
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name in NIBABEL_FILES:
        shutil.copyfile(Path(data_path) / name, FIXTURES / name)
    generated = make_generated(np.random.default_rng(20240611))
    readable = sorted(set(NIBABEL_FILES) - REFUSED) + sorted(generated)
    expected = {
        "files": {name: describe(FIXTURES / name) for name in readable},
        "refused": sorted(REFUSED),
        "sheared_qform": sheared_qform_case(),
        "origin": {**{name: "nibabel test data: " + why for name, why in NIBABEL_FILES.items()},
                   **{name: "written by scripts/make_nifti_fixtures.py with nibabel: " + why for name, why in generated.items()}},
    }
    (FIXTURES / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print(f"wrote {len(readable)} fixture descriptions to {FIXTURES / 'expected.json'} (nibabel {nib.__version__})")


if __name__ == "__main__":
    main()
