#!/usr/bin/env python3
"""Builds the DICOM test fixtures and the facts pydicom reads from them.

1. Copies small files from pydicom's test data (MIT licence, origins in the fixtures' README.md) into
   Tests/VolumeIOTests/Fixtures/dicom/, with one five-slice CT series as the folder CT5N/.
2. Crops nibabel's Philips enhanced multi-frame MR phantom (nibabel/nicom/tests/data/philips_mprage.dcm.gz,
   176 frames of 256×256, all zero) to 3 frames of 8×8 and fills its pixels with a known pattern, keeping
   its functional groups, private elements and oblique geometry (Philips' private slice counts follow the crop).
3. Writes reference.json: for each file or series the reader must read, pydicom's facts (size, stored type,
   rescale, geometry with slices in the order of their positions along the normal) and a fingerprint of the
   stored values as pydicom decodes them (no rescale, no MONOCHROME1 inversion): CRC-32 of the values as
   little-endian integers in x-fastest order, sum, min, max and values at fixed voxels. For Philips files with
   the private ScaleSlope (2005,100E), the physical scaling dcm2niix applies by default (-p y).

Run from anywhere: python3 scripts/make_dicom_fixtures.py (needs pydicom, numpy, nibabel and, for the
compressed copies, pylibjpeg with its libjpeg and openjpeg plugins).
"""
import gzip
import json
import shutil
import zlib
from pathlib import Path

import nibabel
import numpy as np
import pydicom
from pydicom.data import get_testdata_file

PYDICOM_TEST_FILES = Path(pydicom.__file__).parent / "data" / "test_files"

FIXTURES = Path(__file__).resolve().parent.parent / "Tests" / "VolumeIOTests" / "Fixtures" / "dicom"

# pydicom's test data: (file, why it is here).
PYDICOM_FILES = {
    "MR_small.dcm": "explicit VR little endian, int16, 64×64",
    "MR_small_implicit.dcm": "the same image in implicit VR little endian",
    "MR_small_bigendian.dcm": "the same image in explicit VR big endian",
    "MR_small_RLE.dcm": "the same image in RLE Lossless",
    "CT_small.dcm": "CT, int16 with RescaleIntercept -1024",
    "image_dfl.dcm": "deflated explicit VR little endian, uint8 512×512, no patient geometry",
    "MR_small_jpeg_ls_lossless.dcm": "the same image in JPEG-LS lossless",
    "MR_small_jp2klossless.dcm": "the same image in JPEG 2000 lossless",
}
SERIES = {"CT5N": ("dicomdirtests/98892001/CT5N", "five 16×16 CT slices (int16, intercept -1024), names and "
                   "InstanceNumbers ascending while positions descend")}
PHILIPS = "philips_enhanced_3frames.dcm"


def crop_philips():
    source = Path(nibabel.__file__).parent / "nicom" / "tests" / "data" / "philips_mprage.dcm.gz"
    with gzip.open(source) as f:
        ds = pydicom.dcmread(f)
    frames, size = 3, 8
    ds.PerFrameFunctionalGroupsSequence = pydicom.Sequence(ds.PerFrameFunctionalGroupsSequence[:frames])
    ds.NumberOfFrames = frames
    ds.Rows = ds.Columns = size
    # Philips' private slice counts, which dcm2niix trusts to size the image: the whole file's and its stack's.
    ds[0x2001, 0x1018].value = frames
    ds[0x2001, 0x105F][0][0x2001, 0x102D].value = frames
    # Cropping rows and columns from the end keeps every frame's position (that of its first pixel) valid.
    pattern = (np.arange(frames * size * size, dtype=np.uint32).reshape(frames, size, size) * 37 + 5) % 4096
    ds.PixelData = pattern.astype("<u2").tobytes()
    ds.save_as(FIXTURES / PHILIPS, enforce_file_format=True)
    return "nibabel test data (Philips Achieva enhanced MR phantom, philips_mprage.dcm.gz) cropped by this " \
           "script to 3 frames of 8×8 (its private slice counts set to 3), pixels replaced by a pattern (the " \
           "original's are all zero)"


def frame_item(ds, frame, sequence):
    """The first item of a functional group sequence for `frame`: per-frame if there, else shared."""
    for groups in (ds.PerFrameFunctionalGroupsSequence[frame], ds.SharedFunctionalGroupsSequence[0]):
        if sequence in groups:
            return groups[sequence][0]
    return None


