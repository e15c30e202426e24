#!/usr/bin/env bash
# Re-fetches the web UI's vendored third-party files from the npm registry
# into web/ui/vendor/. They are committed, so neither `go build` nor the
# running server ever needs Node or the network: this script documents
# exactly where the files came from and lets a maintainer bump a version.
#
#   leaflet 1.9.4          map library (BSD-2-Clause)       dist/leaflet.js, leaflet.css, images/
#   topojson-client 3.1.0  TopoJSON → GeoJSON (ISC)         dist/topojson-client.min.js
#   world-atlas 2.0.2      Natural Earth country outlines   countries-110m.json, countries-50m.json
#                          (Natural Earth: public domain; packaging ISC)
#   qrcode-generator 2.0.4 QR codes drawn in the browser    dist/qrcode.mjs -> qrcode.js (MIT)
#                          (admin page: configure a phone from an intake URL, offline)
#
# For the browser tests only (not embedded, not served by the app):
#   axe-core 4.11.0        accessibility checks (MPL-2.0)   axe.min.js -> web/testdata/axe/
#
# Usage: scripts/vendor-ui.sh   (needs npm; run from anywhere)
set -euo pipefail
cd "$(dirname "$0")/.."

LEAFLET=1.9.4
TOPOJSON_CLIENT=3.1.0
WORLD_ATLAS=2.0.2
QRCODE_GENERATOR=2.0.4
AXE_CORE=4.11.0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "leaflet@$LEAFLET" "topojson-client@$TOPOJSON_CLIENT" "world-atlas@$WORLD_ATLAS" \
  "qrcode-generator@$QRCODE_GENERATOR" "axe-core@$AXE_CORE" >/dev/null)
for f in "$tmp"/*.tgz; do
  d="$tmp/$(basename "$f" .tgz)"
  mkdir -p "$d"
  tar xzf "$f" -C "$d"
done

v=web/ui/vendor
rm -rf "$v"
mkdir -p "$v/leaflet/images" "$v/topojson-client" "$v/world-atlas" "$v/qrcode-generator"

src="$tmp/leaflet-$LEAFLET/package"
cp "$src/dist/leaflet.js" "$src/dist/leaflet.css" "$v/leaflet/"
cp "$src"/dist/images/*.png "$v/leaflet/images/"
cp "$src/LICENSE" "$v/leaflet/LICENSE"

src="$tmp/topojson-client-$TOPOJSON_CLIENT/package"
cp "$src/dist/topojson-client.min.js" "$v/topojson-client/"
cp "$src/LICENSE" "$v/topojson-client/LICENSE"

src="$tmp/world-atlas-$WORLD_ATLAS/package"
cp "$src/countries-110m.json" "$src/countries-50m.json" "$v/world-atlas/"
cp "$src/LICENSE" "$v/world-atlas/LICENSE"
cat >"$v/world-atlas/NOTICE" <<EOF
Country outlines: Natural Earth (https://www.naturalearthdata.com/), public domain,
converted to TopoJSON by the world-atlas package $WORLD_ATLAS (ISC licence, see LICENSE).
EOF

# qrcode-generator ships its licence in the source header only (MIT,
# package.json "license"): the header stays in the file and LICENSE is
# written from it.
src="$tmp/qrcode-generator-$QRCODE_GENERATOR/package"
cp "$src/dist/qrcode.mjs" "$v/qrcode-generator/qrcode.js"
cat >"$v/qrcode-generator/LICENSE" <<'EOF'
QR Code Generator for JavaScript (npm qrcode-generator)
Copyright (c) 2009 Kazuhiko Arase

Licensed under the MIT license:

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.

The word "QR Code" is a registered trademark of DENSO WAVE INCORPORATED.
EOF

# axe-core: for the browser tests (web/a11y_pages_e2e_test.go) only.
t=web/testdata/axe
rm -rf "$t"
mkdir -p "$t"
src="$tmp/axe-core-$AXE_CORE/package"
cp "$src/axe.min.js" "$src/LICENSE" "$t/"
cat >"$t/README" <<EOF
axe-core $AXE_CORE (npm), Mozilla Public License 2.0 (see LICENSE), Copyright (c) Deque Systems.
Injected into pages by the browser tests only: not embedded in the binary, not served by Vigil.
Fetched by scripts/vendor-ui.sh.
EOF

cat >"$v/VERSIONS" <<EOF
leaflet@$LEAFLET
topojson-client@$TOPOJSON_CLIENT
world-atlas@$WORLD_ATLAS
qrcode-generator@$QRCODE_GENERATOR
EOF
(cd "$v" && find . -type f ! -name SHA256SUMS | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)
echo "vendored into $v:"
cat "$v/VERSIONS"
