"""The quantizer families of org.ablate.quantizers.quantizer, with the same definitions and options.

Every family maps the encoder's tokens z [N, d] to zPre = pre(z) (the space codes live in), picks
codes outside autograd (`assign`), and the decoder sees post(zPre + sg(q - zPre)). The loss is
mse(recon, x) + beta * mean((sg(q) - zPre)^2) where the family has a commitment term (all but FSQ),
+ mean((q - sg(zPre))^2) where the codebook trains by gradient (vq, simvq, vq-fc: it reaches only
the codebook), + the family's extra loss (LFQ's entropy term).
"""
import math

import torch
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint

from .model import Linear

FSQ_DEFAULT_LEVELS = {256: [8, 6, 5], 1024: [8, 5, 5, 5], 4096: [7, 5, 5, 5, 5],
                      16384: [8, 8, 8, 6, 5], 65536: [8, 8, 8, 5, 5, 5]}


class ConfigError(ValueError):
    """A parameter the twin cannot honour; the message is one line naming the key."""


def nearest(z, codebook, bound):
    """Indices of the nearest rows of `codebook` [K, D] (squared L2) for the rows of z [N, D]."""
    return nearest_augmented(z, augment(codebook), bound)


def augment(codebook):
    """[2c, -||c||^2] per row of `codebook` [K, D]: the codes' side of NearestCode.augment, [K, D + 1]."""
    with torch.no_grad():
        return torch.cat([2 * codebook, -(codebook * codebook).sum(1, keepdim=True)], 1)


