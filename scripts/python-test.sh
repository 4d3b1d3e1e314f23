#!/usr/bin/env bash
# Build the `onrecord` Python package and run its tests (python/tests), Spark included.
#
#   scripts/python-test.sh                # everything
#   scripts/python-test.sh -m "not spark" # pytest arguments pass through
#
# * A virtual environment under /tmp (ONRECORD_VENV), made once and reused, gets maturin,
#   pytest and pyspark from PyPI.
# * `pip install .` builds the package with maturin (PEP 517, as a user would) and installs
#   it; cargo reuses CARGO_TARGET_DIR (default: the workspace's target/).
# * The CLI (`cargo build --release -p onrecord`) is built for the tests that compare with
#   it, unless ONRECORD_BIN names one.
# * Spark tests need Java 17+; without it they are skipped with a message.
#
# Exit status: pytest's, except that "no tests collected" (5) is reported and counts as 0.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
python=${PYTHON:-python3}
pyver=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
venv=${ONRECORD_VENV:-/tmp/onrecord-py-venv-$pyver}
requirements=("maturin>=1.9.4,<2" "pytest>=7" "pyspark>=3.5,<5")
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}

step() { printf '\n== %s\n' "$*"; }
t0=$SECONDS

step "venv $venv (python $pyver)"
stamp="$venv/.onrecord-requirements"
if [[ ! -x $venv/bin/python ]] || [[ "$(cat "$stamp" 2>/dev/null)" != "${requirements[*]}" ]]; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet "${requirements[@]}"
    echo "${requirements[*]}" > "$stamp"
    echo "created ($((SECONDS - t0)) s)"
else
    echo "reused"
fi
py="$venv/bin/python"

step "pip install . (maturin, release)"
t=$SECONDS
"$py" -m pip install --quiet --force-reinstall --no-deps "$repo"
echo "built and installed onrecord $("$py" -c 'import onrecord; print(onrecord.__version__)') ($((SECONDS - t)) s)"

if [[ -z ${ONRECORD_BIN:-} ]]; then
    step "cargo build --release -p onrecord (the CLI, for comparison)"
    t=$SECONDS
    cargo build --release --quiet -p onrecord
    export ONRECORD_BIN=$CARGO_TARGET_DIR/release/onrecord
    echo "$ONRECORD_BIN ($((SECONDS - t)) s)"
fi

if ! command -v java >/dev/null 2>&1 && [[ ! -x ${JAVA_HOME:-/nonexistent}/bin/java ]]; then
    echo "note: Java not found; the Spark tests will be skipped (install a JDK 17+)" >&2
fi

step "pytest"
t=$SECONDS
export PYSPARK_PYTHON="$py"
status=0
# From /tmp, so that `import onrecord` finds the installed package, not python/onrecord.
(cd /tmp && "$py" -m pytest -c "$repo/pyproject.toml" --rootdir "$repo" "$repo/python/tests" "$@") || status=$?
echo "pytest: $((SECONDS - t)) s; python-test.sh: $((SECONDS - t0)) s in all"
if [[ $status -eq 5 ]]; then
    echo "python-test.sh: pytest collected no tests (exit 5); nothing failed" >&2
    status=0
fi
exit $status
