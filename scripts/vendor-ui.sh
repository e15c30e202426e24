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
#
# Usage: scripts/vendor-ui.sh   (needs npm; run from anywhere)
set -euo pipefail
cd "$(dirname "$0")/.."

LEAFLET=1.9.4
TOPOJSON_CLIENT=3.1.0
WORLD_ATLAS=2.0.2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "leaflet@$LEAFLET" "topojson-client@$TOPOJSON_CLIENT" "world-atlas@$WORLD_ATLAS" >/dev/null)
for f in "$tmp"/*.tgz; do
  d="$tmp/$(basename "$f" .tgz)"
  mkdir -p "$d"
  tar xzf "$f" -C "$d"
done

v=web/ui/vendor
rm -rf "$v"
mkdir -p "$v/leaflet/images" "$v/topojson-client" "$v/world-atlas"

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

cat >"$v/VERSIONS" <<EOF
leaflet@$LEAFLET
topojson-client@$TOPOJSON_CLIENT
world-atlas@$WORLD_ATLAS
EOF
(cd "$v" && find . -type f ! -name SHA256SUMS | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)
echo "vendored into $v:"
cat "$v/VERSIONS"
