#!/usr/bin/python3
"""Writes the bad-input corpus tests/data/bad/: small malformed or unusual
FITS files that tests/test_bad_input.cpp reads through AstroRIM's public API.

A developer tool, not a build or test dependency: the generated files are
committed, so the tests need no Python. Run it again after changing it:

    /usr/bin/python3 tests/data/make_bad_fits.py          # writes tests/data/bad/
    /usr/bin/python3 tests/data/make_bad_fits.py --check  # fails if the committed files differ

Needs Python 3 with numpy, and astropy for the two tile-compressed (.fz)
files (Debian: python3-numpy python3-astropy). Every other file is written
byte by byte here (80-character cards, big-endian data, 2880-byte blocks;
FITS Standard 4.0, sections 3 and 4), because most of them break the
standard on purpose and no FITS library would write them. The output is
deterministic: gzip headers carry no time stamp or name.

tests/data/bad/README.md lists every file, what is wrong with it and what
AstroRIM does with it; the values the good files hold are stated below, where
they are made, and repeated in tests/test_bad_input.cpp.
"""

import argparse
import gzip
import io
import pathlib
import re
import sys

import numpy as np

BLOCK = 2880
OUT = pathlib.Path(__file__).resolve().parent / "bad"

# Keywords every image that should read carries, so that
# readObservationFile finds a pixel scale and a PSF without options.
OBSERVATION_KEYS = [("PIXSCALE", 0.1, "arcsec per pixel"), ("PSFFWHM", 0.15, "arcsec")]


# ---------------------------------------------------------------- raw writing

def value_text(value):
    if isinstance(value, bool):
        return f"{'T' if value else 'F':>20}"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):>20}"
    if isinstance(value, float):
        text = repr(value).upper()
        if "." not in text and "E" not in text:
            text += ".0"
        return f"{text:>20}"
    quoted = "'" + str(value).replace("'", "''").ljust(8) + "'"
    return f"{quoted:<20}"


def card(key, value=None, comment=None):
    """One 80-byte card. `key` may hold any bytes (str is encoded latin-1)."""
    raw = key.encode("latin-1") if isinstance(key, str) else key
    text = raw.ljust(8)
    if value is not None:
        text += b"= " + value_text(value).encode("latin-1")
        if comment:
            c = comment.encode("latin-1") if isinstance(comment, str) else comment
            text += b" / " + c
    assert len(text) <= 80, text
    return text.ljust(80)


def header(cards, end=True):
    """Cards (tuples for card() or ready 80-byte cards), END, padded with blanks."""
    data = b"".join(c if isinstance(c, bytes) else card(*c) for c in cards)
    if end:
        data += card("END")
    return pad(data, b" ")


def pad(data, fill=b"\0"):
    return data + fill * (-len(data) % BLOCK)


def image_cards(bitpix, shape, extension=False, extra=()):
    """Mandatory cards for an image of numpy shape (..., NAXIS2, NAXIS1)."""
    first = ("XTENSION", "IMAGE", "image extension") if extension else ("SIMPLE", True, "FITS standard")
    cards = [first, ("BITPIX", bitpix), ("NAXIS", len(shape))]
    cards += [(f"NAXIS{i + 1}", n) for i, n in enumerate(reversed(shape))]
    if extension:
        cards += [("PCOUNT", 0), ("GCOUNT", 1)]
    return cards + list(extra)


DTYPES = {8: ">u1", 16: ">i2", 32: ">i4", 64: ">i8", -32: ">f4", -64: ">f8"}


def image_bytes(array, bitpix):
    return pad(np.ascontiguousarray(array, dtype=DTYPES[bitpix]).tobytes())


def image_file(array, bitpix, extra=(), observation=True):
    """A primary image HDU holding `array` (raw values) as BITPIX."""
    keys = list(extra) + (OBSERVATION_KEYS if observation else [])
    return header(image_cards(bitpix, array.shape, extra=keys)) + image_bytes(array, bitpix)


def empty_hdu(extension=False, extname=None):
    extra = [("EXTNAME", extname)] if extname else []
    return header(image_cards(8, (), extension=extension, extra=extra))


def gzipped(data):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as z:
        z.write(data)
    return out.getvalue()


