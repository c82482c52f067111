#!/usr/bin/env python3
"""Copies real compressed DICOM files into Tests/VolumeIOTests/Fixtures/codecs/ and records what pydicom
decodes from them (with pylibjpeg and its libjpeg and OpenJPEG plugins) in reference.json: the transfer
syntax and the CRC-32 of the stored values as little-endian integers, rows top-down, x fastest, frames as
stored; for DCT JPEG all values as well (little-endian int32, zlib-compressed, base64), since two DCT decoders
may round differently by one. JPEG-LS
near-lossless decoding is exact (the loss is in the encoder), so it is checked by CRC like lossless files.

Sources (public GitHub repositories, licences in the fixtures' README.md), given as mirror folders:
  python3 scripts/make_codec_fixtures.py PYDICOM_DATA PYLIBJPEG_DATA DCM_QA_TS DCM_QA_PHILIPS
where each is a checkout (or `git archive` export) of pydicom/pydicom-data, pydicom/pylibjpeg-data,
neurolabusc/dcm_qa_ts and neurolabusc/dcm_qa_philips.
"""
import base64
import json
import shutil
import sys
import zlib
from pathlib import Path

import numpy as np
import pydicom

FIXTURES = Path(__file__).resolve().parent.parent / "Tests" / "VolumeIOTests" / "Fixtures" / "codecs"

# (source index, path in the source, name here, DCT-lossy)
FILES = [
    (0, "data_store/data/emri_small.dcm", "emri_small.dcm", False),
    (0, "data_store/data/emri_small_RLE.dcm", "emri_small_RLE.dcm", False),
    (0, "data_store/data/emri_small_jpeg_2k_lossless.dcm", "emri_small_jpeg_2k_lossless.dcm", False),
    (0, "data_store/data/emri_small_jpeg_ls_lossless.dcm", "emri_small_jpeg_ls_lossless.dcm", False),
    (0, "data_store/data/JPEG-LL.dcm", "JPEG-LL.dcm", False),
    (1, "ljdata/ds/JPEGBaseline/JPEGBaseline_1s_1f_u_08_08.dcm", "JPEGBaseline_1s_1f_u_08_08.dcm", True),
    (1, "ljdata/ds/JPEGLossless/JPEGLossless_1s_1f_u_16_12.dcm", "JPEGLossless_1s_1f_u_16_12.dcm", False),
    (1, "ljdata/ds/JPEGExtended/JPEGExtended_1s_1f_u_16_12.dcm", "JPEGExtended_1s_1f_u_16_12.dcm", True),
    (1, "ljdata/ds/JPEGLS/CT1_JLSN.dcm", "CT1_JLSN.dcm", False),
] + [(2, f"In/{n}.dcm", f"dcm_qa_ts/{n}.dcm", False) for n in range(1, 10)]
PHILIPS_SERIES = ("In/Magdeburg_2014/fmri", "_0001_", "philips_fp")


def stored_values(ds):
    values = ds.pixel_array
    return values.reshape(-1, ds.Rows, ds.Columns) if int(ds.get("NumberOfFrames", 1)) > 1 else values[None]


def main(sources):
    sources = [Path(s) for s in sources]
    # The README beside the files (origins and licences) is kept.
    for old in FIXTURES.glob("*"):
        if old.name != "README.md":
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    reference = {}
    for source, path, name, lossy in FILES:
        target = FIXTURES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        candidates = list(sources[source].rglob(Path(path).name)) if not (sources[source] / path).exists() else [sources[source] / path]
        shutil.copyfile(candidates[0], target)
        ds = pydicom.dcmread(target)
        entry = {"transfer_syntax": str(ds.file_meta.TransferSyntaxUID), "lossy": lossy}
        try:
            values = stored_values(ds)
        except Exception as error:
            entry["pydicom_error"] = str(error)
        else:
            entry["crc32"] = zlib.crc32(values.astype(values.dtype.newbyteorder("<")).tobytes())
            entry["shape"] = list(values.shape)
            if lossy:
                entry["values_zlib"] = base64.b64encode(zlib.compress(values.astype("<i4").tobytes(), 9)).decode()
        reference[name] = entry
    folder, pattern, name = PHILIPS_SERIES
    (FIXTURES / name).mkdir()
    for file in sorted((sources[3] / folder).iterdir()):
        if pattern in file.name:
            shutil.copyfile(file, FIXTURES / name / file.name)
    (FIXTURES / "reference.json").write_text(json.dumps(reference, indent=1) + "\n")
    print(f"wrote {len(reference)} codec references to {FIXTURES} (pydicom {pydicom.__version__})")


if __name__ == "__main__":
    main(sys.argv[1:5])
