#!/usr/bin/env bash
# Test set-up the Python packages cannot do: Debian's Chromium for the report's browser test,
# and Virtuoso (virtuoso-opensource, the `virtuoso-t` server) for the cross-store test.
# Idempotent: installs only what is missing, in one apt-get run; runs as root on the project's
# machines (CI included), else through sudo.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
# virtuoso-opensource's package scripts ask for a dba password (none: tests make their own
# database) and try to start a system service (refused in containers; tests start their own)
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
command -v chromium
command -v virtuoso-t
