#!/usr/bin/env bash
# Vendored front-end assets: fetch the pinned npm tarballs and compare them with the committed files.
#   scripts/vendor-assets.sh          check: committed files == registry files == SHA256SUMS (exit 1 if not)
#   scripts/vendor-assets.sh --update copy the registry files in and rewrite SHA256SUMS (after a version bump)
# Needs npm (registry access) and sha256sum. Never use a CDN or `@latest`: versions are pinned here.
set -euo pipefail
cd "$(dirname "$0")/.."
VENDOR=src/pamong/web/static/vendor
# package@version  file-in-tarball  licence-in-tarball
ASSETS=(
  "htmx.org@2.0.11 dist/htmx.min.js LICENSE"
  "chart.js@4.6.1 dist/chart.umd.min.js LICENSE.md"
)
mode="${1:-check}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
status=0
for line in "${ASSETS[@]}"; do
  read -r spec file licence <<<"$line"
  name="${spec%@*}"; version="${spec##*@}"; dir="$VENDOR/$name-$version"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$tmp/$name" && tar xzf "$tmp/$name-$version.tgz" -C "$tmp/$name"
  for f in "$file" "$licence"; do
    src="$tmp/$name/package/$f"; dst="$dir/$(basename "$f")"
    if [ "$mode" = "--update" ]; then
      mkdir -p "$dir" && cp "$src" "$dst"
    elif ! cmp -s "$src" "$dst"; then
      echo "DIFFERS from registry: $dst ($spec $f)" >&2; status=1
    fi
  done
done
if [ "$mode" = "--update" ]; then
  (cd "$VENDOR" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | sort | xargs sha256sum > SHA256SUMS)
  echo "updated $VENDOR and SHA256SUMS"
else
  (cd "$VENDOR" && sha256sum --quiet -c SHA256SUMS) || status=1
  [ $status -eq 0 ] && echo "vendored assets match the npm registry and SHA256SUMS"
fi
exit $status
