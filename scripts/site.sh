#!/usr/bin/env bash
# Builds the documentation site into site/: the API reference (javadoc of the library modules) into docs/api, then
# the MkDocs pages with --strict (any warning, a broken link included, fails). Needs mkdocs and mkdocs-material
# (Debian packages) and a JDK; the javadoc class path is the command-line jar, whose shaded contents hold every
# third-party dependency of the library modules (built here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
modules="sim-core sim-learning backend-cpu backend-opencl backend-memristor-model backend-edge datasets nir viz mpi
sweep experiments"
jar=cli/target/myelin.jar
[ -f "$jar" ] || ./mvnw -B -q -pl cli -am package -DskipTests
sourcepath=""
for m in $modules; do sourcepath="$sourcepath${sourcepath:+:}$m/src/main/java"; done
rm -rf docs/api
javadoc -quiet -Xdoclint:none -encoding UTF-8 -windowtitle "Myelin API" -doctitle "Myelin API (0.1.0-SNAPSHOT)" \
  -d docs/api -cp "$jar" -sourcepath "$sourcepath" -subpackages org.myelin >/dev/null
mkdocs build --strict --quiet
echo "site: $(pwd)/site/index.html (API reference: site/api/index.html)"
