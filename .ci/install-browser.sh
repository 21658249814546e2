#!/usr/bin/env bash
# CI: the headless browser the audit-report tests load extracted/audit.html in (Debian's chromium),
# and a Japanese font so that the page (and its screenshot) shows text rather than empty boxes.
# Idempotent: installs only what is missing; safe to run on every CI run.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
# IPAex Gothic is the font the reports themselves use; small (3 MB) compared to Noto CJK.
if ! { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=ja 2>/dev/null)" ]; }; then
  missing+=(fonts-ipaexfont-gothic)
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-browser: chromium and a Japanese font are present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-browser: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi
echo "install-browser: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}"
/usr/bin/chromium --version 2>/dev/null || true
