"""Cold compile time against step speed: `torch.compile` of the whole SE-ResNet against each residual block compiled on
its own ("regional compilation": the 27 blocks of SE-ResNet-56 share a handful of distinct graphs, so inductor lowers
each once). A cold compile costs 35-80 s per process on an H200 (nbs/_results/tune-h200-2/tune.jsonl), a third of a
15-minute device session; this script measures whether regional compilation cuts that without slowing the step.

Each mode runs in a fresh process, first with an empty inductor cache (cold), then again with the cache it left (warm).
The step is `fit`'s: `seresnet.step.make_step` with the `fast` recipe's optimizer, captured in a CUDA graph on a GPU,
bf16 where `fit` uses it. One JSON line per (mode, cache): setup seconds (the first calls: compile, warm-up, capture)
and training images/s over the timed steps.

    python .ci/compile_time.py [--depth 56] [--batch 512] [--steps 50] [--modes whole,regional]   # on the device: bash .ci/device.sh compile

Seen on a 2-core Intel Xeon with AMX (inductor's C++ backend, bf16, no graph; torch 2.14.1, 2026-11-26),
`python .ci/compile_time.py --depth 20 --batch 32 --steps 5`: setup 83.9 s cold / 3.3 s warm and 479-532 images/s whole,
82.1 s cold / 4.5 s warm and 248-269 images/s regional: no gain in compile time at depth 20, half the speed. Whether
a GPU, with the step captured, tells another story is for a device session to measure (about 4 minutes at depth 56).
"""
import sys, os, json, time, argparse, subprocess, tempfile

def child(mode, depth, batch, steps):
    import torch
    from seresnet.recipes import make_config, make_optimizer
    from seresnet.model import se_resnet
    from seresnet.layers import BasicBlock
    from seresnet.step import make_step
    from seresnet.core import sync
    cfg = make_config(depth=depth, batch_size=batch, device='auto', compile=False)  # the recipe's step; compiled here, by mode
    dev, graph = torch.device(cfg['device']), cfg['device'] == 'cuda'
    torch.manual_seed(0)
    model = se_resnet(depth).to(dev, memory_format=torch.channels_last)
    if mode == 'whole': net = torch.compile(model)
    elif mode == 'regional':
        for b in model.modules():
            if isinstance(b, BasicBlock): b.compile()  # in place: the blocks' forward is compiled, the stem and head stay eager
        net = model
    else: net = model
    step = make_step(net, make_optimizer(model, cfg), cfg, graph=graph)
    x = torch.randn(batch, 3, 32, 32, device=dev).contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 10, (batch,), device=dev)
    model.train(); sync(dev); t = time.perf_counter()
    for _ in range(5): step(x, y)  # compiles; on a GPU also warms up and captures (Captured: 3 eager calls, then the capture)
    sync(dev); setup = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(steps): step(x, y)
    sync(dev); dt = time.perf_counter() - t
    return dict(setup_seconds=round(setup, 2), images_per_second=round(steps * batch / dt), device=torch.cuda.get_device_name() if graph
                else 'cpu', graph=graph, bf16=cfg['bf16'], torch=torch.__version__)

def main():
    a = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    a.add_argument('--depth', type=int, default=56); a.add_argument('--batch', type=int, default=512)
    a.add_argument('--steps', type=int, default=50); a.add_argument('--modes', default='whole,regional')
    a.add_argument('--child', default=None)
    args = a.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.depth, args.batch, args.steps)), flush=True); return
    for mode in args.modes.split(','):
        cache = tempfile.mkdtemp(prefix=f'inductor-{mode}-')
        for state in ('cold', 'warm'):
            env = {**os.environ, 'TORCHINDUCTOR_CACHE_DIR': cache, 'PYTHONUNBUFFERED': '1'}
            t = time.perf_counter()
            r = subprocess.run([sys.executable, __file__, '--child', mode, '--depth', str(args.depth), '--batch', str(args.batch),
                                '--steps', str(args.steps)], env=env, capture_output=True, text=True)
            if r.returncode: print(json.dumps(dict(mode=mode, cache=state, error=r.stderr.strip().splitlines()[-1:])), flush=True); break
            res = json.loads(r.stdout.strip().splitlines()[-1])
            print(json.dumps(dict(mode=mode, cache=state, depth=args.depth, batch=args.batch, **res,
                                  process_seconds=round(time.perf_counter() - t, 1))), flush=True)

if __name__ == '__main__': main()
