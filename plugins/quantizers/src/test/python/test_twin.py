"""Definitions of the torch twin checked on hand-computed cases (run: python3 -m unittest discover -s
plugins/quantizers/src/test/python, with plugins/quantizers/src/main/python on PYTHONPATH; the Java suite
runs it from TorchTwinDefinitionsTest). The cross-check against the Java side is in that Java test."""
import math
import unittest

import torch

from ablate_vq_torch import metrics, model as models, quantizers, train


def enumerated_joint_entropy(z):
    """Mean per-token entropy minus the entropy of the batch-averaged distribution over all 2^bits codes,
    by listing every code (float64), with the same constants inside the logs (+1e-6 per token, +1e-30 in the codebook term)."""
    p = torch.sigmoid(4 * z.double())
    n, bits = p.shape
    average = []
    per_token = 0.0
    for i in range(n):
        per_token += sum(-(float(p[i, j]) * math.log(float(p[i, j]) + 1e-6)
                           + (1 - float(p[i, j])) * math.log(1 - float(p[i, j]) + 1e-6)) for j in range(bits))
    for code in range(1 << bits):
        total = 0.0
        for i in range(n):
            prob = 1.0
            for j in range(bits):
                prob *= float(p[i, j]) if (code >> j) & 1 else 1 - float(p[i, j])
            total += prob
        average.append(total / n)
    codebook = -sum(a * math.log(a + 1e-30) for a in average)
    return per_token / n - codebook, codebook


class LfqEntropy(unittest.TestCase):

    def test_the_joint_form_equals_the_enumerated_entropy_over_all_codes_k8_and_k16(self):
        gen = torch.Generator().manual_seed(5)
        for bits in (3, 4):
            z = torch.randn(7, bits, generator=gen, dtype=torch.float64)
            expected, _ = enumerated_joint_entropy(z)
            for bound in (1 << 24, 7 * 3):  # one chunk, and chunks of 3 codes (the last one short)
                got = float(quantizers.lfq_entropy_term(z, "joint", bound))
                self.assertAlmostEqual(expected, got, places=10, msg=f"bits {bits}, bound {bound}")

    def test_bits_that_flip_together_keep_per_bit_entropy_maximal_but_not_the_joint_one(self):
        # two tokens, codes 000 and 111 only: each bit is on half the time, two of eight codes used
        z = torch.tensor([[5.0, 5.0, 5.0], [-5.0, -5.0, -5.0]], dtype=torch.float64)
        per_bit = float(quantizers.lfq_entropy_term(z, "per_bit"))
        joint = float(quantizers.lfq_entropy_term(z, "joint"))
        self.assertAlmostEqual(-3 * math.log(2), per_bit, places=4)   # log 2 per bit
        self.assertAlmostEqual(-math.log(2), joint, places=4)         # log 2: two codes
        self.assertLess(per_bit, joint)

    def test_chunked_gradient_equals_the_one_chunk_gradient(self):
        z1 = torch.randn(9, 4, generator=torch.Generator().manual_seed(2), dtype=torch.float64, requires_grad=True)
        z2 = z1.detach().clone().requires_grad_()
        quantizers.lfq_entropy_term(z1, "joint", 1 << 24).backward()
        quantizers.lfq_entropy_term(z2, "joint", 9 * 5).backward()
        self.assertTrue(torch.allclose(z1.grad, z2.grad, atol=1e-12))

    def test_the_default_is_joint_and_a_bad_form_is_refused_naming_the_key(self):
        q = quantizers.Lfq(16, 4, 1 << 24, torch.Generator().manual_seed(0), {})
        self.assertEqual("joint", q.entropy)
        with self.assertRaisesRegex(quantizers.ConfigError, "quantizer.entropy must be joint or per_bit"):
            quantizers.Lfq(16, 4, 1 << 24, torch.Generator().manual_seed(0), {"entropy": "both"})


