"""Test-only reference of open_clip's CLIP forward for the ViT image tower and the text tower.

Written for remoteclip's parity test (ViTReferenceParityTest) from open_clip's model definitions
(open_clip/transformer.py: VisionTransformer, TextTransformer, ResidualAttentionBlock; open_clip/model.py:
CLIP.encode_image, CLIP.encode_text) with PyTorch's own modules and functions, so that no remoteclip code is on
the reference side. open_clip itself is not needed: only torch (Debian's python3-torch) and numpy.

    python3 open_clip_vit_reference.py WEIGHTS.safetensors SPEC.json PIXELS.f32 TOKENS.i64 IMAGE_OUT.f32 TEXT_OUT.f32

SPEC.json: {"vision": {"width", "layers", "heads", "patch", "image"}, "text": {"width", "layers", "heads",
"context"}, "activation": "gelu" | "quick_gelu", "batch": N}. The weights are memory-mapped (a ViT-H-14
checkpoint is not copied into this process); inputs and outputs are raw little-endian arrays.
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path):
    """Tensors of a .safetensors file as torch views of a read-only memory map."""
    with open(path, "rb") as f:
        header_len = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(header_len))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + header_len)
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", (name, entry["dtype"])
        begin, end = entry["data_offsets"]
        arr = data[begin:end].view(np.float32).reshape(entry["shape"])
        out[name] = torch.from_numpy(arr)
    return out


class QuickGELU(torch.nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


def residual_block(x, sd, prefix, heads, act, attn_mask):
    """open_clip ResidualAttentionBlock: x + attn(ln_1(x)); x + mlp(ln_2(x)); sequence-first [L, N, D]."""
    width = x.shape[-1]
    y = F.layer_norm(x, (width,), sd[prefix + "ln_1.weight"], sd[prefix + "ln_1.bias"], eps=1e-5)
    y, _ = F.multi_head_attention_forward(
        y, y, y, width, heads,
        sd[prefix + "attn.in_proj_weight"], sd[prefix + "attn.in_proj_bias"],
        None, None, False, 0.0,
        sd[prefix + "attn.out_proj.weight"], sd[prefix + "attn.out_proj.bias"],
        training=False, need_weights=False, attn_mask=attn_mask)
    x = x + y
    y = F.layer_norm(x, (width,), sd[prefix + "ln_2.weight"], sd[prefix + "ln_2.bias"], eps=1e-5)
    y = F.linear(y, sd[prefix + "mlp.c_fc.weight"], sd[prefix + "mlp.c_fc.bias"])
    y = act(y)
    y = F.linear(y, sd[prefix + "mlp.c_proj.weight"], sd[prefix + "mlp.c_proj.bias"])
    return x + y


def encode_image(sd, v, act, pixels):
    """open_clip VisionTransformer.forward with its defaults (class token, ln_pre, 'tok' pooling, proj)."""
    width = v["width"]
    x = F.conv2d(pixels, sd["visual.conv1.weight"], stride=v["patch"])  # [N, W, g, g], no bias
    x = x.reshape(x.shape[0], width, -1).permute(0, 2, 1)  # [N, g*g, W]
    cls = sd["visual.class_embedding"].to(x.dtype) + torch.zeros(x.shape[0], 1, width, dtype=x.dtype)
    x = torch.cat([cls, x], dim=1)
    x = x + sd["visual.positional_embedding"]
    x = F.layer_norm(x, (width,), sd["visual.ln_pre.weight"], sd["visual.ln_pre.bias"], eps=1e-5)
    x = x.permute(1, 0, 2)  # sequence first, as nn.MultiheadAttention without batch_first
    for i in range(v["layers"]):
        x = residual_block(x, sd, "visual.transformer.resblocks.%d." % i, v["heads"], act, None)
    x = x.permute(1, 0, 2)
    pooled = F.layer_norm(x[:, 0], (width,), sd["visual.ln_post.weight"], sd["visual.ln_post.bias"], eps=1e-5)
    return pooled @ sd["visual.proj"]


def encode_text(sd, t, act, tokens):
    """open_clip CLIP.encode_text: causal transformer, ln_final, features at the end-of-text (largest) id."""
    width = t["width"]
    ctx = t["context"]
    x = F.embedding(tokens, sd["token_embedding.weight"]) + sd["positional_embedding"]
    mask = torch.full((ctx, ctx), float("-inf")).triu_(1)  # open_clip build_causal_mask
    x = x.permute(1, 0, 2)
    for i in range(t["layers"]):
        x = residual_block(x, sd, "transformer.resblocks.%d." % i, t["heads"], act, mask)
    x = x.permute(1, 0, 2)
    x = F.layer_norm(x, (width,), sd["ln_final.weight"], sd["ln_final.bias"], eps=1e-5)
    x = x[torch.arange(x.shape[0]), tokens.argmax(dim=-1)]
    return x @ sd["text_projection"]


def main(argv):
    weights, spec_file, pixels_file, tokens_file, image_out, text_out = argv[1:7]
    spec = json.load(open(spec_file))
    torch.set_num_threads(2)
    sd = read_safetensors(weights)
    act = torch.nn.GELU() if spec["activation"] == "gelu" else QuickGELU()
    v, t, n = spec["vision"], spec["text"], spec["batch"]
    pixels = torch.from_numpy(np.fromfile(pixels_file, dtype="<f4").reshape(n, 3, v["image"], v["image"]))
    tokens = torch.from_numpy(np.fromfile(tokens_file, dtype="<i8").reshape(n, t["context"]))
    with torch.no_grad():
        encode_image(sd, v, act, pixels).numpy().astype("<f4").tofile(image_out)
        encode_text(sd, t, act, tokens).numpy().astype("<f4").tofile(text_out)
    print("torch", torch.__version__)


if __name__ == "__main__":
    main(sys.argv)
