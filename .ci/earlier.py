"""The records of earlier runs of 07's and 10's CPU plans, read from git history into earlier.json beside each record,
so that the prose about them (their times, their accuracies, 07's ratios and throughputs) is checked against data: `python .ci/earlier.py` (repo root)."""
import json, subprocess
from pathlib import Path

RUNS = {  # record: the commits that re-ran its plan with the same recipe (earlier ones ran other plans)
    'nbs/_results/compare-cpu/comparison.json': ['d0b8e4f', '9774dc6', 'd19fb7c'],
    'nbs/_results/ablation-cpu/ablation.json': ['f0c3cc4', '5ecd39f', '3165d49', '9774dc6', '9faaa29', 'd23cc23', 'e30c2ad'],
}

def accuracies(r):
    "Every final accuracy of a record: per model (07's comparison.json) or per variant and seed (10's ablation.json)."
    if 'models' in r: return {m: v['test_acc'] for m, v in r['models'].items()}
    return {v: d['accs'] for v, d in r['variants'].items()}

for path, commits in RUNS.items():
    runs = {}
    for c in commits:
        r = json.loads(subprocess.run(['git', 'show', f'{c}:{path}'], capture_output=True, text=True, check=True).stdout)
        runs[c] = dict(wall_seconds=r['wall_seconds'], accuracies=accuracies(r))
        if 'models' in r:  # 07's: each model's ratio at the common accuracy and its throughputs, which its prose compares across runs
            runs[c]['models'] = {m: {k: v[k] for k in ('ratio_at_X', 'train_ips', 'loop_ips')} for m, v in r['models'].items()}
    out = Path(path).parent/'earlier.json'
    out.write_text(json.dumps(dict(source=f'git show COMMIT:{path}, by .ci/earlier.py', runs=runs), indent=1) + '\n')
    print(out, {c: round(r['wall_seconds'], 1) for c, r in runs.items()})
