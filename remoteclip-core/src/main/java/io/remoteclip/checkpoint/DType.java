package io.remoteclip.checkpoint;

/** Element types found in checkpoints, with their PyTorch storage and safetensors names. */
public enum DType {
  FLOAT32(4, "FloatStorage", "F32"),
  FLOAT16(2, "HalfStorage", "F16"),
  BFLOAT16(2, "BFloat16Storage", "BF16"),
  FLOAT64(8, "DoubleStorage", "F64"),
  INT64(8, "LongStorage", "I64"),
  INT32(4, "IntStorage", "I32"),
  INT16(2, "ShortStorage", "I16"),
  INT8(1, "CharStorage", "I8"),
  UINT8(1, "ByteStorage", "U8"),
  BOOL(1, "BoolStorage", "BOOL");

  private final int size;
  private final String torchStorage;
  private final String safetensorsName;

  DType(int size, String torchStorage, String safetensorsName) {
    this.size = size;
    this.torchStorage = torchStorage;
    this.safetensorsName = safetensorsName;
  }

  /** Bytes per element. */
  public int size() {
    return size;
  }

  /** Class name in {@code torch} of the legacy typed storage, e.g. {@code FloatStorage}. */
  public String torchStorage() {
    return torchStorage;
  }

  /** dtype string in a safetensors header, e.g. {@code F32}. */
  public String safetensorsName() {
    return safetensorsName;
  }

  public boolean isFloatingPoint() {
    return this == FLOAT32 || this == FLOAT16 || this == BFLOAT16 || this == FLOAT64;
  }

  public static DType fromTorchStorage(String name) {
    for (DType t : values()) {
      if (t.torchStorage.equals(name)) {
        return t;
      }
    }
    return null;
  }

  public static DType fromSafetensors(String name) {
    for (DType t : values()) {
      if (t.safetensorsName.equals(name)) {
        return t;
      }
    }
    return null;
  }
}
