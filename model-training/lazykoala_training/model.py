"""The service autoencoder: a small convolutional encoder/decoder around a dense bottleneck.

Sized for the scoring budget (>= 20k images/s on one core in ONNX Runtime Java): about 20k weights
and ~0.13 M multiply-adds per image. The convolutions see neighbouring look-back rows and features
within each window channel; the dense bottleneck is what lets the model learn relations between
features that are far apart in the column order (e.g. requests and CPU), which a 3x3 kernel cannot.
"""
import torch
from torch import nn

ARCHITECTURE = "conv-ae-v1"


def default_hparams():
    return {"architecture": ARCHITECTURE, "channels": 3, "rows": 8, "features": 13,
            "width1": 8, "width2": 16, "latent": 16}


class ConvAutoencoder(nn.Module):
    def __init__(self, channels=3, rows=8, features=13, width1=8, width2=16, latent=16, architecture=ARCHITECTURE):
        super().__init__()
        if architecture != ARCHITECTURE:
            raise ValueError(f"architecture {architecture!r} is not {ARCHITECTURE!r}")
        self.hparams = {"architecture": architecture, "channels": channels, "rows": rows, "features": features,
                        "width1": width1, "width2": width2, "latent": latent}
        # Stride-2 convolution halves rows and columns, rounding up: 8x13 -> 4x7.
        self.code_rows, self.code_cols = (rows + 1) // 2, (features + 1) // 2
        code = width2 * self.code_rows * self.code_cols
        self.encoder = nn.Sequential(
            nn.Conv2d(channels, width1, 3, padding=1), nn.ReLU(),
            nn.Conv2d(width1, width2, 3, stride=2, padding=1), nn.ReLU(),
            nn.Flatten(1),
            nn.Linear(code, latent),
        )
        self.expand = nn.Sequential(nn.Linear(latent, code), nn.ReLU())
        # output_padding restores the exact size the stride-2 conv rounded away (8 rows, 13 columns).
        out_pad = (rows - (2 * self.code_rows - 1), features - (2 * self.code_cols - 1))
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(width2, width1, 3, stride=2, padding=1, output_padding=out_pad), nn.ReLU(),
            nn.Conv2d(width1, channels, 3, padding=1),
        )
        self.width2 = width2

    def forward(self, images):
        z = self.encoder(images)
        h = self.expand(z).reshape(-1, self.width2, self.code_rows, self.code_cols)
        return self.decoder(h)


def build(hparams):
    return ConvAutoencoder(**hparams)


def multiply_adds(model):
    """Multiply-adds per image (convolutions and dense layers), for the model card."""
    total = 0
    hooks = []

    def conv_hook(mod, inp, out):
        nonlocal total
        k = mod.kernel_size[0] * mod.kernel_size[1]
        if isinstance(mod, nn.ConvTranspose2d):
            total += inp[0][0].numel() * mod.out_channels * k
        else:
            total += out[0].numel() * mod.in_channels * k

    def lin_hook(mod, inp, out):
        nonlocal total
        total += mod.in_features * mod.out_features

    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(lin_hook))
    hp = model.hparams
    with torch.no_grad():
        model(torch.zeros(1, hp["channels"], hp["rows"], hp["features"]))
    for h in hooks:
        h.remove()
    return total


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())
