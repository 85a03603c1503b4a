#!/usr/bin/env bash
# core/ and the command-line tool must build where Qt is absent (GPU nodes):
# fail when a Qt or QCustomPlot header is included there.
set -u
root=${1:?usage: check_layering.sh SOURCE_DIR}
hits=$(grep -rnE '#\s*include\s*[<"](Q[A-Z][A-Za-z]*|qcustomplot\.h|QtCore|QtGui|QtWidgets)' \
       "$root/core" "$root/app/cli" 2>/dev/null)
if [ -n "$hits" ]; then
  echo "Qt headers included where Qt must not be used:"
  echo "$hits"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "core/ and app/cli include no Qt headers"
echo "1 passed, 0 failed"