def tile_compressed(array, compression, tile=None):
    """An empty primary and one tile-compressed image HDU (astropy); floats lossless."""
    from astropy.io import fits

    hdu = fits.CompImageHDU(array, compression_type=compression, quantize_level=0.0, tile_size=tile)
    for key, value, comment in OBSERVATION_KEYS:
        hdu.header[key] = (value, comment)
    out = io.BytesIO()
    fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(out)
    return out.getvalue()


def set_cards(data, values):
    """Overwrites integer cards of the second HDU's header in place."""
    for key, value in values.items():
        at = data.find(key.ljust(8).encode(), BLOCK)
        data[at:at + 80] = card(key, value)


def heap_start(data):
    """Byte offset of the heap of the second HDU (a binary table after a one-block primary)."""
    end = next(at for at in range(BLOCK, len(data), 80) if data[at:at + 8] == b"END     ")
    start = end + 80 + (-(end + 80) % BLOCK)
    text = data[BLOCK:end].decode("ascii")
    width = int(re.search(r"NAXIS1  =\s*(\d+)", text).group(1))
    rows = int(re.search(r"NAXIS2  =\s*(\d+)", text).group(1))
    return start + width * rows


# ---------------------------------------------------------------- the values

def raw_values(bitpix):
    """The raw 3 x 4 values of the BITPIX files; i = row * 4 + col (row 0 first in the file).

    8: 20 i + 3; 16: 1000 (i - 6); 32: 100000 (i - 6); 64: 2^40 (i - 6)
    (beyond 32 bits, exact in float32); -32: 0.25 (i - 6); -64: 0.125 (i - 6).
    """
    i = np.arange(12).reshape(3, 4)
    return {
        8: 20 * i + 3,
        16: 1000 * (i - 6),
        32: 100000 * (i - 6),
        64: (i - 6) * 2**40,
        -32: 0.25 * (i - 6),
        -64: 0.125 * (i - 6),
    }[bitpix]


# Scaled variants: physical = BSCALE * raw + BZERO.
SCALE_INT = (0.5, -3.0)
SCALE_FLOAT = (2.0, 1.0)


