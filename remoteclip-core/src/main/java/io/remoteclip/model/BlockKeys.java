package io.remoteclip.model;

/**
 * The state-dict names of one pre-LN transformer block: what the DJL towers ({@link Layers}) and the ONNX export
 * read, so both name the same tensors.
 */
public record BlockKeys(String norm1, String qkvWeight, String qkvBias, String out, String norm2, String fc1, String fc2) {
  /** open_clip's {@code ResidualAttentionBlock} ({@code nn.MultiheadAttention} inside). */
  public static BlockKeys openClip(String p) {
    return new BlockKeys(p + ".ln_1", p + ".attn.in_proj_weight", p + ".attn.in_proj_bias", p + ".attn.out_proj",
        p + ".ln_2", p + ".mlp.c_fc", p + ".mlp.c_proj");
  }

  /** timm's {@code vision_transformer.Block}. */
  public static BlockKeys timm(String p) {
    return new BlockKeys(p + ".norm1", p + ".attn.qkv.weight", p + ".attn.qkv.bias", p + ".attn.proj", p + ".norm2",
        p + ".mlp.fc1", p + ".mlp.fc2");
  }
}
