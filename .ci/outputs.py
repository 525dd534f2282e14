"""Check the committed outputs of the notebooks, which learners read on GitHub: `python .ci/outputs.py [--fix] [NOTEBOOK ...]`.

Fails on what would read as broken or machine-specific there:
- progress bars (fastprogress's HTML): live-only, they show on GitHub as a blank or a bar frozen where a run stopped;
- a log shown only as HTML paragraphs (older fastprogress drew the epochs' table into its bar): GitHub joins each
  line's columns into one space;
- relative links that resolve nowhere from the notebook's folder (a run's record, a notebook executed into
  `nbs/_results/NAME/`, keeps the links of nbs/: `--fix` points them there);
- absolute paths of the machine that ran the notebook (/tmp/..., /home/..., /root/..., /work/...);
- stderr streams (warnings of the machine's own library versions, or worse);
- errors (a traceback: the notebook stopped there) and Jupyter widgets (tqdm's and others': GitHub shows no widget);
- a cell's value shown as over 20,000 characters of text (a cell that ends on an expression such as an optimizer's
  state: pages of tensors; printed logs are not limited).
`--fix` removes the progress bars, turns an HTML log into the text it is, and joins consecutive stream outputs (a
printed table in pieces, which GitHub may show as separate blocks); the others need a look (and a rerun).
Notebooks named on the command line (an out.ipynb of one's own, say) are checked instead of the committed ones.
Notebooks that git ignores (an out.ipynb of a run started in nbs/) are left out of the default set.
The executed records of runs (`nbs/_results/*/*.ipynb`, which the README links) are checked the same way, but for the
device's output folder `/root/out/` in the two records written before `.ci/device.sh` passed relative paths (RECORD_PATHS).
"""
import argparse, json, os, re, subprocess, sys
from html import unescape
from pathlib import Path

NBS = Path(__file__).resolve().parent.parent/'nbs'
PATH = re.compile(r'(?<![\w.])/(tmp|home|root|work|Users)/')
RECORD_PATHS = {f'_results/cifar10-se_resnet56-fast-{r}-h200-seed0/out.ipynb': '/root/out/' for r in ('40ep', '50ep')}  # their out_dir, as run

def is_bar(o):
    "Whether output `o` is fastprogress's: its style block (of any version), its bar, or the empty HTML a finished bar leaves."
    html = ''.join(o.get('data', {}).get('text/html', ''))
    return o.get('output_type') == 'display_data' and 'text/html' in o.get('data', {}) and (
        not html.strip() or (html.lstrip().startswith('<style>') and 'progress' in html and not re.sub(r'(?s)<style>.*?</style>', '', html).strip())
        or ('<progress ' in html and not re.search(r'<(?!/?(?:div|progress)\b)', html)))  # a bar and its counter, nothing else to lose

def html_log(o):
    "The lines of a run's log that output `o` shows only as HTML paragraphs beside a bar (fastprogress before 1.0.5 drew the epochs' table into it), or None."
    html = ''.join(o.get('data', {}).get('text/html', ''))
    if o.get('output_type') != 'display_data' or '<progress' not in html or '<p>' not in html or re.search(r'<(?!/?(?:p|div|progress)\b)', html): return None
    lines = re.split(r'</?(?:p|div)>|<progress[^>]*></progress>\s*', html)  # GitHub would run each paragraph's columns together
    return [unescape(l).rstrip() + '\n' for l in lines if l.strip()]

LINK = re.compile(r'(\]\()([^)\s#]+)((?:#[^)\s]*)?\))')  # [text](target#anchor): a relative target, unless it has a scheme

CODE = re.compile(r'(^(?:`{3,}|~{3,})[^\n]*\n[\s\S]*?^(?:`{3,}|~{3,})[ \t]*$|(`+)[^\n]*?[^`\n]\2(?!`))', re.M)  # fenced blocks, code spans

def links(src, here, fix=False):
    "(`src` with a record's links pointed into nbs/ when `fix`, problems): each relative link outside code must resolve from the folder `here`."
    problems = []
    def one(m):
        t = m[2]
        if re.match(r'[a-z][a-z0-9+.-]*:', t, re.I) or (here/t).exists(): return m[0]
        if (NBS/t).exists() and fix: return m[1] + Path(os.path.relpath(NBS/t, here)).as_posix() + m[3]
        problems.append(f"a link that resolves {'from nbs/ only (python .ci/outputs.py --fix)' if (NBS/t).exists() else 'nowhere'}: {t!r}")
        return m[0]
    parts = CODE.split(src)  # [text, code, its backticks, text, ...]: links are read in the text parts only
    return ''.join(LINK.sub(one, t) if i % 3 == 0 else t for i, t in enumerate(parts) if i % 3 != 2), problems

