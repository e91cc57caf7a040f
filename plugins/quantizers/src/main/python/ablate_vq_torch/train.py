"""One trial of the `vq-autoencoder` task, as VqAutoencoderTask runs it, with the same records.

Per step (step 1, every log_every and the last) train/loss_recon, loss_codebook, loss_commit,
loss_entropy (where non-zero), codes_in_batch, perplexity (of the batch) and rows_changed; every
eval_every steps eval/* on the first eval_subset test images (0: all); at the end eval/* on that
subset and test/* on the whole test split, the summary (test metrics, codebook_size, test_images,
train_loss_recon, train_loss_codebook, seconds_per_step) and artifacts. One Adam (ND4J's and
PyTorch's are element-wise, so one optimiser over every tensor equals Ablate's per-array ones).
"""
import hashlib
import math
import time

import numpy as np
import torch
import torch.nn.functional as F

from . import data, metrics, model as models, png, quantizers
from .quantizers import ConfigError

EVAL_BATCH = 500


class NonFiniteLoss(RuntimeError):
    pass


def sub_seed(seed, stream):
    """An independent 63-bit seed per named stream of one trial seed."""
    return int.from_bytes(hashlib.sha256(f"{seed}/{stream}".encode()).digest()[:8], "big") & ((1 << 63) - 1)


def pick_device(choice):
    if choice == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if choice == "cuda":
        if not torch.cuda.is_available():
            raise ConfigError("device: cuda, but PyTorch sees no CUDA device (accepted: auto, cpu, cuda)")
        return torch.device("cuda")
    if choice == "cpu":
        return torch.device("cpu")
    raise ConfigError(f"device must be one of auto, cpu, cuda, got {choice!r}")


def options_of(params, component):
    prefix = component + "."
    return {k[len(prefix):]: v for k, v in params.items() if k.startswith(prefix)}


def build(params, seed, device):
    d = int(params.get("latent_dim", 32))
    k = int(params.get("codebook_size", 1024))
    gen_model = torch.Generator().manual_seed(sub_seed(seed, "model"))
    gen_codebook = torch.Generator().manual_seed(sub_seed(seed, "codebook"))
    net = models.build(params.get("model", "conv"), d, gen_model)
    quantizer = quantizers.create(params.get("quantizer", "vq"), k, d, int(params.get("search_bound", 1 << 24)),
                                  gen_codebook, options_of(params, "quantizer"))
    return net.to(device), quantizer.to(device)


class Step:
    """One optimisation step; returns the measured terms when `measure`."""

    def __init__(self, net, quantizer, lr, beta):
        self.net = net
        self.quantizer = quantizer
        self.beta = beta
        trainable = [p for p in list(net.parameters()) + list(quantizer.parameters()) if p.requires_grad]
        self.optimiser = torch.optim.Adam(trainable, lr=lr)

    def __call__(self, x, measure):
        q_ = self.quantizer
        z_pre = q_.pre(self.net.encode(x))
        idx, q = q_.assign(z_pre)
        zq = z_pre + (q - z_pre).detach()  # straight-through
        recon = self.net.decode(q_.post(zq))
        loss_recon = F.mse_loss(recon, x)
        loss = loss_recon
        commit = self.beta * torch.mean((q.detach() - z_pre) ** 2) if q_.commitment else None
        if commit is not None:
            loss = loss + commit
        codebook = torch.mean((q - z_pre.detach()) ** 2)
        if q_.trained_by_gradient:
            loss = loss + codebook
        extra = q_.extra_loss(z_pre)
        if extra is not None:
            loss = loss + extra
        before = q_.rows().clone() if measure and q_.rows() is not None else None
        self.optimiser.zero_grad(set_to_none=True)
        loss.backward()
        self.optimiser.step()
        q_.after_step(z_pre, idx)
        out = {"codebook": float(codebook)}
        if measure:
            out.update(recon=float(loss_recon), commit=float(commit) if commit is not None else 0.0,
                       extra=float(extra) if extra is not None else 0.0, indices=idx)
            if before is not None:
                out["rows_changed"] = int((q_.rows() != before).any(1).sum())
        return out


@torch.no_grad()
def evaluate(net, quantizer, images, device):
    """Utilisation, perplexity (and perplexity / K), MSE, PSNR, SSIM over every image given (batches of 500), and the code counts."""
    counts = torch.zeros(quantizer.size, dtype=torch.long, device=device)
    sse = psnr = ssim = 0.0
    for start in range(0, images.shape[0], EVAL_BATCH):
        x = images[start:start + EVAL_BATCH].to(device)
        recon, idx = reconstruct(net, quantizer, x)
        counts += torch.bincount(idx, minlength=quantizer.size)
        mse = metrics.per_image_mse(x, recon)
        sse += float(mse.sum())
        psnr += float(metrics.psnr_from_mse(mse).sum())
        ssim += float(metrics.per_image_ssim(x, recon).sum())
    n = images.shape[0]
    _, utilisation, perplexity = metrics.usage(counts)
    out = {"utilization": utilisation, "perplexity": perplexity, "perplexity_fraction": perplexity / quantizer.size,
           "mse": sse / n, "psnr": psnr / n, "ssim": ssim / n}
    out.update(quantizer.diagnostics())
    return out, counts


