"""Recipe trials for `fast` on a GPU (needs the dataset; runs on a lent device machine, see .ci/device.sh tune).

Each trial is the `fast` recipe with a few changes, trained by `fit` in this one process (one compile, shared by the
trials through inductor's cache). After each trial the final model is scored again at the three levels of `seresnet.step.tta_logits`:
none (0), the mirror image (1, what `fast` uses), and the mirror plus two 1-pixel shifts (2), so one run answers both
"does the change help" and "does more TTA help". One JSON line per trial goes to OUT/tune.jsonl as it finishes (with the whole config that trained and the environment),
with the per-epoch history (test accuracy against training seconds), so a run cut short keeps what it did.

    python .ci/tune.py DATASET OUT TRIAL [TRIAL ...] [--seeds 0,1,2] [--best-seeds 1,2] [--budget SECONDS]

TRIALs come from TRIALS below and run in order, each with every seed of --seeds (0 by default). --best-seeds then
runs further seeds of the trial with the best mean final accuracy, chosen in the same process: a lent GPU is given
back after ~30 s idle, too soon to read the trials and start the seeds by hand. --budget stops starting runs once
one would end past that many seconds of this process (`run_estimate`: as long as the longest so far, with a cold
compile only where the run compiles a network or batch size not compiled before), so that a call's time limit cuts no
run short (a run cut short leaves nothing). The last line, SEEDS, gives the best trial's mean, standard
deviation and worst seed.

Seen on an NVIDIA H200 (torch 2.11.0+cu130, 2026-11-26): nbs/_results/tune-h200/ holds the trials that chose `fast`
(tune.jsonl, tune.txt) and the two further seeds of the chosen one (seeds.jsonl: their `final` metrics, from an
inline command that called `fit` exactly as `--seeds 1,2` does here). nbs/_results/tune-h200-2/ holds a later session's
trials (`fast-plain --seeds 0,1,2`, `se-wd0`, `b1024` with seeds 0 and 1); nbs/_results/tune-h200-3/ a third's
(`b1024-alt`, `b1024-la`, `b1024-alt-la` with seeds 0, 1, 2, and `b1024-e60-alt-la` with seeds 0, 1, 2: its README gives each call);
nbs/_results/tune-h200-4/ a fourth's (`e60-tta2` and three changes of it, seeds 1 and 2 of `e60-tta2-wd1e3`, and `long250-b1024`).
A trial that fails (an exception in `fit`: a diverged run, a capture that breaks) is recorded and not run with further
seeds; the trials after it still run.
"""
import sys, json, time, shutil, statistics
from itertools import accumulate
from pathlib import Path
import torch
from seresnet.recipes import RECIPES
from seresnet.train import fit, read_checkpoint
from seresnet.batches import Batches
from seresnet.step import evaluator, predict_logits