class Codes(unittest.TestCase):

    def test_fsq_indices_are_a_bijection_with_the_grid_and_decode_inverts_them(self):
        q_ = quantizers.Fsq(0, 4, 1 << 24, torch.Generator().manual_seed(0), {"levels": [8, 5, 3]})
        self.assertEqual(120, q_.size)
        grid = torch.tensor([[a - 4, b - 2, c - 1] for a in range(8) for b in range(5) for c in range(3)], dtype=torch.float32)
        idx, q = q_.assign(grid)
        self.assertEqual(list(range(120)), sorted(idx.tolist()))
        self.assertTrue(torch.equal(q, grid))
        self.assertTrue(torch.equal(q_.decode(idx), grid))

    def test_fsq_rounds_half_up_as_java_math_round_and_clamps(self):
        q_ = quantizers.Fsq(0, 4, 1 << 24, torch.Generator().manual_seed(0), {"levels": [8]})
        _, q = q_.assign(torch.tensor([[0.5], [-1.5], [2.5], [9.0], [-9.0]]))
        self.assertEqual([1.0, -1.0, 3.0, 3.0, -4.0], q.flatten().tolist())

    def test_lfq_code_bit_j_is_dimension_j_non_negative(self):
        q_ = quantizers.Lfq(8, 4, 1 << 24, torch.Generator().manual_seed(0), {})
        idx, q = q_.assign(torch.tensor([[0.0, -1.0, 2.0], [-0.1, 0.3, -5.0]]))
        self.assertEqual([5, 2], idx.tolist())
        self.assertEqual([[1.0, -1.0, 1.0], [-1.0, 1.0, -1.0]], q.tolist())
        self.assertTrue(torch.equal(q_.decode(idx), q))

    def test_the_chunked_search_finds_the_brute_force_nearest_code(self):
        gen = torch.Generator().manual_seed(3)
        z = torch.randn(50, 6, generator=gen)
        c = torch.randn(37, 6, generator=gen)
        expected = torch.cdist(z.double(), c.double()).argmin(1)
        for bound in (1 << 24, 50 * 5, 1):
            self.assertTrue(torch.equal(expected, quantizers.nearest(z, c, bound)), f"bound {bound}")
            # the benchmark's peer times the search on codes augmented once
            self.assertTrue(torch.equal(expected, quantizers.nearest_augmented(z, quantizers.augment(c), bound)),
                            f"augmented, bound {bound}")


class Metrics(unittest.TestCase):

    def test_usage_and_perplexity(self):
        used, utilisation, perplexity = metrics.usage(torch.bincount(torch.tensor([0, 0, 1, 3]), minlength=8))
        self.assertEqual(3, used)
        self.assertEqual(0.375, utilisation)
        self.assertAlmostEqual(math.exp(-(0.5 * math.log(0.5) + 2 * 0.25 * math.log(0.25))), perplexity, places=12)
        self.assertEqual((0, 0.0, 0.0), metrics.usage(torch.zeros(4, dtype=torch.long)))

    def test_identical_images_have_ssim_one_and_infinite_psnr(self):
        x = torch.rand(2, 1, 28, 28, generator=torch.Generator().manual_seed(1))
        self.assertTrue(torch.allclose(metrics.per_image_ssim(x, x), torch.ones(2, dtype=torch.float64)))
        self.assertTrue(math.isinf(float(metrics.psnr_from_mse(metrics.per_image_mse(x, x))[0])))

    def test_psnr_of_a_uniform_error(self):
        x = torch.zeros(1, 1, 28, 28)
        self.assertAlmostEqual(20.0, float(metrics.psnr_from_mse(metrics.per_image_mse(x, x + 0.1))[0]), places=5)

    def test_effective_rank(self):
        self.assertAlmostEqual(3.0, quantizers.effective_rank(torch.diag(torch.tensor([1.0, 1.0, 1.0, 0.0]))), places=12)
        self.assertEqual(0.0, quantizers.effective_rank(torch.zeros(3, 3)))


class Init(unittest.TestCase):

    def test_he_uniform_bounds_and_spread(self):
        net = models.build("conv", 32, torch.Generator().manual_seed(0))
        bound = math.sqrt(6.0 / (9 * 32))
        w = net.e2w.detach().double()
        self.assertLessEqual(float(w.abs().max()), bound)
        self.assertAlmostEqual(bound / math.sqrt(3), float(w.std()), delta=0.02 * bound)
        self.assertEqual(0.0, float(net.e2b.abs().max()))

    def test_a_seed_gives_the_same_network_and_streams_differ(self):
        a = models.build("mlp", 8, torch.Generator().manual_seed(train.sub_seed(4, "model")))
        b = models.build("mlp", 8, torch.Generator().manual_seed(train.sub_seed(4, "model")))
        self.assertTrue(torch.equal(a.e1w, b.e1w))
        self.assertNotEqual(train.sub_seed(4, "model"), train.sub_seed(4, "codebook"))


if __name__ == "__main__":
    unittest.main()
