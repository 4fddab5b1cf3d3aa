#!/usr/bin/env bash
# Vendor the web board's front-end library from npm into the package's static files.
#
# The board never loads anything from a CDN and nothing is downloaded when it runs: the
# minified file and its licence are committed under src/corroborator/web/static/vendor/.
# Run this (with npm on the PATH and the npm registry reachable) only to change the version:
#
#   tools/vendor_web.sh            # the pinned version below
#   CYTOSCAPE_VERSION=3.35.0 tools/vendor_web.sh
#
# cytoscape inserts one inline stylesheet for its container; the board's Content-Security-Policy
# allows it by hash (CYTOSCAPE_STYLE in src/corroborator/web/app.py). Should a new version change
# that rule, tests/test_web_browser.py fails on the console's CSP error: update the hash.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${CYTOSCAPE_VERSION:-3.34.4}"
target=src/corroborator/web/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "cytoscape@${version}" >/dev/null && tar xzf "cytoscape-${version}.tgz")
mkdir -p "$target"
cp "$work/package/dist/cytoscape.min.js" "$target/cytoscape.min.js"
cp "$work/package/LICENSE" "$target/cytoscape.LICENSE"
echo "cytoscape ${version} (npm), MIT licence" > "$target/VERSIONS"
sha256sum "$target/cytoscape.min.js" | tee -a "$target/VERSIONS"
