#!/usr/bin/env bash
# Refresh the vendored front-end assets in static/vendor/ from npm (make vendor).
#
# Versions come from package.json (devDependencies); change them there, run this
# script, review the diff and commit static/vendor/. Only this script needs npm:
# running and testing Kium never needs Node.
#
# Each package is fetched with `npm pack` (no node_modules, no install scripts run) and
# only the files the pages load are copied, plus each package's licence. Source maps
# are left out and their sourceMappingURL comments removed, because the production
# static storage (whitenoise's manifest storage) refuses references to missing files.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

version_of() {
  node -p "require('$ROOT/package.json').devDependencies['$1']"
}

# fetch NAME -> prints the directory holding the unpacked package/
fetch() {
  local name="$1" version dir
  version="$(version_of "$name")"
  dir="$WORK/$name"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$name@$version" >/dev/null 2>&1)
  tar -xzf "$dir"/*.tgz -C "$dir"
  echo "$name@$version" >>"$WORK/versions.txt"
  echo "$dir/package"
}

strip_source_maps() {
  sed -i -E -e 's@//# sourceMappingURL=[^[:space:]]*@@' -e 's@/\*# sourceMappingURL=[^*]*\*/@@' "$@"
}

rm -rf "$DEST"
mkdir -p "$DEST"

# --- KRDS (Korea Design System) -------------------------------------------------------
pkg="$(fetch krds-uiux)"
out="$DEST/krds"
mkdir -p "$out"
cp "$pkg/resources/cdn/krds.min.js" "$out/"
# The CDN build points its icons at www.krds.go.kr; the CSP allows only 'self', so the
# icons are served from here and the URLs made relative to the stylesheet.
sed -e 's@https://www\.krds\.go\.kr/resources/img/@img/@g' \
  "$pkg/resources/cdn/krds.min.css" >"$out/krds.min.css"
grep -o 'url(img/[^)]*)' "$out/krds.min.css" | sed -e 's/^url(//' -e 's/)$//' | sort -u |
  while read -r rel; do
    mkdir -p "$out/$(dirname "$rel")"
    cp "$pkg/resources/$rel" "$out/$rel"
  done
# krds-uiux ships no licence file; its package.json says ISC and its README points to
# the KRDS terms of use. Keep both statements beside the files.
{
  echo "krds-uiux $(version_of krds-uiux) — https://www.npmjs.com/package/krds-uiux"
  echo "package.json licence: $(node -p "require('$pkg/package.json').license")"
  echo
  sed -n '/^## 저작권 및 라이선스/,$p' "$pkg/README.md"
} >"$out/LICENSE.txt"

# --- Pretendard GOV (variable, dynamic subset) -----------------------------------------
pkg="$(fetch pretendard-gov)"
out="$DEST/pretendard"
mkdir -p "$out"
cp "$pkg/dist/web/variable/pretendardvariable-gov-dynamic-subset.css" "$out/"
cp -r "$pkg/dist/web/variable/woff2-dynamic-subset" "$out/"
cp "$pkg/dist/LICENSE.txt" "$out/LICENSE.txt"

# --- htmx ------------------------------------------------------------------------------
pkg="$(fetch htmx.org)"
out="$DEST/htmx"
mkdir -p "$out"
cp "$pkg/dist/htmx.min.js" "$pkg/LICENSE" "$out/"

# --- Leaflet and its marker clusters ---------------------------------------------------
pkg="$(fetch leaflet)"
out="$DEST/leaflet"
mkdir -p "$out/images"
cp "$pkg/dist/leaflet.js" "$pkg/dist/leaflet.css" "$pkg/LICENSE" "$out/"
cp "$pkg"/dist/images/*.png "$out/images/"
strip_source_maps "$out/leaflet.js"

pkg="$(fetch leaflet.markercluster)"
out="$DEST/leaflet.markercluster"
mkdir -p "$out"
cp "$pkg/dist/leaflet.markercluster.js" "$pkg/dist/MarkerCluster.css" \
  "$pkg/dist/MarkerCluster.Default.css" "$out/"
cp "$pkg/MIT-LICENCE.txt" "$out/LICENSE.txt"
strip_source_maps "$out/leaflet.markercluster.js"

# --- Chart.js ----------------------------------------------------------------------------
pkg="$(fetch chart.js)"
out="$DEST/chartjs"
mkdir -p "$out"
cp "$pkg/dist/chart.umd.min.js" "$out/"
cp "$pkg/LICENSE.md" "$out/LICENSE.md"
strip_source_maps "$out/chart.umd.min.js"

{
  echo "# Vendored by scripts/vendor_assets.sh from npm; versions pinned in package.json."
  sort "$WORK/versions.txt"
} >"$DEST/VERSIONS.txt"

echo "static/vendor refreshed:"
sort "$WORK/versions.txt" | sed 's/^/  /'
du -sh "$DEST"