def nearest_augmented(z, augmented, bound):
    """`nearest` against codes already augmented (the benchmark times the search alone).

    As NearestCode.searchAugmented: argmax over codes of [z, 1] . [2c, -||c||^2], the codes scanned in
    chunks so the score block holds at most `bound` values.
    """
    with torch.no_grad():
        n, k = z.shape[0], augmented.shape[0]
        z_aug = torch.cat([z, torch.ones(n, 1, dtype=z.dtype, device=z.device)], 1)
        chunk = max(1, min(k, bound // max(1, n)))
        best_score = torch.full((n,), float("-inf"), dtype=z.dtype, device=z.device)
        best = torch.zeros(n, dtype=torch.long, device=z.device)
        for start in range(0, k, chunk):
            value, index = (z_aug @ augmented[start:start + chunk].T).max(1)
            better = value > best_score
            best_score = torch.where(better, value, best_score)
            best = torch.where(better, index + start, best)
        return best


class Quantizer(torch.nn.Module):
    commitment = True
    trained_by_gradient = False  # whether mean((q - sg(zPre))^2) enters the loss

    def pre(self, z):
        return z

    def post(self, zq):
        return zq

    def extra_loss(self, z_pre):
        return None

    def rows(self):
        """The codebook whose changed rows `rows_changed` counts, or None where it does not apply."""
        return None

    def after_step(self, z_pre, indices):
        """An update outside the optimiser (EMA statistics)."""

    def diagnostics(self):
        return {}


class LatentQuantizer(Quantizer):
    """Codes in the encoder's own d-dimensional space (vq, simvq, vq-ema)."""

    def __init__(self, k, d, bound):
        super().__init__()
        self.size = k
        self.code_dim = d
        self.bound = bound

    def codebook(self):
        raise NotImplementedError

    def assign(self, z_pre):
        e = self.codebook()
        idx = nearest(z_pre.detach(), e.detach(), self.bound)
        return idx, e[idx]  # the gather's gradient accumulates over duplicate indices

    def decode(self, idx):
        return self.codebook()[idx]

    def rows(self):
        return self.codebook().detach()


class VanillaVq(LatentQuantizer):
    """Trainable K x d codebook ~ uniform(+-1/K), trained by Adam on the codebook term only."""
    trained_by_gradient = True

    def __init__(self, k, d, bound, gen, options):
        super().__init__(k, d, bound)
        self.c = torch.nn.Parameter((torch.rand(k, d, generator=gen, dtype=torch.float64) * 2 - 1).mul(1.0 / k).float())

    def codebook(self):
        return self.c


class SimVq(LatentQuantizer):
    """Frozen C ~ N(0, 1/d) (or uniform of the same variance), E = C W^T + b (diagonal: C * w + b)."""
    trained_by_gradient = True

    def __init__(self, k, d, bound, gen, options):
        super().__init__(k, d, bound)
        std = 1.0 / math.sqrt(d)
        if options.get("codebook_init", "gaussian") == "gaussian":
            c = torch.randn(k, d, generator=gen, dtype=torch.float64) * std
        else:
            c = (torch.rand(k, d, generator=gen, dtype=torch.float64) * 2 - 1) * (std * math.sqrt(3))
        c = c.float()
        if options.get("train_codebook", False):
            self.c = torch.nn.Parameter(c)
        else:
            self.register_buffer("c", c)
        self.diagonal = options.get("w", "full") == "diagonal"
        bound_w = 1.0 / math.sqrt(d)  # PyTorch nn.Linear's default for weight and bias
        shape = (d,) if self.diagonal else (d, d)
        self.w = torch.nn.Parameter((torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1).mul(bound_w).float())
        self.b = (torch.nn.Parameter((torch.rand(d, generator=gen, dtype=torch.float64) * 2 - 1).mul(bound_w).float())
                  if options.get("bias", True) else None)

    def codebook(self):
        e = self.c * self.w if self.diagonal else self.c @ self.w.T
        return e if self.b is None else e + self.b

    def diagnostics(self):
        w = torch.diag(self.w.detach()) if self.diagonal else self.w.detach()
        return {"w_effective_rank": effective_rank(w)}


class EmaVq(LatentQuantizer):
    """Codebook = EMA of assigned vectors (counts start at 1, sums at the codebook), Laplace-smoothed."""

    def __init__(self, k, d, bound, gen, options):
        super().__init__(k, d, bound)
        self.decay = float(options.get("decay", 0.99))
        self.epsilon = float(options.get("epsilon", 1e-5))
        self.dead_threshold = float(options.get("dead_threshold", 0.0))
        self.gen = gen
        c = (torch.rand(k, d, generator=gen, dtype=torch.float64) * 2 - 1).mul(1.0 / k).float()
        self.register_buffer("c", c)
        self.register_buffer("sums", c.clone())
        self.register_buffer("counts", torch.ones(k))

    def codebook(self):
        return self.c

    @torch.no_grad()
    def after_step(self, z_pre, indices):
        k, d = self.c.shape
        z = z_pre.detach().float()
        batch_counts = torch.bincount(indices, minlength=k).float()
        batch_sums = torch.zeros(k, d, device=z.device).index_add_(0, indices, z)
        self.counts.mul_(self.decay).add_((1 - self.decay) * batch_counts)
        self.sums.mul_(self.decay).add_((1 - self.decay) * batch_sums)
        total = self.counts.double().sum()
        smoothed = ((self.counts.double() + self.epsilon) / (total + k * self.epsilon) * total).clamp(min=1e-12)
        self.c.copy_((self.sums.double() / smoothed[:, None]).float())
        if self.dead_threshold > 0:
            dead = torch.nonzero(self.counts < self.dead_threshold).flatten()
            if dead.numel():
                picks = torch.randint(z.shape[0], (dead.numel(),), generator=self.gen).to(z.device)
                self.c[dead] = z[picks]
                self.sums[dead] = z[picks]
                self.counts[dead] = 1


class FactorizedVq(Quantizer):
    """Project to lookup_dim and l2-normalise; cosine lookup against l2-normalised codes ~ N(0, 1); project back."""
    trained_by_gradient = True

    def __init__(self, k, d, bound, gen, options):
        super().__init__()
        self.size = k
        self.code_dim = int(options.get("lookup_dim", 8))
        self.bound = bound
        self.c = torch.nn.Parameter(torch.randn(k, self.code_dim, generator=gen, dtype=torch.float64).float())
        self.fc_in = Linear(d, self.code_dim, gen)
        self.fc_out = Linear(self.code_dim, d, gen)

    def pre(self, z):
        low = self.fc_in(z)
        return low / torch.sqrt((low * low).sum(1, keepdim=True) + 1e-12)

    def post(self, zq):
        return self.fc_out(zq)

    def normalised(self):
        return self.c / (torch.sqrt((self.c * self.c).sum(1, keepdim=True)) + 1e-12)

    def assign(self, z_pre):
        codes = self.normalised()
        idx = nearest(z_pre.detach(), codes.detach(), self.bound)  # unit vectors: nearest in L2 = largest cosine
        return idx, codes[idx]

    def decode(self, idx):
        return self.normalised()[idx]

    def rows(self):
        return self.c.detach()


class Fsq(Quantizer):
    """Bound each of len(levels) projected dims by tanh to its level count, round (straight-through), rescale."""
    commitment = False

    def __init__(self, k, d, bound, gen, options):
        super().__init__()
        levels = [int(v) for v in options.get("levels", [])] or FSQ_DEFAULT_LEVELS.get(k)
        if levels is None:
            raise ConfigError(f"fsq has no default levels for codebook_size = {k} (defaults exist for "
                              f"{sorted(FSQ_DEFAULT_LEVELS)}); set quantizer.levels")
        self.levels = levels
        self.code_dim = len(levels)
        self.size = math.prod(levels)
        basis, product = [], 1
        for level in levels:
            basis.append(product)
            product *= level
        half = [(level - 1) * (1 + 1e-3) / 2 for level in levels]
        offset = [0.5 if level % 2 == 0 else 0.0 for level in levels]
        self.register_buffer("half_range", torch.tensor(half, dtype=torch.float32))
        self.register_buffer("offset", torch.tensor(offset, dtype=torch.float32))
        self.register_buffer("shift", torch.tensor([math.atanh(o / h) for o, h in zip(offset, half)], dtype=torch.float32))
        self.register_buffer("width", torch.tensor([level // 2 for level in levels], dtype=torch.float32))
        self.register_buffer("low", torch.tensor([-(level // 2) for level in levels], dtype=torch.float32))
        self.register_buffer("levels_t", torch.tensor(levels, dtype=torch.long))
        self.register_buffer("basis", torch.tensor(basis, dtype=torch.long))
        self.fc_in = Linear(d, self.code_dim, gen)
        self.fc_out = Linear(self.code_dim, d, gen)

    def pre(self, z):
        return torch.tanh(self.fc_in(z) + self.shift) * self.half_range - self.offset

    def post(self, zq):
        return self.fc_out(zq / self.width)

    def assign(self, z_pre):
        with torch.no_grad():
            # Java's Math.round (half up), clamped to the level's integer range
            q = torch.floor(z_pre.detach() + 0.5)
            q = torch.maximum(torch.minimum(q, self.low + self.levels_t - 1), self.low)
            idx = ((q - self.low).long() * self.basis).sum(1)
        return idx, q

    def decode(self, idx):
        return (torch.div(idx[:, None], self.basis, rounding_mode="floor") % self.levels_t - self.levels_t // 2).float()


class Lfq(Quantizer):
    """Project to log2 K dims and take signs (bit j of the code = dim j >= 0); entropy term weighted 0.1.

    The entropy term is weight * (mean per-token entropy - codebook entropy), per-token p_bit = sigmoid(4 z)
    (the softmax over the codes +-1 of -(z -+ 1)^2). `entropy: joint` (default, MAGVIT-v2 / vector-quantize-
    pytorch): the codebook entropy is that of the batch-averaged distribution over all K codes, a code's
    probability the product of its bits'; computed in chunks of codes (recomputed in the backward pass) so
    memory stays bounded. `per_bit`: the sum of the per-bit entropies of the batch-mean bit probabilities.
    """

    def __init__(self, k, d, bound, gen, options):
        super().__init__()
        if k < 2 or k & (k - 1):
            raise ConfigError(f"lfq needs a power-of-two codebook_size (d = log2 K), got {k}")
        self.bits = k.bit_length() - 1
        self.code_dim = self.bits
        self.size = k
        self.bound = bound
        self.entropy_weight = float(options.get("entropy_weight", 0.1))
        self.entropy = options.get("entropy", "joint")
        if self.entropy not in ("joint", "per_bit"):
            raise ConfigError(f"quantizer.entropy must be joint or per_bit, got {self.entropy!r}")
        self.register_buffer("weights", 2 ** torch.arange(self.bits))
        self.fc_in = Linear(d, self.bits, gen)
        self.fc_out = Linear(self.bits, d, gen)

    def pre(self, z):
        return self.fc_in(z)

    def post(self, zq):
        return self.fc_out(zq)

    def assign(self, z_pre):
        with torch.no_grad():
            one = z_pre.detach() >= 0
            return (one.long() * self.weights).sum(1), one.float() * 2 - 1

    def decode(self, idx):
        return ((idx[:, None] // self.weights) % 2).float() * 2 - 1

    def extra_loss(self, z_pre):
        if self.entropy_weight == 0:
            return None
        return self.entropy_weight * lfq_entropy_term(z_pre, self.entropy, self.bound)


def binary_entropy(p):
    q = 1 - p
    return -(p * torch.log(p + 1e-6) + q * torch.log(q + 1e-6))


def lfq_entropy_term(z_pre, form, bound=1 << 24):
    """Mean per-token entropy minus the codebook entropy (nats), for sign codes of z_pre [N, bits]."""
    p = torch.sigmoid(4 * z_pre)
    per_token = binary_entropy(p).sum(1).mean()
    if form == "per_bit":
        return per_token - binary_entropy(p.mean(0)).sum()
    n, bits = z_pre.shape
    k = 1 << bits
    # as the Java side (JointEntropy): logits clipped to ±40 and +1e-30 inside the codebook term's log,
    # so both implementations compute the same number
    logits = (4 * z_pre).clamp(-40, 40)
    log_one = F.logsigmoid(logits)    # log p(bit = 1)
    log_zero = F.logsigmoid(-logits)  # log p(bit = 0)
    chunk = max(1, min(k, bound // max(1, n)))
    weights = 2 ** torch.arange(bits, device=z_pre.device)
    total = z_pre.new_zeros(())
    for start in range(0, k, chunk):
        codes = torch.arange(start, min(k, start + chunk), device=z_pre.device)
        pattern = ((codes[:, None] // weights) % 2).to(z_pre.dtype)  # [chunk, bits]
        total = total + checkpoint(_chunk_entropy, log_one, log_zero, pattern, use_reentrant=False)
    return per_token - total


def _chunk_entropy(log_one, log_zero, pattern):
    # log P(token i picks code k) = sum_j [b_kj log p_ij + (1 - b_kj) log(1 - p_ij)]
    average = torch.exp(log_one @ pattern.T + log_zero @ (1 - pattern).T).mean(0)
    return -(average * torch.log(average + 1e-30)).sum()


FAMILIES = {"vq": VanillaVq, "simvq": SimVq, "vq-ema": EmaVq, "vq-fc": FactorizedVq, "fsq": Fsq, "lfq": Lfq}


def create(name, k, d, bound, gen, options):
    if name not in FAMILIES:
        raise ConfigError(f"quantizer must be one of {', '.join(FAMILIES)}, got {name!r}")
    return FAMILIES[name](k, d, bound, gen, options)


def effective_rank(matrix):
    """exp(H(sigma / sum sigma)) in float64 (Roy & Vetterli); 0 for a zero matrix."""
    sigma = torch.linalg.svdvals(matrix.double().cpu())
    total = sigma.sum()
    if total == 0:
        return 0.0
    p = sigma[sigma > 0] / total
    return float(torch.exp(-(p * torch.log(p)).sum()))
