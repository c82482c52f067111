#!/usr/bin/env bash
# Installs the Debian packages IMATKit builds and tests with, only those that are missing.
# Usage: scripts/install-deps.sh [extra-package ...]
set -euo pipefail

# dcm2niix: the reference the DICOM tests compare against.
packages=(pkg-config libpng-dev zlib1g-dev libisal-dev libopenblas-dev liblapacke-dev libopenjp2-7-dev libcharls-dev libjpeg62-turbo-dev dcm2niix "$@")
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
