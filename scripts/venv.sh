# Sourced by build.sh and test.sh: make (once) the project's virtual environment and install the
# project into it, so that the README's commands work where the system pip refuses to install
# (PEP 668, "externally managed": Debian, Ubuntu, Fedora) and on a machine with only Python 3.11+.
# DIGEST_VENV chooses the folder (default .venv/), PYTHON the interpreter (default python3).
# After it: $PY is the environment's python. Usage: install_project '.[test]'
VENV="${DIGEST_VENV:-$PWD/.venv}"
BASE_PYTHON="${PYTHON:-python3}"

make_venv() {
    if ! "$BASE_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "error: $BASE_PYTHON is not Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
        return 1
    fi
    "$BASE_PYTHON" -m venv "$VENV" >/dev/null 2>&1 && return 0
    rm -rf "$VENV"
    # Debian and Ubuntu ship venv's pip bootstrap (ensurepip) as a package of its own.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        version=$("$BASE_PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
        echo "installing from Debian: python$version-venv" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python$version-venv" >/dev/null \
            && "$BASE_PYTHON" -m venv "$VENV" && return 0
    fi
    echo "error: $BASE_PYTHON cannot make a virtual environment (on Debian or Ubuntu: apt install python3-venv)" >&2
    return 1
}

install_project() {  # $1: what to install, e.g. '.' or '.[test]'; skipped when already done for this pyproject.toml
    local stamp="$VENV/.digest-installed-$(printf '%s' "$1" | tr -c 'a-z' '_')"
    local wanted
    wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        "$PY" -m pip install -qq --disable-pip-version-check -e "$1"
        echo "$wanted" > "$stamp"
    fi
}

[ -x "$VENV/bin/python" ] || make_venv || exit 1
PY="$VENV/bin/python"
