"""The twin's definitions on given inputs, for the Java side's cross-check (TorchTwinDefinitionsTest).

Reads one JSON object on stdin, each key a case, and prints one JSON object with the twin's values:
  images {x, y: flat pixels, h, w}    -> {mse (pooled), psnr (mean per image), ssim (mean per image)}
  usage {indices, k}                  -> {distinct, utilization, perplexity}
  rank {rows}                         -> {effective_rank}
  fsq {levels, z: flat, n}            -> {indices, q, decoded}
  lfq {bits, z: flat, n}              -> {indices, q, decoded, per_bit, joint} (entropy terms, weight 1)
  init {model, d, k, seed}            -> {<Java variable name>: [count, max_abs, std], vq_codebook, simvq_e (C W^T + b)}
"""
import json
import sys

import torch

from . import metrics, model as models, quantizers

_JAVA_NAMES = {"e1w": "enc1_w", "e1b": "enc1_b", "e2w": "enc2_w", "e2b": "enc2_b", "e3w": "enc3_w", "e3b": "enc3_b",
               "d1w": "dec1_w", "d1b": "dec1_b", "d2w": "dec2_w", "d2b": "dec2_b", "d3w": "dec3_w", "d3b": "dec3_b"}


def _stats(t):
    t = t.detach().double().flatten()
    return [t.numel(), float(t.abs().max()), float(t.std(unbiased=False))]


def images(case):
    h, w = case["h"], case["w"]
    x = torch.tensor(case["x"], dtype=torch.float32).reshape(-1, 1, h, w)
    y = torch.tensor(case["y"], dtype=torch.float32).reshape(-1, 1, h, w)
    mse = metrics.per_image_mse(x, y)
    return {"mse": float(mse.mean()), "psnr": float(metrics.psnr_from_mse(mse).mean()),
            "ssim": float(metrics.per_image_ssim(x, y).mean())}


def usage(case):
    distinct, utilisation, perplexity = metrics.usage(torch.bincount(torch.tensor(case["indices"]), minlength=case["k"]))
    return {"distinct": distinct, "utilization": utilisation, "perplexity": perplexity}


def rank(case):
    return {"effective_rank": quantizers.effective_rank(torch.tensor(case["rows"], dtype=torch.float64))}


def fsq(case):
    levels = case["levels"]
    q_ = quantizers.Fsq(0, 4, 1 << 24, torch.Generator().manual_seed(0), {"levels": levels})
    z = torch.tensor(case["z"], dtype=torch.float32).reshape(case["n"], len(levels))
    idx, q = q_.assign(z)
    return {"indices": idx.tolist(), "q": q.flatten().tolist(), "decoded": q_.decode(idx).flatten().tolist()}


def lfq(case):
    bits = case["bits"]
    q_ = quantizers.Lfq(1 << bits, 4, 1 << 24, torch.Generator().manual_seed(0), {"entropy_weight": 1.0})
    z = torch.tensor(case["z"], dtype=torch.float32).reshape(case["n"], bits)
    idx, q = q_.assign(z)
    return {"indices": idx.tolist(), "q": q.flatten().tolist(), "decoded": q_.decode(idx).flatten().tolist(),
            "per_bit": float(quantizers.lfq_entropy_term(z.double(), "per_bit")),
            "joint": float(quantizers.lfq_entropy_term(z.double(), "joint"))}


def init(case):
    d, k = case["d"], case["k"]
    gen = torch.Generator().manual_seed(case["seed"])
    net = models.build(case["model"], d, gen)
    out = {_JAVA_NAMES[name]: _stats(p) for name, p in net.named_parameters()}
    out["vq_codebook"] = _stats(quantizers.VanillaVq(k, d, 1 << 24, gen, {}).c)
    out["simvq_e"] = _stats(quantizers.SimVq(k, d, 1 << 24, gen, {}).codebook())
    return out


CASES = {"images": images, "usage": usage, "rank": rank, "fsq": fsq, "lfq": lfq, "init": init}


def main():
    request = json.load(sys.stdin)
    unknown = sorted(set(request) - set(CASES))
    if unknown:
        print(f"unknown case(s) {unknown} (accepted: {', '.join(CASES)})", file=sys.stderr)
        return 2
    json.dump({name: CASES[name](case) for name, case in request.items()}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
