#!/usr/bin/env bash
# Browser tests run against Debian's chromium (Playwright's own browser download is not used).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ]; then exit 0; fi
echo "chromium not found: installing Debian's chromium package" >&2
if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq chromium >&2
command -v chromium >/dev/null 2>&1 || { echo "chromium install failed" >&2; exit 1; }
