#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the platform needs, where they are missing.
#   python3 + venv        the interpreter (Python >= 3.11)
#   libpango / harfbuzz   WeasyPrint; without libharfbuzz-subset0 CJK PDFs take ~9 s instead of ~0.2 s
#   fonts-noto-cjk        the open CJK faces documents and pages fall back on
#   fonts-lxgw-wenkai     an open Kai face (LXGW WenKai), standing in for 楷体_GB2312 in official documents
#   fonts-arphic-ukai     another (AR PL UKai), for the characters WenKai lacks
#   chromium              the browser tests (Playwright drives Debian's /usr/bin/chromium)
# Needs root or sudo to install; otherwise it says what is missing and carries on.
set -euo pipefail

packages=(python3 python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-lxgw-wenkai fonts-arphic-ukai chromium)
[ "${1:-}" = "--no-browser" ] && packages=("${packages[@]/chromium}")

missing=()
for package in "${packages[@]}"; do
  [ -z "$package" ] && continue
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "Missing system packages (install them as root): ${missing[*]}" >&2
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
