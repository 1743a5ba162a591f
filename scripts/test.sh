#!/usr/bin/env bash
# The whole check, exactly as CI runs it: lint, architecture contracts, the test suite.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
mkdir -p test-artifacts

echo "== ruff"
$BIN/ruff check . || exit 1
$BIN/ruff format --check . || exit 1
echo "== import-linter (domain boundaries)"
$BIN/lint-imports || exit 1
echo "== pytest"
$BIN/python -m pytest -n 2 --timeout=600 "$@"
status=$?
if [ $status -eq 5 ]; then
  echo "エラー: テストが1件も収集されませんでした（設定の誤り）" >&2
  exit 1
fi
exit $status