FIRST = dict(epochs=40, label_smoothing=0.1, augment='crop,flip', zero_init_residual=True)  # the first `fast`, which the
# 2026-11-26 trials changed one thing at a time; `fast` now is their 'combo50-zi0'
B1024 = dict(batch_size=1024, lr=0.8)  # fit's parameters, not the recipe's: a recipe's batch is halved while an epoch would have
# fewer than 64 steps (50,000 // 1024 = 48), and its lr with it, so in a recipe 1024 would train at 512 and lr 0.4
ALT_LA = dict(augment='crop,altflip,cutout', lookahead=0.95**5)  # airbench's alternating flip and Lookahead (04a_batches, 05a_step)
E60T2 = dict(epochs=60, **ALT_LA, tta=2, eval_every=60)  # b1024-e60-alt-la, evaluated once
TRIALS = {  # name: (changes to the current `fast` recipe, fit's parameters); batch_size and lr go to fit (B1024 says why)
    'fast':    (dict(), dict()),
    'fast-plain': (dict(), dict(se=False)),  # SE against plain under the current recipe (with --seeds)
    'base40':  (FIRST, dict()),
    'zi0':     ({**FIRST, 'zero_init_residual': False}, dict()),
    'cutout':  ({**FIRST, 'augment': 'crop,flip,cutout'}, dict()),
    'ls2':     ({**FIRST, 'label_smoothing': 0.2}, dict()),
    'combo50': ({**FIRST, 'augment': 'crop,flip,cutout', 'label_smoothing': 0.2, 'epochs': 50}, dict()),
    'combo50-zi0': ({**FIRST, 'augment': 'crop,flip,cutout', 'label_smoothing': 0.2, 'zero_init_residual': False, 'epochs': 50}, dict()),
    'plain40': (FIRST, dict(se=False)),
    'se-wd0':  (dict(se_weight_decay=0.), dict()),  # 09 found 16 of 27 gates stuck at 0.5, their weights decayed to ~0
    'b1024':   (dict(epochs=54), B1024),  # more images/s, so more epochs in the same time
    # next, toward the goals of issue #10: 94% in 60 s (batch 1024 with the epochs its speed buys), 95% in 5 minutes
    'b1024-e60': (dict(epochs=60), B1024),
    'b1024-e60-ema': (dict(epochs=60, ema=0.995), B1024),  # weights averaged over ~200 steps (~4 epochs), evaluated
    # airbench's alternating flip and Lookahead (04a_batches, 05a_step), each alone and together, at b1024's 54 epochs
    'b1024-alt': (dict(epochs=54, augment='crop,altflip,cutout'), B1024),
    'b1024-la':  (dict(epochs=54, lookahead=0.95**5), B1024),
    'b1024-alt-la': (dict(epochs=54, **ALT_LA), B1024),
    'b1024-e60-alt-la': (dict(epochs=60, **ALT_LA), B1024),  # the best of those, with the ~6 s left
    # next (2026-11-27, after the third session): the lead at 60 epochs, scored once at the end with tta=2 (its time includes
    # that), alone and with one change each; --best-seeds 1,2 then runs seeds 1 and 2 of the best of them
    'e60-tta2':       (E60T2, B1024),
    'e60-tta2-ls3':   ({**E60T2, 'label_smoothing': 0.3}, B1024),
    'e60-tta2-wd1e3': ({**E60T2, 'weight_decay': 1e-3}, B1024),
    'e60-tta2-lr1.2': (E60T2, {**B1024, 'lr': 1.2}),
    'long200':   (dict(epochs=200), dict()),  # ~4 min on an H200 at batch 512
    'long200-alt-la': (dict(epochs=200, **ALT_LA), dict()),  # for 95% in 5 minutes
    # the lead at batch 1024 for 95% in 5 minutes: ~0.93 s an epoch on the H200 (tune-h200-3), so 250 epochs and 25
    # evaluations with tta=2 take ~245 s; the same compiled step as the e60 trials (batch 512 would compile again)
    'long250-b1024': ({**ALT_LA, 'epochs': 250, 'tta': 2, 'eval_every': 10}, B1024),
    # next (2026-11-28, after the fourth session, tune-h200-4): e60-tta2-wd1e3 came to 93.90% over three seeds in 56.1-56.4 s;
    # two more epochs fit in the minute (~0.93 s each), and cuDNN's autotuner (CUDNN_BENCHMARK) may buy more
    'e62-tta2-wd1e3':    ({**E60T2, 'epochs': 62, 'eval_every': 62, 'weight_decay': 1e-3}, B1024),
}
TRIALS['e62-tta2-wd1e3-cb'] = TRIALS['e62-tta2-wd1e3']  # the same trial with cuDNN's autotuner on (CUDNN_BENCHMARK)
# trials that run with torch.backends.cudnn.benchmark on (fit leaves cuDNN's heuristics to pick each convolution's kernel):
# the step's shapes are static, so timing each convolution's kernels once may pick faster ones (airbench turns it on)
CUDNN_BENCHMARK = {'e62-tta2-wd1e3-cb'}

