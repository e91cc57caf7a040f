"""PyTorch peer of Ablate's quantizer benchmark (used only by `ablate bench quantizers`).

Times the PyTorch twin's (ablate_vq_torch, on PYTHONPATH from TwinSources) conv autoencoder
training step with vq and simvq, and its chunked nearest-code search, on the CPU with the thread
count ND4J uses, so the benchmark can print both sides of one run. The network, quantizers, loss
and search are the twin's (see its model.py, quantizers.py and train.Step); this script keeps only
the timing. Images are uniform random pixels: the step's cost does not depend on their values.

Output: one tab-separated record per line, for the Java side to parse:
  info    torch <version> threads <n>
  sgemm   <GFLOP/s at 2048^3>
  search  <K> <best ms>
  step    <vq|simvq> <K> <median ms>
"""
import argparse
import math
import statistics
import sys
import time

import torch

from ablate_vq_torch import model as models, quantizers, train

LR = 1e-3
BETA = 0.25
WARM_UP = 3


def time_steps(kind, k, args):
    gen = torch.Generator().manual_seed(1)
    net = models.build("conv", args.dim, gen)
    step = train.Step(net, quantizers.create(kind, k, args.dim, args.bound, gen, {}), LR, BETA)
    ms = []
    for s in range(-WARM_UP, args.steps):
        x = torch.rand(args.batch, 1, 28, 28, generator=gen)
        t = time.perf_counter()
        # unmeasured, as the Java side's timed steps: only the codebook term comes back, and a
        # non-finite loss anywhere makes it non-finite from the next step on
        codebook = step(x, measure=False)["codebook"]
        if s >= 0:
            ms.append((time.perf_counter() - t) * 1e3)
        if not math.isfinite(codebook):
            raise SystemExit(f"non-finite loss in the peer's {kind} step at K = {k}")
    return statistics.median(ms)


def sgemm(n, runs):
    a = torch.rand(n, n)
    b = torch.rand(n, n)
    best = float("inf")
    for _ in range(runs + 1):
        t = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t)
    return 2.0 * n ** 3 / best / 1e9


def time_search(k, z, args, gen):
    augmented = quantizers.augment(torch.randn(k, args.dim, generator=gen))
    best = float("inf")
    for _ in range(args.runs + 1):
        t = time.perf_counter()
        quantizers.nearest_augmented(z, augmented, args.bound)
        best = min(best, time.perf_counter() - t)
    return best * 1e3


def ints(text):
    return [int(v) for v in text.split(",") if v]


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--dim", type=int, default=64)
    p.add_argument("--vectors", type=int, default=4096)
    p.add_argument("--search-ks", type=ints, default=[])
    p.add_argument("--train-ks", type=ints, default=[])
    p.add_argument("--quantizers", default="vq,simvq")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--bound", type=int, default=1 << 24)
    p.add_argument("--sgemm-size", type=int, default=2048)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    print(f"info\ttorch {torch.__version__} threads {torch.get_num_threads()}", flush=True)
    if args.sgemm_size > 0:
        print(f"sgemm\t{sgemm(args.sgemm_size, args.runs):.2f}", flush=True)
    gen = torch.Generator().manual_seed(3)
    z = torch.randn(args.vectors, args.dim, generator=gen)
    for k in args.search_ks:
        print(f"search\t{k}\t{time_search(k, z, args, gen):.3f}", flush=True)
    for k in args.train_ks:
        for kind in [q for q in args.quantizers.split(",") if q]:
            print(f"step\t{kind}\t{k}\t{time_steps(kind, k, args):.3f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
