# Times lenstronomy's own fit of simulated lenses, run the way a lenstronomy
# user would run it, as an independent reference for AstroRIM's fit. Not part
# of the build. For each FITS image it fits SIE + SHEAR with one SERSIC_ELLIPSE
# source and one SERSIC_ELLIPSE lens light from a generic start (theta_E 1,
# e1 = e2 = 0, all centres 0) with FittingSequence: PSO, then SIMPLEX (the
# linear amplitudes are solved for, as lenstronomy does by default), on one
# core, and prints one line per lens: wall seconds of the fit, fitted theta_E,
# true theta_E, relative error and lenstronomy's reduced chi^2
# (-2 logL / (N_pix - N_nonlinear - N_linear)).
#
# Run (lenstronomy and schwimmbad are plain source checkouts, found by
# lenstronomy_path.py at /work/lenstronomy and /work/schwimmbad or as below):
#   LENSTRONOMY_PATH=/work/lenstronomy SCHWIMMBAD_PATH=/work/schwimmbad \
#       /usr/bin/python3 tests/reference/lenstronomy_fit_timing.py \
#       resources/sample/sample_lens.fits
# (PYTHONPATH is not needed; both variables may be left out when the
# checkouts are at /work/lenstronomy and /work/schwimmbad. Run it under
# `nice -n 19` beside a build; the timing is then not representative.)
# Options: --pixel-scale ARCSEC, --sigma ADU/s (background rms), --exptime S,
# --truth JSON, --supersampling N, --particles N, --iterations N,
# --simplex-iterations N, --seed N (see --help). Exits 77 when lenstronomy is
# or schwimmbad is absent.
# Tested with lenstronomy 1.14.2 (git b2807552c528381079417d0dd3781eae444bbdf8)
# and schwimmbad 0.4.2 (git tag v0.4.2, c7e281b7) on Debian 12's Python 3.11.2,
# python3-numpy 1:1.24.2-1+deb12u1, python3-scipy 1.10.1-2, python3-astropy
# 5.2.1-2+deb12u1, python3-matplotlib 3.6.3-1+b1, python3-tqdm 4.64.1-1 and
# python3-multiprocess 0.70.12.2-1 (with python3-dill 0.3.6-1).
#
# Inputs. The image is the primary HDU (sky-subtracted count rate). Pixel
# scale: --pixel-scale, else the truth JSON's grid.pixel_scale, else the
# PIXSCALE keyword. Coordinates: the truth JSON's grid (transform_pix2angle,
# ra_at_xy_0, dec_at_xy_0) when there is one, so that fitted centres compare
# with the truth, else a CD matrix in the header (sky frame, arcsec), else the
# image frame (x along columns, y along rows, centred). Noise: --sigma (with
# --exptime, else EXPTIME * GAIN, for the Poisson term), else a NOISE
# extension as the per-pixel sigma map, else the truth JSON's noise block.
# PSF: a PSF extension as a PIXEL kernel, else GAUSSIAN with the truth's or
# the PSFFWHM keyword's FWHM. The truth JSON defaults to NAME_truth.json beside
# NAME.fits; true theta_E comes from it, else from the THETA_E keyword.
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one core, set before numpy is loaded

import argparse
import contextlib
import json
import sys
import time

import lenstronomy_path  # exits 77 when lenstronomy is absent

lenstronomy_path.require_schwimmbad()  # the PSO needs it; exits 77 when absent

import numpy as np
from astropy.io import fits

from lenstronomy.Workflow.fitting_sequence import FittingSequence


def parse_args():
    p = argparse.ArgumentParser(description=__doc__ or "lenstronomy fit timing")
    p.add_argument("fits", nargs="+", help="lens images (FITS, primary HDU)")
    p.add_argument("--truth", help="truth JSON (only with one image); default NAME_truth.json beside it")
    p.add_argument("--pixel-scale", type=float, help="arcsec per pixel")
    p.add_argument("--sigma", type=float, help="background noise sigma per pixel [image units]")
    p.add_argument("--exptime", type=float,
                   help="exposure time for the Poisson term with --sigma (counts per image unit)")
    p.add_argument("--supersampling", type=int, default=1,
                   help="kwargs_numerics supersampling_factor (default 1, as in lenstronomy's examples)")
    p.add_argument("--particles", type=int, default=200, help="PSO particles (default 200)")
    p.add_argument("--iterations", type=int, default=200, help="PSO iterations (default 200)")
    p.add_argument("--simplex-iterations", type=int, default=1000, help="SIMPLEX iterations (default 1000)")
    p.add_argument("--seed", type=int, default=1, help="numpy seed for the PSO (default 1)")
    a = p.parse_args()
    if a.truth and len(a.fits) != 1:
        p.error("--truth needs exactly one image")
    return a