def text_of(o):
    "The text an output shows, for the path check."
    d = o.get('data', {})
    return ''.join(''.join(v) for v in (o.get('text', ''), d.get('text/plain', ''), d.get('text/markdown', ''), d.get('text/html', '')))

def joined(outs):
    "`outs` with each run of consecutive streams of the same name as one output, as Jupyter shows them live."
    res = []
    for o in outs:
        if res and o.get('output_type') == 'stream' and res[-1].get('output_type') == 'stream' and res[-1]['name'] == o['name']:
            res[-1] = dict(res[-1], text=(''.join(res[-1]['text']) + ''.join(o['text'])).splitlines(keepends=True))
        else: res.append(o)
    return res

def not_ignored(paths):
    "`paths` less those git ignores: an out.ipynb of one's own run from nbs/ is no committed notebook (all of them outside a clone)."
    try: said = subprocess.run(['git', '-C', str(NBS.parent), 'check-ignore', '--stdin'], input='\n'.join(map(str, paths)),
                               capture_output=True, text=True).stdout.splitlines()  # the ignored ones, as given
    except OSError: return paths  # no git
    return [p for p in paths if str(p) not in set(said)]

def committed():
    "The notebooks both checks read by default: the walkthrough's, the tests' and the runs' records, less those git ignores."
    return not_ignored(sorted(NBS.glob('*.ipynb')) + sorted(NBS.glob('tests/*.ipynb')) + sorted(NBS.glob('_results/*/*.ipynb')))

def check(fix=False, notebooks=None):
    "Problems as 'notebook cell: what' lines, of `notebooks` (default: the committed ones); with `fix`, the progress bars are removed first."
    problems = []
    for p in notebooks or committed():
        nb, changed, p = json.loads(p.read_text()), False, p.resolve()
        allowed = RECORD_PATHS.get(str(p.relative_to(NBS))) if p.is_relative_to(NBS) else None
        for c in nb['cells']:
            where = f"{p.relative_to(NBS.parent) if p.is_relative_to(NBS.parent) else p} cell {c.get('id')}"
            if c['cell_type'] == 'markdown':  # a record is a copy made elsewhere (papermill nbs/train.ipynb nbs/_results/NAME/out.ipynb)
                src, bad = links(''.join(c['source']), p.parent, fix)
                if fix and src != ''.join(c['source']): c['source'], changed = src.splitlines(keepends=True), True
                problems += [f"{where}: {b}" for b in bad]
            outs = c.get('outputs', [])
            if fix and len(j := joined(outs)) < len(outs): c['outputs'], changed, outs = j, True, j  # one block, as Jupyter shows it
            if fix and any(html_log(o) or is_bar(o) for o in outs):  # a log is kept, as the text it is; a bare bar goes
                outs = [dict(name='stdout', output_type='stream', text=t) if (t := html_log(o)) else o for o in outs]
                c['outputs'], changed = joined([o for o in outs if not is_bar(o)]), True
                outs = c['outputs']
            if n := sum(bool(html_log(o) or is_bar(o)) for o in outs):
                problems.append(f"{where}: {n} progress-bar or HTML-log output(s) (python .ci/outputs.py --fix)")
            for o in outs:
                if o.get('output_type') == 'stream' and o.get('name') == 'stderr':
                    problems.append(f"{where}: a stderr output: {text_of(o)[:120]!r}")
                elif o.get('output_type') == 'error':
                    problems.append(f"{where}: an error: {o.get('ename')}: {str(o.get('evalue'))[:120]!r}")
                elif o.get('output_type') == 'execute_result' and len(t := ''.join(o.get('data', {}).get('text/plain', ''))) > 20_000:
                    problems.append(f"{where}: the cell's value as {len(t):,} characters of text: {t[:80]!r} (end the cell on `_ = ...`?)")
                elif 'application/vnd.jupyter.widget-view+json' in o.get('data', {}):
                    problems.append(f"{where}: a Jupyter widget (a tqdm bar?), which GitHub does not show")
                elif m := PATH.search(t := text_of(o).replace(allowed, '') if allowed else text_of(o)):
                    problems.append(f"{where}: a path of this machine: {t[max(0, m.start() - 40):m.start() + 80]!r}")
        if changed: p.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    return problems

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('notebooks', nargs='*', type=Path, help="notebooks to check (default: every committed one)")
    ap.add_argument('--fix', action='store_true', help="remove the progress bars first")
    a = ap.parse_args()
    if missing := [str(p) for p in a.notebooks if not p.is_file()]: ap.error(f"no such notebook: {', '.join(missing)}")
    problems = check(fix=a.fix, notebooks=a.notebooks)
    print('\n'.join(problems) or 'notebook outputs: no progress bars, machine paths, stderr, errors, widgets or pages of text')
    sys.exit(1 if problems else 0)
