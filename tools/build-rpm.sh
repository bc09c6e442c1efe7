#!/bin/bash
# Build the noarch binary RPM of rpm/python-nova-migration-ext.spec with
# rpmbuild, from a fresh sdist, then check what the package holds.
#
# Runs on Debian (CI) as on an RPM distribution: Fedora's Python macros that
# Debian lacks come from tools/rpm/debian-macros, and the build and test
# dependencies from the Python environment of $PYTHON (tox's env under
# `tox -e rpm`), hence --nodeps. The spec itself is used unchanged but for
# Version and Release, which are filled in from the sdist as DLRN does.
#
# Usage: tools/build-rpm.sh   (PYTHON=python to use; RPM_OUTPUT_DIR=dist/rpm)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=$(command -v "${PYTHON:-python3}")
OUTPUT_DIR=${RPM_OUTPUT_DIR:-dist/rpm}
SPEC=rpm/python-nova-migration-ext.spec

topdir=$(mktemp -d)
trap 'rm -rf "$topdir"' EXIT
mkdir -p "$topdir"/{BUILD,RPMS,SOURCES,SPECS,SRPMS}

# pbr takes the version and the file list from git: this needs a clone.
"$PYTHON" setup.py -q sdist --dist-dir "$topdir/SOURCES" > "$topdir/sdist.log" 2>&1 ||
    { cat "$topdir/sdist.log" >&2; exit 1; }
sdist=$(basename "$topdir"/SOURCES/*.tar.gz)
upstream_version=$(sed -E 's/^nova[-_]migration[-_]ext-(.*)\.tar\.gz$/\1/' <<< "$sdist")

# 1.2.0 -> 1.2.0-1; 1.2.0.dev3 -> 1.2.0-0.dev3.<commit>git (sorts before
# the release, as RDO's snapshot builds do).
version=$(sed -E 's/^([0-9]+(\.[0-9]+)*).*/\1/' <<< "$upstream_version")
suffix=${upstream_version#"$version"}
if [[ -z $suffix ]]; then
    release=1
else
    release="0.${suffix#.}.$(git rev-parse --short HEAD)git"
fi
sed -e "s/^Version:.*/Version:        $version/" \
    -e "s/^Release:.*/Release:        $release%{?dist}/" \
    "$SPEC" > "$topdir/SPECS/$(basename "$SPEC")"

echo "Building python3-nova-migration-ext $version-$release from $sdist"
rpmbuild -bb --nodeps --without doc \
    --load tools/rpm/debian-macros \
    --define "_topdir $topdir" \
    --define "upstream_version $upstream_version" \
    --define "__python3 $PYTHON" \
    "$topdir/SPECS/$(basename "$SPEC")" > "$topdir/rpmbuild.log" 2>&1 ||
    { tail -n 80 "$topdir/rpmbuild.log" >&2; echo "rpmbuild failed" >&2; exit 1; }
# Summarised in other words than stestr's: CI's closing line adds up
# stestr's own lines, and these are the same unit tests again.
awk '/ - Passed: /{p=$3} / - Failed: /{f=$3} / - Skipped: /{s=$3}
     END {printf "rpm %%check: unit tests passed %d, failed %d, skipped %d\n", p, f, s}' \
    "$topdir/rpmbuild.log"

mkdir -p "$OUTPUT_DIR"
rm -f "$OUTPUT_DIR"/*.rpm
cp "$topdir"/RPMS/noarch/*.rpm "$OUTPUT_DIR/"
rpms=()
for package in python3-nova-migration-ext python3-nova-migration-ext-tests-tempest; do
    rpm_file=$(find "$topdir/RPMS" -name "$package-[0-9]*.noarch.rpm" -printf '%f\n')
    rpms+=("$OUTPUT_DIR/$rpm_file")
    echo "== $OUTPUT_DIR/$rpm_file"
    rpm -qpi "$OUTPUT_DIR/$rpm_file"
    echo "== contents"
    rpm -qpl "$OUTPUT_DIR/$rpm_file"
    echo "== requires"
    rpm -qp --requires "$OUTPUT_DIR/$rpm_file"
done

"$PYTHON" tools/check_rpm.py "${rpms[@]}"

echo "== rpmlint"
# Exits non-zero on errors; warnings are reported and allowed.
rpmlint --rpmlintrc tools/rpm/rpmlintrc "$topdir/SPECS/$(basename "$SPEC")" "${rpms[@]}"
