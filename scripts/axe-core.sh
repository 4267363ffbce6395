#!/usr/bin/env bash
# axe-core, the accessibility checker that the browser tests inject into each page they check
# (tests/e2e/axe.py). It is a test tool only: installed from the npm registry into
# .cache/axe-core/ (git-ignored) when missing, never served to users.
# Prints the path of axe.min.js. PROCURE_AXE_VERSION picks another version.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${PROCURE_AXE_VERSION:-4.14.1}
dir=.cache/axe-core
package=$dir/node_modules/axe-core
if [ ! -f "$package/axe.min.js" ] || ! grep -q "\"version\": \"$version\"" "$package/package.json"; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "Tes aksesibilitas perlu npm untuk mengambil axe-core: apt-get install npm" >&2
    exit 1
  fi
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error "axe-core@$version" >&2
fi
echo "$PWD/$package/axe.min.js"
