"""PyTorch peer of Ablate's quantizer benchmark (used only by `ablate bench quantizers`).

A copy of the plugin's conv VQ autoencoder and its vq / simvq training step, and of its chunked
nearest-code search, timed on the CPU with the thread count ND4J uses, so the benchmark can print
both sides of one run. Same network as org.ablate.quantizers.model.Autoencoder:
  encoder  conv3x3(1->32, stride 2, SAME) relu, conv3x3(32->64, stride 2, SAME) relu, conv1x1(64->d)
           -> 49 tokens of d per image (NHWC order)
  decoder  conv3x3(d->64) relu, nearest x2, conv3x3(64->32) relu, nearest x2, conv3x3(32->1) sigmoid
  init     He-uniform(+-sqrt(6/fan_in)) weights, zero biases
  loss     mse(recon, x) + beta*mean((sg(q) - z)^2) + mean((q - sg(z))^2), z_q = z + sg(q - z)
  vq       codebook K x d ~ uniform(+-1/K), trained by Adam on the codebook term
  simvq    frozen C ~ N(0, 1/d), E = C W^T + b, W and b ~ uniform(+-1/sqrt(d)) trained by Adam
  search   argmax over codes of [z, 1] . [2c, -||c||^2], codes scanned in chunks so the score
           block holds at most `bound` floats (as NearestCode.searchAugmented)
One Adam (lr 1e-3) over every trainable tensor, as Ablate's per-array Adam steps are element-wise.
Images are uniform random pixels: the step's cost does not depend on their values.

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
import torch.nn.functional as F


def he_uniform(shape, fan_in, gen):
    bound = math.sqrt(6.0 / fan_in)
    return ((torch.rand(shape, generator=gen) * 2 - 1) * bound).requires_grad_()


class ConvAutoencoder(torch.nn.Module):
    def __init__(self, d, gen):
        super().__init__()

        def conv(k, cin, cout):
            # weights as [out, in, k, k]; fan_in as Ablate's k*k*in
            w = torch.nn.Parameter(he_uniform((cout, cin, k, k), k * k * cin, gen).detach())
            b = torch.nn.Parameter(torch.zeros(cout))
            return w, b

        self.d = d
        self.e1w, self.e1b = conv(3, 1, 32)
        self.e2w, self.e2b = conv(3, 32, 64)
        self.e3w, self.e3b = conv(1, 64, d)
        self.d1w, self.d1b = conv(3, d, 64)
        self.d2w, self.d2b = conv(3, 64, 32)
        self.d3w, self.d3b = conv(3, 32, 1)

    @staticmethod
    def same_stride2(x, w, b):
        # TF/ND4J SAME for a 3x3 kernel at stride 2 on an even size: no padding before, one after
        return F.conv2d(F.pad(x, (0, 1, 0, 1)), w, b, stride=2)

    def encode(self, x):
        h = F.relu(self.same_stride2(x, self.e1w, self.e1b))
        h = F.relu(self.same_stride2(h, self.e2w, self.e2b))
        h = F.conv2d(h, self.e3w, self.e3b)
        return h.permute(0, 2, 3, 1).reshape(-1, self.d)

    def decode(self, tokens):
        h = tokens.reshape(-1, 7, 7, self.d).permute(0, 3, 1, 2)
        h = F.relu(F.conv2d(h, self.d1w, self.d1b, padding=1))
        h = F.interpolate(h, scale_factor=2, mode="nearest")
        h = F.relu(F.conv2d(h, self.d2w, self.d2b, padding=1))
        h = F.interpolate(h, scale_factor=2, mode="nearest")
        return torch.sigmoid(F.conv2d(h, self.d3w, self.d3b, padding=1))


def augment(codebook):
    return torch.cat([2 * codebook, -(codebook * codebook).sum(1, keepdim=True)], 1)


@torch.no_grad()
def search(z, augmented, bound):
    n = z.shape[0]
    k = augmented.shape[0]
    z_aug = torch.cat([z, torch.ones(n, 1)], 1)
    chunk = max(1, min(k, bound // max(1, n)))
    best_score = torch.full((n,), float("-inf"))
    best = torch.zeros(n, dtype=torch.long)
    for start in range(0, k, chunk):
        scores = z_aug @ augmented[start:start + chunk].T
        value, index = scores.max(1)
        better = value > best_score
        best_score = torch.where(better, value, best_score)
        best = torch.where(better, index + start, best)
    return best


class Quantizer(torch.nn.Module):
    def __init__(self, kind, k, d, gen):
        super().__init__()
        self.kind = kind
        if kind == "vq":
            self.codebook = torch.nn.Parameter((torch.rand(k, d, generator=gen) * 2 - 1) / k)
        else:
            self.register_buffer("c", torch.randn(k, d, generator=gen) / math.sqrt(d))
            bound = 1.0 / math.sqrt(d)
            self.w = torch.nn.Parameter((torch.rand(d, d, generator=gen) * 2 - 1) * bound)
            self.b = torch.nn.Parameter((torch.rand(d, generator=gen) * 2 - 1) * bound)

    def effective(self):
        return self.codebook if self.kind == "vq" else torch.addmm(self.b, self.c, self.w.T)


def train_step(model, quantizer, optimiser, x, beta, bound):
    z = model.encode(x)
    e = quantizer.effective()
    index = search(z.detach(), augment(e.detach()), bound)
    q = e[index]  # the gather's gradient accumulates over duplicate indices
    zq = z + (q - z).detach()
    recon = model.decode(zq)
    loss_recon = F.mse_loss(recon, x)
    loss_commit = beta * F.mse_loss(z, q.detach())
    loss_codebook = F.mse_loss(q, z.detach())
    optimiser.zero_grad(set_to_none=True)
    (loss_recon + loss_commit + loss_codebook).backward()
    optimiser.step()
    return loss_recon.item(), loss_codebook.item()


def time_steps(kind, k, args):
    gen = torch.Generator().manual_seed(1)
    model = ConvAutoencoder(args.dim, gen)
    quantizer = Quantizer(kind, k, args.dim, gen)
    optimiser = torch.optim.Adam(list(model.parameters()) + list(quantizer.parameters()), lr=1e-3)
    ms = []
    for s in range(-3, args.steps):
        x = torch.rand(args.batch, 1, 28, 28, generator=gen)
        t = time.perf_counter()
        recon, codebook = train_step(model, quantizer, optimiser, x, 0.25, args.bound)
        if s >= 0:
            ms.append((time.perf_counter() - t) * 1e3)
        if not (math.isfinite(recon) and math.isfinite(codebook)):
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
    augmented = augment(torch.randn(k, args.dim, generator=gen))
    best = float("inf")
    for _ in range(args.runs + 1):
        t = time.perf_counter()
        search(z, augmented, args.bound)
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
