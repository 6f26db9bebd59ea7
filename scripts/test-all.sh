#!/usr/bin/env bash
# Every test: type check, unit + validation tests (vitest), browser tests (Playwright on Debian chromium).
# Ends with one plain line: "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
out=.test-output
rm -rf "$out"; mkdir -p "$out"
status=0

echo "== type check (svelte-check) =="
if npm run --silent check; then echo "check: ok" > "$out/check.txt"; else echo "check: failed" > "$out/check.txt"; status=1; fi

echo "== unit and validation tests (vitest) =="
npx vitest run --reporter=default --reporter=json --outputFile.json="$out/vitest.json" || status=1

echo "== browser tests (playwright, chromium) =="
if bash scripts/ensure-chromium.sh; then
	npm run --silent build || status=1
	PLAYWRIGHT_JSON_OUTPUT_NAME="$out/playwright.json" npx playwright test --reporter=list,json || status=1
else
	echo "could not install chromium" > "$out/playwright-missing.txt"; status=1
fi

node scripts/count-results.mjs "$out"
c=$?
[ $status -eq 0 ] && [ $c -eq 0 ] && exit 0 || exit 1
