package io.remoteclip.layout;

/** Whose naming and files a model comes in. */
public enum CheckpointLayout {
  /** open_clip state dicts ({@code .pt}, {@code .safetensors}), training checkpoints, zips of them. */
  OPEN_CLIP("open_clip"),
  /** A transformers model folder: {@code config.json} and {@code model.safetensors} (maybe sharded) or {@code pytorch_model.bin}. */
  TRANSFORMERS("transformers");

  private final String cliName;

  CheckpointLayout(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }
}
