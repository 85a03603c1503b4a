#!/usr/bin/env bash
# Installs the build into a temporary DESTDIR (prefix /usr, as the Debian
# package does) and checks the installed tree: the programs, the bundled model
# and sample, the desktop integration when the GUI is built, and that the
# installed astrorim-cli finds the installed model by itself.
# usage: check_install.sh BUILD_DIR SOURCE_DIR VERSION WITH_GUI(0|1)
set -u
build=${1:?usage: check_install.sh BUILD_DIR SOURCE_DIR VERSION WITH_GUI}
source=${2:?}
version=${3:?}
with_gui=${4:?}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/astrorim_install_XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
usr=$root/usr
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
expect_file() { if [ -f "$1" ]; then pass; else fail "missing ${1#"$root"}"; fi; }
expect_absent() { if [ -e "$1" ]; then fail "unexpected ${1#"$root"}"; else pass; fi; }

if ! DESTDIR=$root cmake --install "$build" --prefix /usr > "$tmp/install.log" 2>&1; then
  cat "$tmp/install.log"
  echo "0 passed, 1 failed (cmake --install)"
  exit 1
fi

expect_file "$usr/bin/astrorim-cli"
for f in default.safetensors README.md evaluation.md; do
  expect_file "$usr/share/astrorim/models/$f"
done
for f in "$source"/resources/sample/*; do
  expect_file "$usr/share/astrorim/sample/$(basename "$f")"
done
cmp -s "$source/resources/models/default.safetensors" "$usr/share/astrorim/models/default.safetensors" \
  && pass || fail "installed model differs from resources/models/default.safetensors"

desktop=$usr/share/applications/io.github.astrorim.AstroRIM.desktop
metainfo=$usr/share/metainfo/io.github.astrorim.AstroRIM.metainfo.xml
icon=$usr/share/icons/hicolor/scalable/apps/astrorim.svg
if [ "$with_gui" = 1 ]; then
  for f in "$usr/bin/astrorim" "$desktop" "$metainfo" "$icon"; do expect_file "$f"; done
else
  # No GUI, no menu entry that would launch nothing.
  for f in "$usr/bin/astrorim" "$desktop" "$metainfo" "$icon"; do expect_absent "$f"; done
fi

# The metainfo's newest release is the project's version (releases are
# written by hand, newest first).
top_release=$(grep -o '<release version="[^"]*"' "$source/packaging/io.github.astrorim.AstroRIM.metainfo.xml" \
              | head -n 1 | sed 's/.*version="\([^"]*\)"/\1/')
[ "$top_release" = "$version" ] && pass \
  || fail "metainfo's newest release is '$top_release', the project's version is $version"

# Installed programs carry no run path into the build tree.
if command -v readelf > /dev/null; then
  if readelf -d "$usr/bin/astrorim-cli" | grep -E 'R(UN)?PATH' | grep -qF "$build"; then
    fail "installed astrorim-cli has a run path into the build tree"
  else
    pass
  fi
fi

# The installed astrorim-cli defaults to the installed model ...
cli=$usr/bin/astrorim-cli
help=$("$cli" reconstruct --help 2>&1)
installed_model=$usr/share/astrorim/models/default.safetensors
if grep -qF "(default: $installed_model)" <<< "$help"; then
  pass
else
  fail "installed astrorim-cli's default --model is not $installed_model:"
  grep -F -- "--model" <<< "$help"
fi

# ... and reconstructs the installed sample with it, run from elsewhere.
out=$tmp/out
# (the inversion alone on a coarse grid: this checks the installation, not the fit)
if (cd "$tmp" && "$cli" reconstruct "$usr/share/astrorim/sample/sample_lens.fits" --output-dir "$out" \
      --mode inversion --source-grid 32 --no-diagnostics --device cpu --threads 2) > "$tmp/reconstruct.log" 2>&1; then
  pass
else
  fail "installed astrorim-cli reconstruct without --model failed:"
  cat "$tmp/reconstruct.log"
fi
for f in sample_lens_source.fits sample_lens_parameters.json summary.csv; do
  expect_file "$out/$f"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
