# Prints the reference values hard-coded in tests/test_metrics.cpp. Not part of
# the build: run by hand with Debian 12's python3-skimage 0.19.3 (scipy 1.10.1,
# numpy 1.24.2) as /usr/bin/python3 tests/reference/metrics_reference.py.
import numpy as np, skimage
from skimage.metrics import structural_similarity, mean_squared_error

def grid(h, w):
    i = np.arange(h, dtype=np.float64)[:, None]
    j = np.arange(w, dtype=np.float64)[None, :]
    return i, j

def waves(h, w):       # truth: a sin/cos grid plus a ramp
    i, j = grid(h, w)
    return np.sin(0.3 * i) * np.cos(0.2 * j) + 0.01 * i

def wavesReconstructed(h, w):   # deterministic "residual" on top
    i, j = grid(h, w)
    return waves(h, w) + 0.2 * np.cos(0.7 * i + 1.3 * j)

def blob(h, w):        # a Gaussian source plus a ramp
    i, j = grid(h, w)
    return np.exp(-((i - 0.45 * h) ** 2 + (j - 0.55 * w) ** 2) / (2 * (0.12 * h) ** 2)) + 0.002 * (i + 2 * j)

def blobReconstructed(h, w):    # shifted, shrunk, with a ripple
    i, j = grid(h, w)
    return 0.9 * np.exp(-((i - 0.45 * h - 0.7) ** 2 + (j - 0.55 * w) ** 2) / (2 * (0.11 * h) ** 2)) \
        + 0.002 * (i + 2 * j) + 0.02 * np.sin(0.5 * i) * np.sin(0.9 * j)

print(skimage.__version__)
cases = [("waves", waves, wavesReconstructed, 32, 32, 2.0),
         ("waves", waves, wavesReconstructed, 96, 96, 2.0),
         ("waves", waves, wavesReconstructed, 20, 45, 2.0),
         ("waves", waves, wavesReconstructed, 11, 11, 2.0),
         ("blob", blob, blobReconstructed, 32, 32, 1.0),
         ("blob", blob, blobReconstructed, 96, 96, 1.0),
         ("blob", blob, blobReconstructed, 57, 13, 1.0),
         ("blob", blob, blobReconstructed, 96, 96, 0.25)]
for name, f, g, h, w, r in cases:
    x, y = g(h, w), f(h, w)
    s = structural_similarity(x, y, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=r)
    m = mean_squared_error(x, y)
    print(f"{name} {h}x{w} R={r}: ssim={s:.17g} mse={m:.17g}")

# numpy references of test_metrics.cpp's summaryMatchesNumpy.
for v in [[0.91, 0.87, 0.95, 0.42, 0.99, 0.78, 0.88, 0.93, 0.61, 0.97, 0.85], [3.0, -1.5, 2.25, 0.5], [0.7]]:
    v = np.array(v)
    print(repr(v.mean()), repr(v.std()), repr(np.median(v)), repr(np.percentile(v, 5)), v.min(), v.max(), len(v))
