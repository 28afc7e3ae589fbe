#!/bin/sh
# Installs Debian's chromium (and a font) for HeadlessChromiumTest, which otherwise skips itself.
# Run as root (or with sudo) on Debian/Ubuntu:  sh reports/src/test/scripts/install-chromium.sh
set -eu
if command -v chromium >/dev/null 2>&1; then
  echo "chromium already installed: $(chromium --version 2>/dev/null)"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
chromium --version
