#!/usr/bin/env bash
# Set up everything jixiao needs on a Debian/Ubuntu machine: system packages (as root with
# apt-get; otherwise print what to install), a virtualenv in .venv, and the package itself.
# Idempotent and quick when nothing changed. Usage: scripts/setup.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
[ "${1:-}" = "--dev" ] && DEV=1

# Why each package: fonts for CJK text in PDFs (Noto CJK has real bold; WenQuanYi Micro Hei is
# the small fallback); libharfbuzz-subset0 lets WeasyPrint subset fonts fast (without it WeasyPrint
# falls back to a path ~20x slower); pango for WeasyPrint; poppler-utils (pdffonts, pdftoppm,
# pdftotext) and LibreOffice Calc verify outputs in the tests; chromium for browser tests; nginx
# (and openssl for its test certificate) to check and run deploy/nginx.conf in the tests.
APT_RUNTIME="python3 python3-venv fonts-noto-cjk fonts-wqy-microhei libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils"
APT_DEV="libreoffice-calc-nogui chromium gettext nginx-light openssl"
want="$APT_RUNTIME"
[ "$DEV" = 1 ] && want="$want $APT_DEV"

missing=""
for pkg in $want; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "jixiao setup: 安装系统软件包 / installing system packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends $missing
  else
    echo "jixiao setup: 缺少系统软件包，请以 root 运行 / missing system packages; as root run:" >&2
    echo "  apt-get install -y --no-install-recommends$missing" >&2
    exit 2
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
extras=""
[ "$DEV" = 1 ] && extras="[dev]"
stamp=".venv/.jixiao-installed$extras"
sum=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install -q -e ".$extras"
  echo "$sum" > "$stamp"
fi
