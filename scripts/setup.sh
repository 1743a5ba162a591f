#!/usr/bin/env bash
# Set-up for `make run` / `make test` on a fresh Debian/Ubuntu machine with Python >= 3.11:
# system packages (fonts for certificates, chromium for browser tests) when running as root,
# then .venv with the locked dependencies. Idempotent; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "エラー: Python 3.11 以上が必要です（PYTHON=... で指定できます）" >&2
  exit 1
fi

# Debian packages: Japanese fonts (BIZ UD for body text, IPAmj明朝 for rare kanji in names),
# poppler for PDF checks, chromium for the Playwright browser tests.
DEB_PACKAGES=(fonts-morisawa-bizud-mincho fonts-morisawa-bizud-gothic fonts-ipamj-mincho poppler-utils chromium)
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "システムパッケージをインストールします: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    command -v fc-cache >/dev/null 2>&1 && fc-cache -f >/dev/null 2>&1 || true
  else
    echo "注意: 次のシステムパッケージがありません（root で 'apt-get install ${missing[*]}' を実行してください）。" >&2
    echo "      フォントがないと証明書 PDF が、chromium がないとブラウザテストが動きません。" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
.venv/bin/uv pip sync --quiet --python .venv/bin/python requirements.lock
.venv/bin/uv pip install --quiet --python .venv/bin/python --no-deps -e .
echo "セットアップ完了: .venv/bin/yakuba"
