#!/usr/bin/env bash
# Installs the Debian packages Jikim needs, only those that are missing.
#   scripts/debian-deps.sh build   what building the course needs:
#     fonts-nanum          a Korean font for the PDFs (NanumGothic)
#     libharfbuzz-subset0  fast font subsetting in WeasyPrint (otherwise fontTools: 25-60x slower)
#     libpango-1.0-0 libpangoft2-1.0-0  WeasyPrint's text layout
#   scripts/debian-deps.sh test    the same, and what the tests use:
#     poppler-utils        pdftotext/pdftoppm
#     zbar-tools           zbarimg, the tests decode the printed QR codes
#     chromium             the browser tests drive Debian's Chromium through Playwright
#     libreoffice-writer-nogui  the tests open the Word copies in a real office program
#     npm                  only where missing: fetches axe-core for the accessibility tests
set -euo pipefail
packages=(fonts-nanum libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0)
if [ "${1:-build}" = test ]; then
  packages+=(poppler-utils zbar-tools chromium libreoffice-writer-nogui)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
