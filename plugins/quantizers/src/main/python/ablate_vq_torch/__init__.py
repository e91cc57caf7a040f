"""The PyTorch twin of Ablate's `vq-autoencoder` task (plugin quantizers).

An independent implementation of the same study: the same conv and MLP autoencoders with the
same He-uniform initialisation, the quantizers vq, simvq, vq-fc, vq-ema, fsq and lfq with the
definitions of org.ablate.quantizers.quantizer, the Debian Fashion-MNIST files, and the same
metrics under the same names (utilisation over the whole test split, perplexity, MSE, PSNR, SSIM,
rows changed, effective rank of W). It reads a trial folder's task.json and writes the trial's
records through the framework's `ablate_client`, so it runs under Ablate (`implementation: torch`)
or on its own: `python3 -m ablate_vq_torch --trial-dir D`.
"""