def tta_accuracy(model, test, mean, std, device):
    "Test accuracy at TTA levels 0, 1, 2 (`seresnet.step.evaluator`; bf16 on a GPU)."
    b = Batches(test, 2000, device, shuffle=False, mean=mean, std=std)
    return [(predict_logits(model, b, evaluator(model, dict(bf16=device.type == 'cuda', tta=lv))).argmax(1) == test.labels)
            .float().mean().item() for lv in range(3)]

def trial(name, seed, dataset, out):
    "Train trial `name` with `seed` by `fit`, score it at TTA levels 0-2, append its record to OUT/tune.jsonl; the record, or None if it failed."
    recipe, params = TRIALS[name]
    RECIPES[f'tune-{name}'] = {**RECIPES['fast'], 'eval_every': 5, **recipe}  # a coarser curve, less device time
    t, cudnn = time.perf_counter(), torch.backends.cudnn.benchmark
    torch.backends.cudnn.benchmark = name in CUDNN_BENCHMARK
    try: r = fit(dataset=dataset, data_dir='data', recipe=f'tune-{name}', out_dir=f'runs/tune-{name}-seed{seed}',
                 overwrite=True, seed=seed, log_every=1e9, **params)
    except Exception as e:  # one failed trial (a diverged run, say) should not cost the others
        print(f"TRIAL {name} failed: {type(e).__name__}: {e}", flush=True)
        with open(out/'tune.jsonl', 'a') as fh: fh.write(json.dumps(dict(trial=name, seed=seed, error=f'{type(e).__name__}: {e}')) + '\n')
        return None
    finally: torch.backends.cudnn.benchmark = cudnn
    wall = time.perf_counter() - t
    ck = read_checkpoint(r['out_dir']/'checkpoint.pt')
    dev = next(r['model'].parameters()).device
    t_tta = time.perf_counter(); tta = tta_accuracy(r['model'], r['test'], ck['mean'], ck['std'], dev)
    t_tta = time.perf_counter() - t_tta
    f, h = r['final'], r['history']
    ran = r['metrics']['params']  # what trained, after make_config: the record says it, not only what was asked
    rec = dict(trial=name, seed=seed, recipe=recipe, params=params, batch_size=ran['batch_size'], lr=ran['lr'], epochs=f['epochs'], test_acc=f['test_acc'],
               tta0=tta[0], tta1=tta[1], tta2=tta[2], tta_seconds=t_tta,
               seconds=f['seconds'], train_seconds=f['train_seconds'], eval_seconds=f['eval_seconds'],
               setup_seconds=f['setup_seconds'], images_per_second=f['images_per_second'], process_wall=wall,
               curve=[(e['epoch'], round(e['test_acc'], 4), round(t, 2))  # (epoch, accuracy, seconds so far)
                      for e, t in zip(h, accumulate(g['seconds'] for g in h)) if e['test_acc'] is not None],
               device=torch.cuda.get_device_name() if dev.type == 'cuda' else 'cpu', torch=torch.__version__,
               config=ran, environment=r['metrics']['device'], engine=r['metrics'].get('engine'),  # all that trained, and where
               cudnn_benchmark=name in CUDNN_BENCHMARK)
    with open(out/'tune.jsonl', 'a') as fh: fh.write(json.dumps(rec) + '\n')
    print(f"TRIAL {name} seed {seed}: {f['epochs']} epochs at batch {ran['batch_size']}, lr {ran['lr']:g}, final {f['test_acc']:.4f}; TTA none {tta[0]:.4f} mirror {tta[1]:.4f} "
          f"mirror+shift {tta[2]:.4f}; train {f['train_seconds']:.1f} s + eval {f['eval_seconds']:.1f} s "
          f"(+{f['setup_seconds']:.1f} s setup), {f['images_per_second']:,.0f} img/s, {wall:.0f} s wall", flush=True)
    best = out/'best.json'
    if not best.exists() or json.loads(best.read_text())['tta1'] < tta[1]:  # keep the best trial's weights
        (out/'best.json').write_text(json.dumps(dict(trial=name, seed=seed, tta1=tta[1])))
        shutil.copy(r['out_dir']/'checkpoint.pt', out/'best-checkpoint.pt')
    del r
    if dev.type == 'cuda': torch.cuda.empty_cache()
    return rec

