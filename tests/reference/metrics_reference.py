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

# References of test_metrics.cpp's source-plane metrics (core/metrics/source_error.h).
def gauss(h, w, r0, c0, s, amp=1.0):   # a round Gaussian clump centred at row r0, column c0
    i, j = grid(h, w)
    return amp * np.exp(-((i - r0) ** 2 + (j - c0) ** 2) / (2 * s * s))

def clumps(h, w):      # a source near the top edge, so its support window is clipped
    return gauss(h, w, 6.0, 40.0, 3.0) + 0.6 * gauss(h, w, 12.0, 47.0, 1.5)

def clumpsBlurred(h, w):   # clumps blurred by a Gaussian of sigma 1.2 (flux kept), moved by (+0.5, -0.3)
    return gauss(h, w, 6.5, 39.7, np.sqrt(9 + 1.44), 9 / 10.44) \
        + 0.6 * gauss(h, w, 12.5, 46.7, np.sqrt(2.25 + 1.44), 2.25 / 3.69)

def speck(h, w):       # a tiny source near a corner, so its window is grown to 11 rows and moved inward
    return gauss(h, w, 2.0, 60.0, 0.6)

def speckEstimate(h, w):
    return gauss(h, w, 2.3, 59.6, 0.8, 0.7)

def support_ssim(estimate, truth):   # an independent transcription of supportSsim's definition
    peak = truth.max()
    inside = truth > 0.02 * peak
    def bounds(idx, n):
        lo, hi = max(idx.min() - 5, 0), min(idx.max() + 5, n - 1)
        missing = 11 - (hi - lo + 1)
        if missing > 0:
            lo, hi = lo - missing // 2, hi + missing - missing // 2
        if lo < 0:
            lo, hi = 0, hi - lo
        if hi > n - 1:
            lo, hi = lo - (hi - (n - 1)), n - 1
        return lo, hi
    r0, r1 = bounds(np.nonzero(inside.any(axis=1))[0], truth.shape[0])
    c0, c1 = bounds(np.nonzero(inside.any(axis=0))[0], truth.shape[1])
    window = (slice(r0, r1 + 1), slice(c0, c1 + 1))
    s = structural_similarity(estimate[window] / peak, truth[window] / peak, gaussian_weights=True, sigma=1.5,
                              use_sample_covariance=False, data_range=1.0)
    return s, (r0, r1, c0, c1)

for name, f, g in [("clumps", clumps, clumpsBlurred), ("speck", speck, speckEstimate)]:
    x, y = g(64, 64), f(64, 64)
    s, window = support_ssim(x, y)
    rel = np.linalg.norm(x - y) / np.linalg.norm(y)
    print(f"{name} 64x64: window rows/cols {window} support_ssim={s:.17g} relative_error={rel:.17g}")

# A compact source (sigma 2 px) on 64x64: an empty and a blurred (sigma 1.5 px, flux kept) estimate.
truth, blurred = gauss(64, 64, 30.0, 33.0, 2.0), gauss(64, 64, 30.0, 33.0, 2.5, 4 / 6.25)
for name, x in [("empty", np.zeros_like(truth)), ("blurred", blurred)]:
    whole = structural_similarity(x, truth, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                  data_range=1.0)
    print(f"compact source, {name}: whole-frame ssim={whole:.17g} support_ssim={support_ssim(x, truth)[0]:.17g}")
