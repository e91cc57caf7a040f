"""Codebook usage and reconstruction quality with the definitions of org.ablate.quantizers.metrics.

utilisation  fraction of the K codes used at least once (over every token given)
perplexity   exp(H), H the entropy (nats) of the empirical code distribution; 0 when empty
mse          pooled over all pixels; psnr: the mean over images of 10 log10(1 / mse_image) (+inf if one is exact)
ssim         Wang et al. as scikit-image's structural_similarity(data_range=1, gaussian_weights=True,
             sigma=1.5, use_sample_covariance=False) on float64: 11x11 Gaussian window (radius 5),
             K1 = 0.01, K2 = 0.03, the mean of the map over window positions wholly inside the image;
             the mean over images
"""
import math

import torch
import torch.nn.functional as F

SSIM_RADIUS = 5
SSIM_SIGMA = 1.5
C1 = 0.01 ** 2
C2 = 0.03 ** 2


def usage(counts):
    """(distinct codes, utilisation, perplexity) of per-code counts [K]."""
    counts = counts.double()
    total = counts.sum()
    used = int((counts > 0).sum())
    if total == 0:
        return used, 0.0, 0.0
    p = counts[counts > 0] / total
    entropy = max(0.0, float(-(p * torch.log(p)).sum()))
    return used, used / counts.numel(), math.exp(entropy)


def per_image_mse(x, y):
    d = x.double().reshape(x.shape[0], -1) - y.double().reshape(y.shape[0], -1)
    return (d * d).mean(1)


def psnr_from_mse(mse):
    return torch.where(mse == 0, torch.full_like(mse, math.inf), -10.0 * torch.log10(mse))


def _window(device):
    k = torch.arange(-SSIM_RADIUS, SSIM_RADIUS + 1, dtype=torch.float64, device=device)
    w = torch.exp(-0.5 * k * k / (SSIM_SIGMA * SSIM_SIGMA))
    return w / w.sum()


def per_image_ssim(x, y):
    """SSIM of each pair of single-channel images [B, 1, H, W] (H, W >= 11), float64."""
    x = x.double()
    y = y.double()
    w = _window(x.device)
    horizontal = w.reshape(1, 1, 1, -1)
    vertical = w.reshape(1, 1, -1, 1)

    def filt(a):
        return F.conv2d(F.conv2d(a, horizontal), vertical)  # 'valid': the border strip is dropped

    ux, uy = filt(x), filt(y)
    vx = filt(x * x) - ux * ux
    vy = filt(y * y) - uy * uy
    vxy = filt(x * y) - ux * uy
    s = ((2 * ux * uy + C1) * (2 * vxy + C2)) / ((ux * ux + uy * uy + C1) * (vx + vy + C2))
    return s.reshape(s.shape[0], -1).mean(1)
