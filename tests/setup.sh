#!/usr/bin/env bash
# Test set-up the Python packages cannot do: Debian's Chromium for the report's browser test.
# Idempotent; runs as root on the project's machines (CI included), else through sudo.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v chromium
