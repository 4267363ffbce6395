# shellcheck shell=bash
# What ./run needs from the operating system, found and (as root, on Debian/Ubuntu) installed.
# Sourced by ./run, which then calls `prepare_system demo|test`; that sets PYTHON.
#
#   ./run check-system [demo|test]   says what is missing and what would be installed
#
# Detection reads files and asks nobody: `ldconfig` is in /sbin, which is not on a normal
# user's PATH, and `import ensurepip` fails on Debian's Python 3.11 until python3.11-venv is
# installed although the interpreter itself is fine. So the interpreter is chosen by its
# version alone and what it lacks is installed (or named) like any other system package.
#
# For the tests only: PROCURE_SYSTEM_ROOT prefixes every file looked at (a fake root), and
# PROCURE_SYSTEM_DRY_RUN=1 prints the apt-get commands instead of running them.

SYSTEM_ROOT=${PROCURE_SYSTEM_ROOT:-}

# The documents' @font-face rules (procure/static/print/documents.css) load these files by
# path. DejaVuSerif and -Bold are in fonts-dejavu-core; the italics are only in
# fonts-dejavu-extra (the terbilang line and the table notes are italic).
FONT_FILES=(
  "fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
  "fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
  "fonts-dejavu-extra:/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf"
  "fonts-dejavu-extra:/usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf"
)
# The libraries WeasyPrint opens (weasyprint/text/ffi.py); each package pulls in GLib,
# HarfBuzz and fontconfig. Without harfbuzz-subset WeasyPrint warns, and the tests treat
# warnings as errors.
LIBRARIES=(
  "libpango-1.0-0:libpango-1.0.so.0"
  "libpangoft2-1.0-0:libpangoft2-1.0.so.0"
  "libharfbuzz-subset0:libharfbuzz-subset.so.0"
)
# What only the tests need: Chromium for the browser tests, poppler for pdftotext/pdftoppm,
# npm to fetch axe-core for the accessibility tests (scripts/axe-core.sh), SoftHSM2 as the
# PKCS#11 token the seal tests put a key in (tests/unit/test_seal_pkcs11.py).
TEST_COMMANDS=("chromium:chromium" "poppler-utils:pdftoppm" "poppler-utils:pdftotext" "npm:npm"
  "softhsm2:softhsm2-util")

