package io.remoteclip.checkpoint;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A state dict of float32 tensors that have shapes but no elements (reading one fails): enough for architecture
 * inference and validation of full-size models (SO400M: 3.5 GB of weights) without allocating them.
 */
public final class ShapeOnlyTensors {
  private ShapeOnlyTensors() {}

  public static StateDict of(Map<String, long[]> shapes, String name) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    shapes.forEach((k, s) -> out.put(k, TensorData.stored(DType.FLOAT32, s, new NoBytes())));
    return new StateDict(out, Path.of(name));
  }

  private record NoBytes() implements TensorData.StoredBytes {
    @Override
    public void readInto(ByteBuffer dst) {
      throw new UnsupportedOperationException("a shape-only tensor has no elements");
    }

    @Override
    public TensorData.StoredBytes slice(long offset, long length) {
      return this;
    }
  }
}
