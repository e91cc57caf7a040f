"""The autoencoders of org.ablate.quantizers.model.Autoencoder: 28x28 images -> 49 tokens of d -> 28x28.

conv  encoder conv3x3(1->32, stride 2, SAME) relu, conv3x3(32->64, stride 2, SAME) relu, conv1x1(64->d),
      tokens in NHWC order; decoder conv3x3(d->64) relu, nearest x2, conv3x3(64->32) relu, nearest x2,
      conv3x3(32->1) sigmoid
mlp   encoder 784 -> 256 relu -> 49*d (token t = outputs t*d .. t*d+d-1); decoder 49*d -> 256 relu -> 784 sigmoid
init  He-uniform: weights uniform(+-sqrt(6 / fan_in)), fan_in = k*k*in (conv) or in (dense); biases zero
"""
import math

import torch
import torch.nn.functional as F

TOKENS = 49


def he_uniform(shape, fan_in, gen):
    bound = math.sqrt(6.0 / fan_in)
    return torch.nn.Parameter((torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1).mul(bound).float())


def uniform(shape, bound, gen):
    """uniform(+-bound) as float32 (PyTorch nn.Linear's default init with bound 1/sqrt(fan_in))."""
    return torch.nn.Parameter((torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1).mul(bound).float())


class Linear(torch.nn.Module):
    """x @ W + b with W [in, out] and b initialised uniform(+-1/sqrt(in)): Ablate's quantizer Projection."""

    def __init__(self, n_in, n_out, gen):
        super().__init__()
        bound = 1.0 / math.sqrt(n_in)
        self.w = uniform((n_in, n_out), bound, gen)
        self.b = uniform((n_out,), bound, gen)

    def forward(self, x):
        return torch.addmm(self.b, x, self.w)


class ConvAutoencoder(torch.nn.Module):

    def __init__(self, d, gen):
        super().__init__()
        self.d = d

        def conv(k, cin, cout):
            return he_uniform((cout, cin, k, k), k * k * cin, gen), torch.nn.Parameter(torch.zeros(cout))

        self.e1w, self.e1b = conv(3, 1, 32)
        self.e2w, self.e2b = conv(3, 32, 64)
        self.e3w, self.e3b = conv(1, 64, d)
        self.d1w, self.d1b = conv(3, d, 64)
        self.d2w, self.d2b = conv(3, 64, 32)
        self.d3w, self.d3b = conv(3, 32, 1)

    @staticmethod
    def _same_stride2(x, w, b):
        # TF/ND4J SAME for a 3x3 kernel at stride 2 on an even size: no padding before, one after
        return F.conv2d(F.pad(x, (0, 1, 0, 1)), w, b, stride=2)

    def encode(self, x):
        h = F.relu(self._same_stride2(x, self.e1w, self.e1b))      # 14x14
        h = F.relu(self._same_stride2(h, self.e2w, self.e2b))      # 7x7
        h = F.conv2d(h, self.e3w, self.e3b)                       # [B, d, 7, 7]
        return h.permute(0, 2, 3, 1).reshape(-1, self.d)

    def decode(self, tokens):
        h = tokens.reshape(-1, 7, 7, self.d).permute(0, 3, 1, 2)
        h = F.relu(F.conv2d(h, self.d1w, self.d1b, padding=1))
        h = F.interpolate(h, scale_factor=2, mode="nearest")
        h = F.relu(F.conv2d(h, self.d2w, self.d2b, padding=1))
        h = F.interpolate(h, scale_factor=2, mode="nearest")
        return torch.sigmoid(F.conv2d(h, self.d3w, self.d3b, padding=1))


class MlpAutoencoder(torch.nn.Module):

    def __init__(self, d, gen):
        super().__init__()
        self.d = d

        def dense(n_in, n_out):
            return he_uniform((n_in, n_out), n_in, gen), torch.nn.Parameter(torch.zeros(n_out))

        self.e1w, self.e1b = dense(784, 256)
        self.e2w, self.e2b = dense(256, TOKENS * d)
        self.d1w, self.d1b = dense(TOKENS * d, 256)
        self.d2w, self.d2b = dense(256, 784)

    def encode(self, x):
        h = F.relu(torch.addmm(self.e1b, x.reshape(-1, 784), self.e1w))
        return torch.addmm(self.e2b, h, self.e2w).reshape(-1, self.d)

    def decode(self, tokens):
        h = F.relu(torch.addmm(self.d1b, tokens.reshape(-1, TOKENS * self.d), self.d1w))
        return torch.sigmoid(torch.addmm(self.d2b, h, self.d2w)).reshape(-1, 1, 28, 28)


def build(architecture, d, gen):
    if architecture == "conv":
        return ConvAutoencoder(d, gen)
    if architecture == "mlp":
        return MlpAutoencoder(d, gen)
    raise ValueError(f"model must be conv or mlp, got {architecture!r}")
