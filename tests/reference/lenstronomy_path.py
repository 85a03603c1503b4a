# Puts a lenstronomy source checkout on sys.path for the reference scripts in
# this folder; import it before anything from lenstronomy. lenstronomy is not
# installed and none of its code is in this repository: it is used from a
# plain git checkout (pure Python) with Debian 12's python3-numpy 1.24.2,
# python3-scipy 1.10.1, python3-astropy 5.2.1, python3-matplotlib 3.6.3,
# python3-tqdm 4.64.1 and python3-multiprocess 0.70.12.2 (see the scripts'
# headers).
#
# The checkout is looked for, in this order, at
#   1. $LENSTRONOMY_PATH (when set, only there),
#   2. /work/lenstronomy,
#   3. ../lenstronomy next to this repository's root.
# A checkout is a folder holding lenstronomy/__init__.py. When none is found,
# or it cannot be imported, the process exits with status 77 (the "skipped"
# status of CTest's SKIP_RETURN_CODE and of automake) after one line on stderr.
#
# lenstronomy's samplers (PSO, ...) also import schwimmbad, which Debian 12
# does not package. When it is not importable, a schwimmbad source checkout
# (pure Python; its src/schwimmbad/_version.py, which hatch-vcs writes at build
# time, written by hand) is looked for in the same way at $SCHWIMMBAD_PATH,
# /work/schwimmbad and ../schwimmbad, and put on sys.path if found. Scripts
# that sample call require_schwimmbad(), which exits 77 when it is missing.
import os
import sys

SKIP = 77


def _candidates(package, env):
    value = os.environ.get(env)
    if value:
        return [value]
    repo_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return ["/work/" + package, os.path.join(os.path.dirname(repo_root), package)]


def _find(package="lenstronomy", env="LENSTRONOMY_PATH", subdirs=("",)):
    for path in _candidates(package, env):
        for sub in subdirs:
            root = os.path.join(path, sub) if sub else path
            if os.path.isfile(os.path.join(root, package, "__init__.py")):
                return os.path.abspath(root)
    return None


LENSTRONOMY_PATH = _find()
if LENSTRONOMY_PATH is None:
    print("lenstronomy not found: set LENSTRONOMY_PATH", file=sys.stderr)
    sys.exit(SKIP)
if LENSTRONOMY_PATH not in sys.path:
    sys.path.insert(0, LENSTRONOMY_PATH)
try:
    # The fitting workflow pulls in every dependency the reference scripts need.
    import lenstronomy.Workflow.fitting_sequence  # noqa: F401
except ImportError as exc:
    print(f"lenstronomy at {LENSTRONOMY_PATH} cannot be imported: {exc}", file=sys.stderr)
    sys.exit(SKIP)


def _add_schwimmbad():
    """Returns None when schwimmbad imports, else the reason it does not."""
    try:
        import schwimmbad  # noqa: F401
        return None
    except ImportError as exc:
        reason = str(exc)
    root = _find("schwimmbad", "SCHWIMMBAD_PATH", ("src", ""))
    if root is None:
        return reason
    sys.path.insert(1, root)
    try:
        import schwimmbad  # noqa: F401,F811
        return None
    except ImportError as exc:
        sys.path.remove(root)
        return f"{root}: {exc}"


_SCHWIMMBAD_MISSING = _add_schwimmbad()
HAVE_SCHWIMMBAD = _SCHWIMMBAD_MISSING is None


def require_schwimmbad():
    """Exit with status 77 unless schwimmbad (needed by lenstronomy's samplers) imports."""
    if not HAVE_SCHWIMMBAD:
        print(f"schwimmbad not found (lenstronomy's samplers need it): set SCHWIMMBAD_PATH"
              f" ({_SCHWIMMBAD_MISSING})", file=sys.stderr)
        sys.exit(SKIP)
