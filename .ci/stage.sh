#!/usr/bin/env bash
# Stage a shared PNG dataset (../shared/data/NAME: test.tar.gz, train-a.tar.gz, train-b.tar.gz) for the device tool,
# in three git-ignored folders, one per call, each small enough to travel beside the repo (~9.5 MB) under 64 MiB:
#   .stage   test.tar.gz + the first classes of train-b (~12 MB), with .whl/ (15 MB) in the first call
#   .stage2  train-a.tar.gz as it is
#   .stage3  the rest of train-b
# The shared train-b (57 MB for CIFAR-10) no longer fits beside the repo, so its classes are split across two calls.
#   bash .ci/stage.sh [NAME]    # NAME: cifar10-png (default) or cifar100-png; then DATA=NAME bash .ci/device.sh ...
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-cifar10-png}; src=../shared/data/$name
[ -f "$src/train-b.tar.gz" ] || { echo "no $src/train-b.tar.gz: name a folder of ../shared/data" >&2; exit 2; }
(cd "$src" && sha256sum -c --quiet SHA256SUMS)
rm -rf .stage .stage2 .stage3; mkdir -p .stage .stage2 .stage3
cp "$src/test.tar.gz" .stage/; cp "$src/train-a.tar.gz" .stage2/
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
tar xzf "$src/train-b.tar.gz" -C "$tmp"
first=(); size=0
for d in "$tmp"/train/*/; do  # classes in sorted order, at least one, while they stay under ~13 MB
  s=$(du -sb "$d" | cut -f1)
  [ ${#first[@]} -gt 0 ] && [ $((size + s)) -gt 13000000 ] && break
  first+=("train/$(basename "$d")"); size=$((size + s))
done
tar czf .stage/train-b1.tar.gz -C "$tmp" "${first[@]}"
rest=$(cd "$tmp" && ls -d train/*/ | sed 's#/$##' | grep -vxF -f <(printf '%s\n' "${first[@]}"))
tar czf .stage3/train-b2.tar.gz -C "$tmp" $rest
for d in .stage .stage2 .stage3; do du -sb $d; done