def load_truth(path, explicit):
    if explicit:
        with open(explicit) as f:
            return json.load(f)
    guess = os.path.splitext(path)[0] + "_truth.json"
    if os.path.isfile(guess):
        with open(guess) as f:
            return json.load(f)
    return None


def kwargs_data_for(path, args, truth):
    with fits.open(path) as hdul:
        hdr = hdul[0].header
        image = np.asarray(hdul[0].data, dtype=np.float64)
        ext = {h.name: np.asarray(h.data, dtype=np.float64) for h in hdul[1:] if h.data is not None}
    if image.ndim != 2 or image.shape[0] != image.shape[1]:
        raise SystemExit(f"{path}: need a square 2-D primary image, got shape {image.shape}")
    n = image.shape[0]
    grid = (truth or {}).get("grid", {})

    scale = args.pixel_scale or grid.get("pixel_scale") or hdr.get("PIXSCALE")
    if "CD1_1" in hdr and not grid:
        T = 3600.0 * np.array([[hdr["CD1_1"], hdr.get("CD1_2", 0.0)],
                               [hdr.get("CD2_1", 0.0), hdr["CD2_2"]]])
        frame = "header CD matrix"
    elif grid.get("transform_pix2angle") is not None:
        T = np.array(grid["transform_pix2angle"], dtype=float)
        frame = "truth grid"
    elif scale:
        T = np.array([[scale, 0.0], [0.0, scale]])
        frame = "image frame"
    else:
        raise SystemExit(f"{path}: no pixel scale (give --pixel-scale)")
    if args.pixel_scale and frame != "header CD matrix":
        T = T / np.sqrt(abs(np.linalg.det(T))) * args.pixel_scale
    if grid.get("ra_at_xy_0") is not None and frame == "truth grid" and not args.pixel_scale:
        ra0, dec0 = grid["ra_at_xy_0"], grid["dec_at_xy_0"]
    else:  # centre of the image at (0, 0)
        c = (n - 1) / 2.0
        ra0, dec0 = -(T[0, 0] + T[0, 1]) * c, -(T[1, 0] + T[1, 1]) * c

    kw = {"image_data": image, "transform_pix2angle": T, "ra_at_xy_0": ra0, "dec_at_xy_0": dec0}
    noise = (truth or {}).get("noise", {})
    exptime = args.exptime
    if exptime is None and "EXPTIME" in hdr:
        exptime = hdr["EXPTIME"] * hdr.get("GAIN", 1.0)
    if args.sigma is not None:
        kw["background_rms"] = args.sigma
        kw["exposure_time"] = exptime if exptime else 1e12  # no Poisson term without one
        noise_desc = "--sigma"
    elif "NOISE" in ext:
        kw["background_rms"] = float(np.median(ext["NOISE"]))  # only used for bookkeeping
        kw["noise_map"] = ext["NOISE"]
        noise_desc = "NOISE extension"
    elif noise:
        t, g = noise["exposure_time"], noise.get("gain", 1.0)
        sky_e = noise.get("sky", 0.0) * t * g
        kw["background_rms"] = np.sqrt(sky_e + noise.get("read_noise", 0.0) ** 2) / (t * g)
        kw["exposure_time"] = t * g
        noise_desc = "truth noise"
    else:
        raise SystemExit(f"{path}: no noise information (give --sigma)")

    if "PSF" in ext:
        kernel = ext["PSF"]
        kwargs_psf = {"psf_type": "PIXEL", "kernel_point_source": kernel / kernel.sum()}
    else:
        fwhm = (truth or {}).get("psf", {}).get("fwhm") or hdr.get("PSFFWHM")
        if not fwhm:
            raise SystemExit(f"{path}: no PSF extension and no PSF FWHM")
        kwargs_psf = {"psf_type": "GAUSSIAN", "fwhm": fwhm, "pixel_size": abs(np.linalg.det(T)) ** 0.5}
    return kw, kwargs_psf, f"{frame}, {noise_desc}, {kwargs_psf['psf_type']} PSF"