def corpus():
    files = {}

    # --- not FITS, empty, truncated
    files["empty.fits"] = b""
    files["png_signature.fits"] = (b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + b"\0" * 17).ljust(3000, b"\0")
    files["text.fits"] = b"This is a plain text file that was given a .fits name by mistake.\n" * 50
    valid = image_file(np.zeros((16, 16)), -32)
    head_len = len(header(image_cards(-32, (16, 16), extra=OBSERVATION_KEYS)))
    files["header_only.fits"] = valid[:head_len]
    files["header_cut_mid_card.fits"] = valid[: 11 * 80 + 37]
    long_header = header(image_cards(-32, (16, 16), extra=OBSERVATION_KEYS
                                     + [(f"NOTE{i:04d}", i, "filler") for i in range(40)]))
    files["header_cut_second_block.fits"] = long_header[: BLOCK + 400]
    data32 = np.arange(32 * 32, dtype=np.float32).reshape(32, 32)
    files["data_cut_short.fits"] = image_file(data32, -32)[: BLOCK + 1000]
    # Complete data, but the last block is not padded to 2880 bytes.
    files["data_unpadded.fits"] = image_file(np.full((4, 4), 7.0), -32)[: BLOCK + 64]
    files["gzip_truncated.fits.gz"] = gzipped(image_file(data32, -32))[:300]
    # A whole gzip stream whose trailer (ISIZE, the last four bytes) claims
    # 4 GB: more than deflate can pack into the file (at most 1032:1).
    files["gzip_forged_isize.fits.gz"] = gzipped(image_file(data32, -32))[:-4] + (0xFFFFFF00).to_bytes(4, "little")
    files["extension_cut.fits"] = (image_file(np.full((4, 4), 5.0), -32)
                                   + header(image_cards(-32, (8, 8), extension=True))[:1200])

    # --- shapes
    files["naxis0_primary_only.fits"] = empty_hdu()
    files["naxis0_every_hdu.fits"] = (empty_hdu() + empty_hdu(True, "SCI") + empty_hdu(True, "ERR"))
    files["one_d.fits"] = image_file(np.arange(64, dtype=np.float32), -32)
    files["cube_3d.fits"] = image_file(np.ones((3, 6, 8)), -32)
    files["cube_one_plane.fits"] = image_file(np.arange(48).reshape(1, 6, 8), -32)  # value = row * 8 + col
    files["image_1x1.fits"] = image_file(np.array([[42.5]]), -32)
    # 100000 x 1, BITPIX 8, value = col % 256; gzipped to stay small.
    files["image_100000x1.fits.gz"] = gzipped(image_file((np.arange(100000) % 256).reshape(1, 100000), 8))
    files["naxis1_zero.fits"] = header(image_cards(-32, (10, 0), extra=OBSERVATION_KEYS))
    files["naxis_negative.fits"] = header(image_cards(-32, (16, -16), extra=OBSERVATION_KEYS)) + pad(b"\0")
    # 1,000,000 x 1,000,000 float32 (4 TB) declared in a 5,760-byte file.
    huge = header(image_cards(-32, (1000000, 1000000), extra=OBSERVATION_KEYS)) + pad(b"\0" * 16)
    files["huge_naxis.fits"] = huge
    files["huge_naxis.fits.gz"] = gzipped(huge)
    # 2^32 x 2^32 pixels: the count wraps to 0 in 64-bit unsigned arithmetic.
    wrap = header(image_cards(8, (2**32, 2**32), extra=OBSERVATION_KEYS)) + pad(b"\0" * 16)
    files["naxis_overflow.fits.gz"] = gzipped(wrap)

    # --- pixel values
    files["all_nan.fits"] = image_file(np.full((16, 16), np.nan), -32)
    inf = np.arange(16, dtype=np.float32).reshape(4, 4)  # value = row * 4 + col ...
    inf[1, 1] = np.inf   # ... except +Inf at row 1, col 1
    inf[2, 3] = -np.inf  # ... and -Inf at row 2, col 3
    files["inf_pixels.fits"] = image_file(inf, -32)
    files["all_zero.fits"] = image_file(np.zeros((16, 16)), -32)
    # BITPIX 16 with BLANK = -32768 at row 0, col 0 and row 2, col 1; else 10 * (row * 3 + col).
    blank = 10 * np.arange(9).reshape(3, 3)
    blank[0, 0] = blank[2, 1] = -32768
    files["blank_int16.fits"] = image_file(blank, 16, extra=[("BLANK", -32768)])
    files["float64_overflow.fits"] = image_file(np.array([[1.0, 1e300], [2.0, 3.0]]), -64)

    # --- every BITPIX, plain and scaled
    names = {8: "8", 16: "16", 32: "32", 64: "64", -32: "m32", -64: "m64"}
    for bitpix, name in names.items():
        raw = raw_values(bitpix)
        files[f"bitpix_{name}.fits"] = image_file(raw, bitpix)
        bscale, bzero = SCALE_FLOAT if bitpix < 0 else SCALE_INT
        files[f"bitpix_{name}_scaled.fits"] = image_file(raw, bitpix, extra=[("BSCALE", bscale), ("BZERO", bzero)])
    # The unsigned 16-bit convention: raw -32768 + 5000 i, BZERO 32768 → 5000 i (up to 55000).
    unsigned = -32768 + 5000 * np.arange(12).reshape(3, 4)
    files["bitpix_16_unsigned.fits"] = image_file(unsigned, 16, extra=[("BSCALE", 1.0), ("BZERO", 32768.0)])
    files["bitpix_7.fits"] = header(image_cards(7, (4, 4), extra=OBSERVATION_KEYS)) + pad(b"\0" * 16)
    files["bscale_zero.fits"] = image_file(raw_values(16), 16, extra=[("BSCALE", 0.0), ("BZERO", 5.0)])

    # --- compressed (value = row * 32 + col - 500 for int16; (row * 16 + col) / 3 for float32)
    rows, cols = np.mgrid[0:32, 0:32]
    files["tile_rice_int16.fits.fz"] = tile_compressed((rows * 32 + cols - 500).astype(np.int16), "RICE_1")
    r16, c16 = np.mgrid[0:16, 0:16]
    files["tile_gzip_float32.fits.fz"] = tile_compressed(((r16 * 16 + c16) / 3).astype(np.float32), "GZIP_2")
    files["gzipped.fits.gz"] = gzipped(image_file(data32, -32))  # value = row * 32 + col
    # The compressed bytes of the first tiles overwritten: decompression fails.
    fz = bytearray(tile_compressed((rows * 32 + cols - 500).astype(np.int16), "RICE_1"))
    heap = heap_start(fz)
    fz[heap:heap + 200] = b"\xff" * 200
    files["tile_corrupt.fits.fz"] = bytes(fz)
    # Tile-compressed HDU whose ZNAXIS1/ZNAXIS2 claim 1,000,000 x 1,000,000 while
    # its table still holds 32 x 1-row tiles: inconsistent, CFITSIO refuses the header.
    fz_bad = bytearray(tile_compressed((rows * 32 + cols).astype(np.int16), "RICE_1"))
    set_cards(fz_bad, {"ZNAXIS1": 1000000, "ZNAXIS2": 1000000})
    files["tile_header_inconsistent.fits.fz"] = bytes(fz_bad)
    # The same claim made consistently: one 1,000,000 x 1,000,000 tile (the
    # table's single row). The header reads; only the size check stops a 4 TB allocation.
    fz_huge = bytearray(tile_compressed((rows * 32 + cols).astype(np.int16), "RICE_1", tile=(32, 32)))
    set_cards(fz_huge, {"ZNAXIS1": 1000000, "ZNAXIS2": 1000000, "ZTILE1": 1000000, "ZTILE2": 1000000})
    files["huge_tile_compressed.fits.fz"] = bytes(fz_huge)

    # --- header problems
    wcs = [("CTYPE1", "RA---TAN"), ("CTYPE2", "DEC--TAN"), ("CRPIX1", 8.0), ("CRPIX2", 8.0),
           ("CRVAL1", 150.0), ("CRVAL2", 2.0),
           ("CD1_1", -1e-5), ("CD1_2", 2e-5), ("CD2_1", 1e-5), ("CD2_2", -2e-5)]  # det = 0
    files["singular_cd.fits"] = image_file(np.ones((16, 16)), -32, extra=wcs, observation=False)
    files["non_ascii_comment.fits"] = (
        header(image_cards(-32, (4, 4), extra=OBSERVATION_KEYS
                           + [card("OBSERVER", "Nobody", b"caf\xe9 cr\xe8me, \xc3\xa9 in UTF-8")]))
        + image_bytes(np.full((4, 4), 3.0), -32))
    files["non_ascii_keyword.fits"] = (
        header(image_cards(-32, (4, 4), extra=OBSERVATION_KEYS + [card(b"EXPT\xc9ME", 30.0, "seconds")]))
        + image_bytes(np.full((4, 4), 3.0), -32))
    files["missing_end.fits"] = (header(image_cards(-32, (4, 4), extra=OBSERVATION_KEYS), end=False)
                                 + image_bytes(np.full((4, 4), 3.0), -32))
    files["naxis2_missing.fits"] = (header([("SIMPLE", True), ("BITPIX", -32), ("NAXIS", 2), ("NAXIS1", 4)]
                                           + OBSERVATION_KEYS)
                                    + image_bytes(np.full((4, 4), 3.0), -32))
    files["trailing_garbage.fits"] = image_file(np.full((4, 4), 6.0), -32) + b"garbage after the last HDU\n" * 20
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the files on disk instead of writing")
    args = parser.parse_args()
    files = corpus()
    OUT.mkdir(exist_ok=True)
    stale = sorted(p.name for p in OUT.iterdir() if p.name != "README.md" and p.name not in files)
    if args.check:
        differ = [n for n, d in files.items() if not (OUT / n).exists() or (OUT / n).read_bytes() != d]
        if differ or stale:
            sys.exit(f"corpus out of date: differs {differ}, not generated {stale}")
        print(f"{len(files)} files up to date")
        return
    for name in stale:
        (OUT / name).unlink()
    for name, data in sorted(files.items()):
        (OUT / name).write_bytes(data)
    total = sum(len(d) for d in files.values())
    print(f"wrote {len(files)} files, {total} bytes, to {OUT}")


if __name__ == "__main__":
    main()