_python_at_least_311() {  # $1: interpreter; by its version alone
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

_python_makes_venvs() {  # Debian ships ensurepip in python3.X-venv, not with the interpreter
  "$1" -c 'import ensurepip, venv' >/dev/null 2>&1
}

# Sets PYTHON to the first Python 3.11+ and PYTHON_VENV_PACKAGE to the package it lacks to
# make a venv ("" when it can, or when .venv already exists).
find_python() {
  PYTHON_VENV_PACKAGE=""
  local candidate
  if [ -z "${PYTHON:-}" ]; then
    # The distribution's python3 first: Debian's and Ubuntu's are built with profile-guided
    # optimisation and lay out the PDF documents 15-20 % faster than a default pyenv or
    # source build (docs/benchmarks.md, "Documents").
    for candidate in "$SYSTEM_ROOT/usr/bin/python3" python3.11 python3.12 python3.13 python3; do
      if command -v "$candidate" >/dev/null 2>&1 && _python_at_least_311 "$candidate"; then
        PYTHON=$candidate
        break
      fi
    done
  elif ! _python_at_least_311 "$PYTHON"; then
    echo "PYTHON=$PYTHON bukan Python 3.11 atau lebih baru." >&2
    return 1
  fi
  if [ -z "${PYTHON:-}" ]; then
    echo "Perlu Python 3.11 atau lebih baru (python3 di sistem ini lebih lama atau tidak ada)." >&2
    echo "Debian 12 dan Ubuntu 24.04 sudah membawanya: apt-get install python3" >&2
    return 1
  fi
  if [ ! -x .venv/bin/python ] && ! _python_makes_venvs "$PYTHON"; then
    local version
    version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    PYTHON_VENV_PACKAGE="python$version-venv"
  fi
}

_has_library() {  # $1: soname; looked for as a file first, ldconfig only as a fallback
  local path ldconfig cache
  for path in "$SYSTEM_ROOT"/usr/lib/*/"$1" "$SYSTEM_ROOT"/usr/lib/"$1" \
              "$SYSTEM_ROOT"/usr/lib64/"$1" "$SYSTEM_ROOT"/lib/*/"$1" "$SYSTEM_ROOT"/lib/"$1" \
              "$SYSTEM_ROOT"/lib64/"$1"; do
    [ -e "$path" ] && return 0
  done
  for ldconfig in "$SYSTEM_ROOT/sbin/ldconfig" "$SYSTEM_ROOT/usr/sbin/ldconfig"; do
    if [ -x "$ldconfig" ]; then  # read whole: `| grep -q` would end it with SIGPIPE
      cache=$("$ldconfig" -p 2>/dev/null) || true
      [[ $cache == *"$1"* ]] && return 0
      return 1
    fi
  done
  return 1
}

# Prints the missing Debian/Ubuntu packages for "demo" or "test", one a line, each once.
missing_system_packages() {
  local entry package seen=" "
  local -a missing=()
  [ -n "${PYTHON_VENV_PACKAGE:-}" ] && missing+=("$PYTHON_VENV_PACKAGE")
  for entry in "${FONT_FILES[@]}"; do
    [ -e "$SYSTEM_ROOT${entry#*:}" ] || missing+=("${entry%%:*}")
  done
  for entry in "${LIBRARIES[@]}"; do
    _has_library "${entry#*:}" || missing+=("${entry%%:*}")
  done
  if [ "$1" = test ]; then
    for entry in "${TEST_COMMANDS[@]}"; do
      command -v "${entry#*:}" >/dev/null 2>&1 || missing+=("${entry%%:*}")
    done
  fi
  for package in "${missing[@]}"; do
    case "$seen" in *" $package "*) continue ;; esac
    seen+="$package "
    echo "$package"
  done
}

_run_or_show() {
  if [ "${PROCURE_SYSTEM_DRY_RUN:-0}" = 1 ]; then
    echo "akan dijalankan: $*"
  else
    "$@" >/dev/null  # errors still reach stderr
  fi
}

# Finds Python, then installs what is missing (root with apt-get) or says exactly what to
# run. A missing venv package or, for "test", anything missing stops ./run; for "demo" only
# the documents wait, so it warns and goes on.
prepare_system() {  # $1: "demo" or "test"
  find_python || return 1
  local -a missing
  mapfile -t missing < <(missing_system_packages "$1")
  if [ ${#missing[@]} -eq 0 ]; then
    [ "${PROCURE_SYSTEM_DRY_RUN:-0}" = 1 ] && echo "Paket sistem lengkap (Python: $PYTHON)."
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    if [ "${PROCURE_SYSTEM_DRY_RUN:-0}" = 1 ]; then
      echo "Akan memasang paket sistem: ${missing[*]}"
    else
      echo "Memasang paket sistem: ${missing[*]}"
    fi
    _run_or_show apt-get update -qq
    _run_or_show env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}"
    return 0
  fi
  local sudo="" how
  command -v sudo >/dev/null 2>&1 && sudo="sudo "
  how="${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${missing[*]}"
  command -v apt-get >/dev/null 2>&1 ||
    how="pasang padanan paket ini dengan pengelola paket sistem Anda: ${missing[*]}"
  if [ -n "${PYTHON_VENV_PACKAGE:-}" ] || [ "$1" = test ]; then
    echo "Paket sistem belum terpasang: ${missing[*]}." >&2
    echo "Jalankan ini sebagai root (atau dengan sudo), lalu ulangi ./run $1:" >&2
    echo "  $how" >&2
    return 1
  fi
  echo "Perhatian: ${missing[*]} belum terpasang; dokumen PDF tidak bisa dibuat sampai dipasang:" >&2
  echo "  $how" >&2
}
