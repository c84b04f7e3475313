#!/usr/bin/env bash
# Set up (system packages, .venv, dev dependencies), lint with ruff and run the whole test suite.
# PostgreSQL: when a server answers on 127.0.0.1:5432 the web tests also run against it
# (JIXIAO_TEST_DATABASE_URL), unless that variable is already set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev

if [ -z "${JIXIAO_TEST_DATABASE_URL:-}" ]; then
  if .venv/bin/python - <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", 5432)) == 0 else 1)
PY
  then
    export JIXIAO_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/test"
    echo "jixiao tests: PostgreSQL found, also testing against $JIXIAO_TEST_DATABASE_URL"
  fi
fi

# Lint first (rules in pyproject.toml, [tool.ruff.lint]): a finding fails the run before the tests.
.venv/bin/ruff check src tests bench

exec .venv/bin/python -m pytest -n 2 -p no:cacheprovider "$@"
