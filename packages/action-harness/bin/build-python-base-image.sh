#!/usr/bin/env bash
# Builds the Python base image the tests and the demo build on (there is no Docker Hub here):
# a minimal Debian bookworm with python3 (the full standard library, no pip), made with debootstrap and imported with `docker import`.
set -euo pipefail
tag="${1:-hokusai-test/python-base:bookworm}"
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag already present"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap missing: apt-get install debootstrap" >&2; exit 1; }
root="$(mktemp -d /tmp/python-base.XXXXXX)"
trap 'rm -rf "$root"' EXIT
mirror="${DEBIAN_MIRROR:-$(sed -n 's#^URIs: \(http[^ ]*debian\)/*$#\1#p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)}"
debootstrap --variant=minbase --include=python3 bookworm "$root" ${mirror:+"$mirror"} >/tmp/debootstrap.log 2>&1 || {
  tail -n 30 /tmp/debootstrap.log >&2
  exit 1
}
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["python3"]' - "$tag" >/dev/null
echo "built $tag"