@torch.no_grad()
def reconstruct(net, quantizer, x):
    z_pre = quantizer.pre(net.encode(x))
    idx, q = quantizer.assign(z_pre)
    return net.decode(quantizer.post(q)), idx


def run(trial, device_override=None):
    p = trial.params
    torch.set_num_threads(max(1, int(trial.threads or 1)))
    device = pick_device(device_override or p.get("device", "auto"))
    print(f"ablate_vq_torch: torch {torch.__version__}, device {device}"
          + (f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else f", {torch.get_num_threads()} threads"),
          flush=True)
    if p.get("dataset", "fashion-mnist") != "fashion-mnist":
        raise ConfigError(f"dataset: {p.get('dataset')} is not implemented by the torch twin (accepted: fashion-mnist)")
    train = torch.from_numpy(data.load("train", int(p.get("train_subset", 0))))
    test = torch.from_numpy(data.load("test", int(p.get("test_subset", 2000))))
    if device.type == "cuda":
        train = train.to(device)
    net, quantizer = build(p, trial.seed, device)
    step_fn = Step(net, quantizer, float(p.get("lr", 1e-3)), float(p.get("beta", 0.25)))
    steps = int(p.get("steps", 1000))
    batch_size = int(p.get("batch_size", 128))
    log_every = int(p.get("log_every", 10))
    eval_every = int(p.get("eval_every", 0))
    eval_subset = int(p.get("eval_subset", 0))
    during = test if eval_subset == 0 else test[:eval_subset]
    order = data.BatchOrder(train.shape[0], batch_size, np.random.default_rng(sub_seed(trial.seed, "batches")))
    last = None
    started = time.perf_counter()
    for step in range(1, steps + 1):
        measure = step == 1 or step % log_every == 0 or step == steps
        x = train[torch.from_numpy(order.next()).to(train.device)].to(device)
        last = step_fn(x, measure)
        for name in ("recon", "commit", "extra", "codebook"):
            if name in last and not math.isfinite(last[name]):
                raise NonFiniteLoss(f"non-finite {name} loss ({last[name]}) at step {step}")
        if measure:
            log_step(trial, step, last, quantizer.size)
            trial.progress(step, steps, f"recon {last['recon']:.4f}")
        if eval_every > 0 and step % eval_every == 0 and step < steps:
            trial.log(step, {"eval/" + k: v for k, v in evaluate(net, quantizer, during, device)[0].items()})
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    seconds_per_step = (time.perf_counter() - started) / steps
    result, counts = evaluate(net, quantizer, test, device)
    at_end = result if eval_subset == 0 else evaluate(net, quantizer, during, device)[0]
    trial.log(steps, {"eval/" + k: v for k, v in at_end.items()})
    trial.log(steps, {"test/" + k: v for k, v in result.items()})
    write_artifacts(trial, net, quantizer, test, counts, device)
    summary = dict(result)
    summary.update(codebook_size=float(quantizer.size), test_images=float(test.shape[0]),
                   train_loss_recon=last["recon"], train_loss_codebook=last["codebook"],
                   seconds_per_step=seconds_per_step)
    trial.summary(summary)
    return summary


def log_step(trial, step, s, k):
    used, _, perplexity = metrics.usage(torch.bincount(s["indices"], minlength=k))
    values = {"train/loss_recon": s["recon"], "train/loss_codebook": s["codebook"], "train/loss_commit": s["commit"]}
    if s["extra"] != 0:
        values["train/loss_entropy"] = s["extra"]
    values["train/codes_in_batch"] = float(used)
    values["train/perplexity"] = perplexity
    if "rows_changed" in s:
        values["train/rows_changed"] = float(s["rows_changed"])
    trial.log(step, values)


def write_artifacts(trial, net, quantizer, test, counts, device):
    shown = min(8, test.shape[0])
    x = test[:shown].to(device)
    recon, _ = reconstruct(net, quantizer, x)
    scale = 3
    rows = torch.cat([x.cpu(), recon.cpu()], 0).reshape(2, shown, 28, 28)
    grid = rows.permute(0, 2, 1, 3).reshape(2 * 28, shown * 28)
    grid = grid.repeat_interleave(scale, 0).repeat_interleave(scale, 1)
    png.write_gray(trial.artifact_path("reconstructions.png"), grid.flatten().tolist(), grid.shape[0], grid.shape[1])
    path = trial.artifact_path("code_usage.csv")
    with open(str(path) + ".tmp", "w") as f:
        f.write("code,count\n")
        for code, n in enumerate(counts.cpu().tolist()):
            if n:
                f.write(f"{code},{n}\n")
    import os
    os.replace(str(path) + ".tmp", path)