def graph_key(name):
    "What trial `name` compiles: its network (with SE or without) at its batch size; trials that share it take the compiled step from the cache."
    params = TRIALS[name][1]
    return params.get('se', True), params.get('batch_size', 512)

def run_estimate(runs, new_graph):
    "Seconds the next run takes, from the (wall, setup seconds, whether it compiled a new graph) of the runs before: the longest less its setup, plus the longest setup of the runs that compiled as it will."
    # a cold compile took 35-80 s on an H200, one from the cache 0.2-6 s: counting the first run's cold compile in every run would
    # skip the last seeds of a call that has time for them (a new graph is estimated at the longest compile so far)
    like = [s for _, s, new in runs if new == new_graph] or [s for _, s, _ in runs]
    return max((w - s for w, s, _ in runs), default=0.) + max(like, default=0.)

def main(dataset, out, *args):
    out, names, opts = Path(out), list(args), dict(seeds='0', best_seeds='', budget='inf')
    for k in opts:  # --seeds 0,1,2 --best-seeds 1,2 --budget 520
        if (flag := '--' + k.replace('_', '-')) in names: i = names.index(flag); opts[k] = names[i + 1]; del names[i:i + 2]
    seeds, more, budget = [int(v) for v in opts['seeds'].split(',')], [int(v) for v in opts['best_seeds'].split(',') if v], float(opts['budget'])
    unknown = [n for n in names if n not in TRIALS]
    if unknown: sys.exit(f"unknown trial(s) {unknown}: use those of TRIALS in .ci/tune.py")
    out.mkdir(parents=True, exist_ok=True)
    t0, runs, recs, compiled, failed = time.perf_counter(), [], [], set(), set()  # runs: (wall seconds, setup seconds, new graph) of each run so far
    def run(name, seed):  # within --budget seconds of this process: a run is started only if one as long as `run_estimate` fits
        if name in failed:  # what broke with one seed breaks with the next: the budget goes to the trials after it
            print(f"TRIAL {name} seed {seed} skipped: it failed with an earlier seed", flush=True); return
        new = graph_key(name) not in compiled
        if time.perf_counter() - t0 + (est := run_estimate(runs, new)) > budget:
            print(f"TRIAL {name} seed {seed} skipped: {budget - time.perf_counter() + t0:.0f} s of the budget left, "
                  f"a run takes about {est:.0f} s", flush=True); return
        t = time.perf_counter(); rec = trial(name, seed, dataset, out)
        runs.append((time.perf_counter() - t, rec['setup_seconds'] if rec else 0., new))
        if rec is not None: recs.append(rec); compiled.add(graph_key(name))
        else: failed.add(name)  # and its graph is not counted as compiled: a run that broke early may not have compiled it
    for name, seed in [(n, s) for n in names for s in seeds]: run(name, seed)
    if more and recs:  # the best trial by its mean final accuracy (the recipe's own TTA level) gets the further seeds
        mean = lambda n: statistics.mean(r['test_acc'] for r in recs if r['trial'] == n)
        best = max(dict.fromkeys(r['trial'] for r in recs), key=mean)
        print(f"BEST {best}: mean final {mean(best):.4f} over its seeds {[r['seed'] for r in recs if r['trial'] == best]}; "
              f"seeds {more} next", flush=True)
        for seed in more: run(best, seed)
        got = [r for r in recs if r['trial'] == best]
        accs = [r['test_acc'] for r in got]; m = statistics.mean(accs)
        sd = statistics.stdev(accs) if len(accs) > 1 else float('nan')  # the sample standard deviation, as the README's tables
        print(f"SEEDS {best}: {len(accs)} seeds {[r['seed'] for r in got]}, final mean {m:.4f} sd {sd:.4f} worst {min(accs):.4f}; "
              f"tta2 mean {statistics.mean(r['tta2'] for r in got):.4f}; train+eval {max(r['seconds'] for r in got):.1f} s at most", flush=True)

if __name__ == '__main__': main(*sys.argv[1:])