def slices_of(datasets):
    """(stored frames, geometry per frame) of single-frame files or of one enhanced multi-frame file."""
    first = datasets[0]
    if "PerFrameFunctionalGroupsSequence" in first:
        frames = first.pixel_array.reshape(int(first.NumberOfFrames), first.Rows, first.Columns)
        geometry = []
        for n in range(len(frames)):
            measures = frame_item(first, n, "PixelMeasuresSequence")
            transform = frame_item(first, n, "PixelValueTransformationSequence")
            geometry.append({
                "position": frame_item(first, n, "PlanePositionSequence").ImagePositionPatient,
                "orientation": frame_item(first, n, "PlaneOrientationSequence").ImageOrientationPatient,
                "pixel_spacing": measures.PixelSpacing,
                "slice_thickness": measures.get("SliceThickness"),
                "rescale": transform and (transform.RescaleSlope, transform.RescaleIntercept),
                "philips_scale_slope": philips_scale_slope(first, n),
            })
        return list(frames), geometry
    frames = [ds.pixel_array for ds in datasets]
    geometry = [{
        "position": ds.get("ImagePositionPatient"),
        "orientation": ds.get("ImageOrientationPatient"),
        "pixel_spacing": ds.get("PixelSpacing"),
        "slice_thickness": ds.get("SliceThickness"),
        "rescale": ("RescaleSlope" in ds or "RescaleIntercept" in ds) and (ds.get("RescaleSlope", 1), ds.get("RescaleIntercept", 0)),
    } for ds in datasets]
    return frames, geometry


def philips_scale_slope(ds, n):
    """The private ScaleSlope (2005,100E) of frame n, inside Philips' per-frame private sequence (2005,140F)."""
    if "Philips" not in str(ds.get("Manufacturer", "")):
        return None
    item = ds.PerFrameFunctionalGroupsSequence[n].get((0x2005, 0x140F))
    value = item[0].get((0x2005, 0x100E)) if item else ds.get((0x2005, 0x100E))
    return None if value is None else float(value.value)


def floats(values):
    return None if values is None else [float(v) for v in values]


def physical_scaling(rescale, scale_slope):
    """dcm2niix's Philips floating-point values: FP = (PV·RS + RI) / (RS·SS), as slope and intercept."""
    if rescale is None or not scale_slope:
        return None
    slope, intercept = rescale
    return [slope / (slope * scale_slope), intercept / (slope * scale_slope)]


def describe(paths):
    """pydicom's facts for one file or a series of files, slices in the order of their positions."""
    datasets = [pydicom.dcmread(p) for p in paths]
    frames, geometry = slices_of(datasets)
    if geometry[0]["position"] is not None:
        orientation = np.array(floats(geometry[0]["orientation"]))
        normal = np.cross(orientation[:3], orientation[3:])
        order = sorted(range(len(frames)), key=lambda n: float(np.dot(normal, floats(geometry[n]["position"]))))
        frames, geometry = [frames[n] for n in order], [geometry[n] for n in order]
    stored = np.stack(frames)  # (z, rows, columns): x fastest in C order
    rescales = {tuple(floats(g["rescale"])) for g in geometry if g["rescale"]}
    assert len(rescales) <= 1, "the fixtures share one rescale across slices"
    rescale = list(rescales.pop()) if rescales else None
    z, y, x = stored.shape
    voxels = {(0, 0, 0), (x - 1, y - 1, z - 1), (x // 2, y // 3, z // 2), (x - 1, 0, 0), (0, y - 1, z - 1)}
    voxels |= {((7 * n + 3) % x, (5 * n + 1) % y, n % z) for n in range(6)}
    first = datasets[0]
    return {
        "transfer_syntax": str(first.file_meta.TransferSyntaxUID),
        "columns": x, "rows": y, "slices": z,
        "dtype": stored.dtype.name,
        "photometric": str(first.PhotometricInterpretation),
        "rescale": rescale,
        "physical_scaling": physical_scaling(rescale, geometry[0].get("philips_scale_slope")),
        "orientation": floats(geometry[0]["orientation"]),
        "pixel_spacing": floats(geometry[0]["pixel_spacing"]),
        "slice_thickness": None if geometry[0]["slice_thickness"] is None else float(geometry[0]["slice_thickness"]),
        "positions": None if geometry[0]["position"] is None else [floats(g["position"]) for g in geometry],
        "crc32": zlib.crc32(stored.astype(stored.dtype.newbyteorder("<")).tobytes()),
        "sum": int(stored.astype(np.int64).sum()),
        "min": int(stored.min()),
        "max": int(stored.max()),
        "samples": [[i, j, k, int(stored[k, j, i])] for i, j, k in sorted(voxels)],
    }


def main():
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for folder in SERIES:
        shutil.rmtree(FIXTURES / folder, ignore_errors=True)
    origin = {}
    for name, why in PYDICOM_FILES.items():
        shutil.copyfile(get_testdata_file(name), FIXTURES / name)
        origin[name] = "pydicom test data: " + why
    for folder, (source, why) in SERIES.items():
        shutil.copytree(PYDICOM_TEST_FILES / source, FIXTURES / folder)
        origin[folder] = f"pydicom test data ({source}): {why}"
    origin[PHILIPS] = crop_philips()

    readable = sorted(PYDICOM_FILES) + [PHILIPS]
    volumes = {name: {"kind": "file", **describe([FIXTURES / name])} for name in readable}
    for folder in SERIES:
        volumes[folder] = {"kind": "folder", **describe(sorted((FIXTURES / folder).iterdir()))}
    reference = {
        "volumes": volumes,
        "origin": origin,
    }
    (FIXTURES / "reference.json").write_text(json.dumps(reference, indent=1) + "\n")
    print(f"wrote {len(volumes)} fixture descriptions to {FIXTURES / 'reference.json'} (pydicom {pydicom.__version__})")


if __name__ == "__main__":
    main()
