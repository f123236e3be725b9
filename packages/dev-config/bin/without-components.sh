#!/usr/bin/env bash
# Runs a command on this machine as if it had only Node and `pnpm install`: docker, python (so moto) and pyenv's
# CPythons are hidden from PATH. CI runs `pnpm test:unit` through it, to prove the unit tier needs none of them.
set -euo pipefail
hidden=$(mktemp -d)
trap 'rm -rf "$hidden"' EXIT
IFS=: read -r -a dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
  case "$dir" in */.pyenv/*) continue ;; esac
  [ -d "$dir" ] || continue
  for file in "$dir"/*; do
    name=$(basename "$file")
    case "$name" in python* | pip* | pyenv | docker* | dockerd | containerd* | runc | aws | docker-registry | registry) continue ;; esac
    [ -e "$hidden/bin/$name" ] || { mkdir -p "$hidden/bin" && ln -s "$file" "$hidden/bin/$name"; }
  done
done
mkdir -p "$hidden/pyenv"
PATH="$hidden/bin" PYENV_ROOT="$hidden/pyenv" DOCKER_HOST="unix://$hidden/no-docker.sock" "$@"
