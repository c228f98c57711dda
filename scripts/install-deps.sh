#!/usr/bin/env bash
# Installs the Debian 12 packages hakit builds and tests with (as root, or via sudo).
# Only what is missing is installed; a machine that has everything is left alone.
set -euo pipefail

packages=(
  build-essential cmake git
  libboost-dev libboost-test-dev libboost-program-options-dev libboost-filesystem-dev
  nlohmann-json3-dev
  python3 python3-jsonschema   # the schema test validates documents with Draft 2020-12
  chromium                     # the HTML report test renders in headless Chromium
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
