#!/usr/bin/env bash
# Stage a shared PNG dataset (../shared/data/NAME: test.tar.gz, train-a.tar.gz, train-b.tar.gz) for the device tool,
# in three git-ignored folders, one per call, each small enough to travel beside the repo (~9.5 MB) under 64 MiB:
#   .stage   test.tar.gz and some training classes, with .whl/ (15 MB, from .ci/wheels.sh: run it first) in the first call,
#            and .inductor/inductor-cache.tgz where a session kept one (.ci/device.sh cache)
#   .stage2  and .stage3: the other training classes
# The shared train-a and train-b (~55 MB each) no longer fit beside the repo with room to spare, so their classes are
# repacked: the images in sorted order, cut where the three calls carry about the same; each call's total (tree
# included) is printed, and the script fails if one would pass 63 MiB.
#   bash .ci/stage.sh [NAME]    # NAME: cifar10-png (default) or cifar100-png; then DATA=NAME bash .ci/device.sh ...
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-cifar10-png}; src=../shared/data/$name
[ -f "$src/train-b.tar.gz" ] || { echo "no $src/train-b.tar.gz: name a folder of ../shared/data" >&2; exit 2; }
(cd "$src" && sha256sum -c --quiet SHA256SUMS)
rm -rf .stage .stage2 .stage3; mkdir -p .stage .stage2 .stage3
cp "$src/test.tar.gz" .stage/
[ -f .inductor/inductor-cache.tgz ] && cp .inductor/inductor-cache.tgz .stage/  # the last session's compile cache (device.sh cache)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
tar xzf "$src/train-a.tar.gz" -C "$tmp"; tar xzf "$src/train-b.tar.gz" -C "$tmp"
tree=$(python3 -c "import os, subprocess as s; fs = s.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
  capture_output=True, check=True).stdout.split(b'\0'); print(sum(os.path.getsize(f) for f in fs if f and os.path.isfile(f)))")  # what travels
fixed1=$(du -scb .whl .stage | tail -1 | cut -f1)  # the first call's wheels and test archive
# the training images, in sorted order, split so that the three calls carry about the same (the first holds the wheels and the test set)
python3 - "$tmp" "$tree" "$fixed1" <<'PY'
import sys, os
tmp, tree, fixed1 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
files = sorted(os.path.join(r, f)[len(tmp) + 1:] for r, _, fs in os.walk(f'{tmp}/train') for f in fs)
sizes = [os.path.getsize(f'{tmp}/{f}') for f in files]
per_call = (fixed1 + sum(sizes)) / 3  # what each call carries besides the tree, evened out
plans, k, held = [[], [], []], 0, fixed1
for f, n in zip(files, sizes):
    if k < 2 and held + n > per_call: k, held = k + 1, 0
    plans[k].append(f); held += n
for k, plan in enumerate(plans, 1): open(f'{tmp}/plan{k}', 'w').write('\n'.join(plan) + '\n')
room = 63 * 2**20 - tree - per_call
if room < 0: sys.exit(f"the data does not fit in three calls of 64 MiB beside the tree ({per_call / 2**20:.0f} MiB a call)")
PY
for k in 1 2 3; do
  dir=.stage$([ $k -gt 1 ] && echo $k || true)
  tar czf $dir/train-$k.tar.gz -C "$tmp" -T "$tmp/plan$k"
done
echo "training images: $(wc -l < "$tmp/plan1"), $(wc -l < "$tmp/plan2") and $(wc -l < "$tmp/plan3") in the three calls"
# each call carries the working tree (tracked files and untracked ones git does not ignore) and what it names: 64 MiB at most
for call in ".whl .stage" .stage2 .stage3; do
  size=$(( tree + $(du -scb $call | tail -1 | cut -f1) ))
  echo "call carrying $call: $(( size / 1048576 )) MiB with the tree ($(( tree / 1048576 )) MiB)"
  [ $size -lt $(( 63 * 1048576 )) ] || { echo "too large for one call (64 MiB)" >&2; exit 1; }
done
