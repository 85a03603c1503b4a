# Renders one reconstruction's exported lens (NAME_parameters.json), source
# map (NAME_source.fits) and PSF (extension PSF of NAME_forward.fits) through
# lenstronomy and compares the image with NAME_forward.fits, which AstroRIM
# computed with its own forward operator. Prints the largest difference and
# the rms difference, each over the forward model's peak and over the median
# noise-free pixel scale, and exits non-zero when they disagree by more than
# the stated tolerance (1e-3 of the peak: float32 FITS maps and the
# interpolation of an untruncated source leave ~1e-5).
#
#   LENSTRONOMY_PATH=/work/lenstronomy /usr/bin/python3 \
#       tests/reference/lenstronomy_forward_check.py OUT/NAME_parameters.json
#
# The conventions it relies on (lenstronomy 1.14.2, read from its source):
# - ImageData: pixel (x, y) = (column, row); ra = T00 x + T01 y + ra_at_xy_0.
#   Our JSON's grid gives T = diag(s, s) and the corner pixel's centre.
# - INTERPOL (LightModel/Profiles/interpolation.py): image[i, j] lies at
#   x = center_x + (j − (n−1)/2) scale, y = center_y + (i − (n−1)/2) scale,
#   bilinear (RectBivariateSpline kx = ky = 1) on the array padded with zeros,
#   values in surface brightness per arcsec². Our map holds flux per source
#   pixel, so image = map / scale².
# - The image is flux per pixel = mean surface brightness × s²; our Sérsic
#   amp is per image pixel, so lenstronomy's amp = ours / s².
# - Supersampling: lenstronomy's sub-pixel centres (−½ + (2k+1)/(2S)) match
#   ours; PIXEL PSF with fft_static is a zero-padded true convolution, ours too.
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lenstronomy_path  # noqa: E402,F401  (exits 77 without lenstronomy)

import numpy as np  # noqa: E402
from astropy.io import fits  # noqa: E402
from lenstronomy.Data.imaging_data import ImageData  # noqa: E402
from lenstronomy.Data.psf import PSF  # noqa: E402
from lenstronomy.ImSim.image_model import ImageModel  # noqa: E402
from lenstronomy.LensModel.lens_model import LensModel  # noqa: E402
from lenstronomy.LightModel.light_model import LightModel  # noqa: E402

TOLERANCE = 1e-3


def main(parameters_file, supersampling=2):
    folder = os.path.dirname(parameters_file)
    p = json.load(open(parameters_file))
    name = p["name"]
    forward_hdus = fits.open(os.path.join(folder, name + "_forward.fits"))
    forward = forward_hdus[0].data.astype(np.float64)
    kernel = forward_hdus["PSF"].data.astype(np.float64)
    source = fits.getdata(os.path.join(folder, name + "_source.fits")).astype(np.float64)

    g = p["grid"]
    s = g["pixel_scale"]
    data = ImageData(image_data=np.zeros((g["size"], g["size"])), ra_at_xy_0=g["ra_at_xy_0"],
                     dec_at_xy_0=g["dec_at_xy_0"], transform_pix2angle=np.array(g["transform_pix2angle"]))
    psf = PSF(psf_type="PIXEL", kernel_point_source=kernel)
    sg = p["source_grid"]
    h = sg["pixel_scale"]
    kwargs_source = [{"image": source / h ** 2, "center_x": sg["center_x"], "center_y": sg["center_y"],
                      "phi_G": 0.0, "scale": h, "amp": 1.0}]
    kwargs_light = []
    for k in p["kwargs_lens_light"]:
        k = dict(k)
        k["amp"] = k["amp"] / s ** 2
        kwargs_light.append(k)
    model = ImageModel(data, psf, lens_model_class=LensModel(p["lens_model_list"]),
                       source_model_class=LightModel(["INTERPOL"]),
                       lens_light_model_class=LightModel(p["lens_light_model_list"]),
                       kwargs_numerics={"supersampling_factor": supersampling})
    rendered = model.image(p["kwargs_lens"], kwargs_source, kwargs_light)
    peak = np.abs(forward).max()
    diff = rendered - forward
    worst = np.abs(diff).max() / peak
    rms = np.sqrt(np.mean(diff ** 2)) / peak
    print(f"{name}: lenstronomy vs NAME_forward.fits: max |diff| = {worst:.2e} of the peak, "
          f"rms = {rms:.2e} of the peak ({g['size']}x{g['size']}, source grid {sg['size']}x{sg['size']}, "
          f"supersampling {supersampling})")
    return 0 if worst <= TOLERANCE else 1


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: lenstronomy_forward_check.py OUT/NAME_parameters.json")
    sys.exit(main(sys.argv[1]))
