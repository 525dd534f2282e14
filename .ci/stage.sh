#!/usr/bin/env bash
# Stage a shared PNG dataset (../shared/data/NAME: test.tar.gz, train-a.tar.gz, train-b.tar.gz) for the device tool,
# in git-ignored folders, one per call, each small enough to travel beside the repo (~9.5 MB) under 64 MiB:
#   .stage   test.tar.gz and some training classes, with .whl/ (15 MB, from .ci/wheels.sh: run it first) in the first call,
#            and inductor's compile cache where a session kept one (.ci/device.sh cache: its parts .inductor/inductor-cache.tarz.*
#            are joined into .stage/inductor-cache.tarz; an older single .inductor/inductor-cache.tgz is taken as it is)
#   .stage2, .stage3 (and .stage4 when a cache makes three calls too few): the other training images
# The shared train-a and train-b (~55 MB each) no longer fit beside the repo with room to spare, so their images are
# repacked: in sorted order, cut where the calls carry about the same; each call's total (tree included) is printed,
# and the script fails if one would pass 63 MiB.
#   bash .ci/stage.sh [NAME]    # NAME: cifar10-png (default) or cifar100-png; then DATA=NAME bash .ci/device.sh ...
# (CALL_MIB, 61 by default, is what a call is planned to carry, tree included: tests set it small.)
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-cifar10-png}; src=../shared/data/$name
[ -f "$src/train-b.tar.gz" ] || { echo "no $src/train-b.tar.gz: name a folder of ../shared/data" >&2; exit 2; }
[ -d .whl ] || { echo "no .whl/: run bash .ci/wheels.sh first (the first call installs the wheels)" >&2; exit 2; }
(cd "$src" && sha256sum -c --quiet SHA256SUMS)
rm -rf .stage .stage[0-9]; mkdir -p .stage
cp "$src/test.tar.gz" .stage/
if c=$(git rev-parse --short=12 HEAD 2>/dev/null); then  # the commit that travels (the device's copy of the tree has no .git):
  [ -z "$(git status --porcelain --untracked-files=no)" ] || c="$c+changes"  # `setup` keeps it for the records (SERESNET_COMMIT)
  echo "$c" > .stage/commit
fi
if compgen -G ".inductor/inductor-cache.tarz.*" > /dev/null; then cat $(ls .inductor/inductor-cache.tarz.* | sort -V) > .stage/inductor-cache.tarz
elif [ -f .inductor/inductor-cache.tgz ]; then cp .inductor/inductor-cache.tgz .stage/; fi  # the last session's compile cache
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
tar xzf "$src/train-a.tar.gz" -C "$tmp"; tar xzf "$src/train-b.tar.gz" -C "$tmp"
tree=$(python3 -c "import os, subprocess as s; fs = s.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
  capture_output=True, check=True).stdout.split(b'\0'); print(sum(os.path.getsize(f) for f in fs if f and os.path.isfile(f)))")  # what travels
whl=$(du -sb .whl | cut -f1); test=$(stat -c %s .stage/test.tar.gz); cache=$(( $(du -sb .stage | cut -f1) - test ))
# the training images, in sorted order, split so that the calls carry about the same: the first also holds the wheels, the
# cache and, where they fit beside it, the test set (else the last call holds it: `setup` and `check` need no test images);
# three calls, or as many as it takes to stay 2 MiB under the limit (the archives are compressed PNGs: ~1% smaller than their files)
plan=$(python3 - "$tmp" "$tree" "$whl" "$cache" "$test" "${CALL_MIB:-61}" <<'PY'
import sys, os, math
tmp, (tree, whl, cache, test), call = sys.argv[1], map(int, sys.argv[2:6]), float(sys.argv[6])
files = sorted(os.path.join(r, f)[len(tmp) + 1:] for r, _, fs in os.walk(f'{tmp}/train') for f in fs)
sizes = [os.path.getsize(f'{tmp}/{f}') for f in files]
room = call * 2**20 - tree  # what one call may carry besides the tree
if whl + cache > room: sys.exit(f"the wheels and the cache alone ({(whl + cache) / 2**20:.0f} MiB) do not fit beside the tree in one call")
total = whl + cache + test + sum(sizes)
n = max(3, math.ceil(total / room))
test_first = whl + cache + test <= room
fixed = [whl + cache + test * test_first] + [0] * (n - 2) + [test * (not test_first)]
per_call = total / n  # what each call carries besides the tree, evened out
plans, k, held = [[] for _ in range(n)], 0, fixed[0]
for f, s in zip(files, sizes):
    while k < n - 1 and held + s > per_call: k += 1; held = fixed[k]
    plans[k].append(f); held += s
for k, plan in enumerate(plans, 1): open(f'{tmp}/plan{k}', 'w').write(''.join(f + '\n' for f in plan))  # empty: no archive
print(n, int(test_first))
PY
)
read calls test_first <<< "$plan"  # how many calls; whether the test set travels in the first
dirs=()
for k in $(seq 1 $calls); do
  dir=.stage$([ $k -gt 1 ] && echo $k || true); mkdir -p $dir; dirs+=($dir)
  [ ! -s "$tmp/plan$k" ] || tar czf $dir/train-$k.tar.gz -C "$tmp" -T "$tmp/plan$k"
done
[ $test_first = 1 ] || mv .stage/test.tar.gz ${dirs[-1]}/
echo "training images: $(for k in $(seq 1 $calls); do printf '%s ' $(wc -l < "$tmp/plan$k"); done)in the $calls calls"
# each call carries the working tree (tracked files and untracked ones git does not ignore) and what it names: 64 MiB at most
for dir in "${dirs[@]}"; do
  call=$([ $dir = .stage ] && echo ".whl .stage" || echo $dir)
  size=$(( tree + $(du -scb $call | tail -1 | cut -f1) ))
  echo "call carrying $call: $(( size / 1048576 )) MiB with the tree ($(( tree / 1048576 )) MiB)"
  [ $size -lt $(python3 -c "print(int((${CALL_MIB:-61} + 2) * 2**20))") ] || { echo "too large for one call (64 MiB)" >&2; exit 1; }
done
[ $calls -eq 3 ] || echo "$calls calls: after setup, \`bash .ci/device.sh unpack .stageK\` for K = 2 .. $calls, each in its own call"
[ $test_first = 1 ] || echo "the test set travels in the last call (${dirs[-1]}): beside the wheels and the cache it does not fit in the first"
