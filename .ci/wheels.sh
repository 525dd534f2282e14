#!/usr/bin/env bash
# Build .whl/: the Python packages that seresnet and papermill need on a lent device machine and that its image lacks
# (the image has torch, numpy, matplotlib, pyyaml, tqdm, jinja2 and more: .library's device/KINDS.md lists them).
# The machine reaches no registry, so they travel as wheels in the first call (`bash .ci/device.sh setup`, carry .whl):
#   bash .ci/wheels.sh        # here, with PyPI; ~15 MB; then `bash .ci/stage.sh` for the data
# The device's python3 is 3.12 (KINDS.md): binary wheels are fetched for it; fvcore and iopath publish only source,
# so they are built here (pure Python). Wheels of packages the image has are removed: two versions of one stop pip.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf .whl; mkdir -p .whl
plat="--platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64"
python3 -m pip download -q --only-binary=:all: --python-version 3.12 --implementation cp $plat -d .whl \
  'papermill>=2.5' ipykernel 'fastprogress>=1.0,<1.1' 'fastcore>=1.5,<2' yacs termcolor
python3 -m pip wheel -q --no-deps -w .whl 'fvcore>=0.1.5' 'iopath>=0.1.7'  # source only on PyPI: built here, pure Python
# on the image already (device/KINDS.md, 2026-11-17): carrying them again would install a second version
have="absl-py aiohttp aiosignal anyio attrs certifi charset-normalizer click cloudpickle colorama contourpy cycler filelock
fonttools frozenlist fsspec h11 httpcore httpx idna jinja2 kiwisolver markdown-it-py markupsafe matplotlib mdurl multidict
numpy packaging pandas pillow pip platformdirs portalocker propcache protobuf psutil pygments pyparsing python-dateutil
pyyaml regex requests rich setuptools six tabulate tqdm typing-extensions urllib3 wheel yarl aiohappyeyeballs"
for w in .whl/*.whl; do
  n=$(basename "$w" | cut -d- -f1 | tr '[:upper:]_.' '[:lower:]--')
  for h in $have; do [ "$n" = "$h" ] && rm "$w" && break; done
done
ls .whl | sed 's/-py.*//; s/-cp.*//' | tr '\n' ' '; echo; du -sh .whl
