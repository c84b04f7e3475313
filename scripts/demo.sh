#!/usr/bin/env bash
# Set up and run jixiao's main job on the embedded default (SQLite): `jixiao demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/jixiao demo "$@"