def kwargs_params():
    # Generic start and widths, in the style of lenstronomy's tutorials.
    lens = [
        [{"theta_E": 1.0, "e1": 0.0, "e2": 0.0, "center_x": 0.0, "center_y": 0.0},
         {"theta_E": 0.3, "e1": 0.1, "e2": 0.1, "center_x": 0.1, "center_y": 0.1},
         {},
         {"theta_E": 0.01, "e1": -0.5, "e2": -0.5, "center_x": -10.0, "center_y": -10.0},
         {"theta_E": 10.0, "e1": 0.5, "e2": 0.5, "center_x": 10.0, "center_y": 10.0}],
        [{"gamma1": 0.0, "gamma2": 0.0},
         {"gamma1": 0.05, "gamma2": 0.05},
         {"ra_0": 0.0, "dec_0": 0.0},
         {"gamma1": -0.5, "gamma2": -0.5},
         {"gamma1": 0.5, "gamma2": 0.5}],
    ]

    def sersic(r, sigma_c):
        return [{"R_sersic": r, "n_sersic": 2.0, "e1": 0.0, "e2": 0.0, "center_x": 0.0, "center_y": 0.0},
                {"R_sersic": 0.1, "n_sersic": 0.5, "e1": 0.1, "e2": 0.1, "center_x": sigma_c, "center_y": sigma_c},
                {},
                {"R_sersic": 0.001, "n_sersic": 0.5, "e1": -0.5, "e2": -0.5, "center_x": -10.0, "center_y": -10.0},
                {"R_sersic": 10.0, "n_sersic": 8.0, "e1": 0.5, "e2": 0.5, "center_x": 10.0, "center_y": 10.0}]

    source = [sersic(0.3, 0.2)]
    light = [sersic(1.0, 0.1)]
    pack = lambda lst: [[entry[i] for entry in lst] for i in range(5)]  # noqa: E731
    return {"lens_model": pack(lens), "source_model": pack(source), "lens_light_model": pack(light)}


def fit_one(path, args):
    truth = load_truth(path, args.truth)
    kwargs_data, kwargs_psf, desc = kwargs_data_for(path, args, truth)
    kwargs_model = {"lens_model_list": ["SIE", "SHEAR"],
                    "source_light_model_list": ["SERSIC_ELLIPSE"],
                    "lens_light_model_list": ["SERSIC_ELLIPSE"]}
    kwargs_numerics = {"supersampling_factor": args.supersampling, "supersampling_convolution": False}
    multi_band_list = [[kwargs_data, kwargs_psf, kwargs_numerics]]
    kwargs_data_joint = {"multi_band_list": multi_band_list, "multi_band_type": "single-band"}
    kwargs_likelihood = {"source_marg": False}
    fitting_list = [
        ["PSO", {"sigma_scale": 1.0, "n_particles": args.particles, "n_iterations": args.iterations}],
        ["SIMPLEX", {"n_iterations": args.simplex_iterations}],
    ]

    np.random.seed(args.seed)
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):  # SIMPLEX prints even when not verbose
        seq = FittingSequence(kwargs_data_joint, kwargs_model, {}, kwargs_likelihood,
                              kwargs_params(), verbose=False)
        seq.fit_sequence(fitting_list)
        kwargs_result = seq.best_fit()
    wall = time.perf_counter() - t0

    logL = seq.best_fit_likelihood()
    dof = seq.likelihood_class.effective_num_data_points(**kwargs_result)
    chi2_red = -2.0 * logL / max(dof, 1)
    theta_fit = kwargs_result["kwargs_lens"][0]["theta_E"]
    if truth is not None:
        theta_true = truth["kwargs_lens"][0]["theta_E"]
    else:
        with fits.open(path) as hdul:
            theta_true = hdul[0].header.get("THETA_E", float("nan"))
    rel = (theta_fit - theta_true) / theta_true
    print(f"{os.path.basename(path)}: wall {wall:.1f} s, theta_E fit {theta_fit:.4f}\", "
          f"true {theta_true:.4f}\", rel. error {rel:+.2e}, reduced chi2 {chi2_red:.3f} "
          f"({desc}, supersampling {args.supersampling}, PSO {args.particles}x{args.iterations}, "
          f"SIMPLEX {args.simplex_iterations})", flush=True)


def main():
    args = parse_args()
    for path in args.fits:
        fit_one(path, args)


if __name__ == "__main__":
    main()
