package io.remoteclip.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.remoteclip.checkpoint.DType;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipLayout;
import io.remoteclip.model.Weights;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the weights under training back into a state dict with open_clip's keys, order and shapes and the
 * dtypes of the checkpoint training started from, so that {@code load_state_dict(strict=True)} accepts it.
 */
public final class CheckpointExport {
  private CheckpointExport() {}

  public static StateDict toStateDict(Weights weights, ClipConfig config, Map<String, DType> dtypes, Path name) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : ClipLayout.expectedShapes(config).entrySet()) {
      String key = e.getKey();
      NDArray a = weights.get(key);
      long[] shape = e.getValue();
      TensorData t;
      if (a.getDataType() == DataType.INT64) {
        long[] v = Weights.readLongs(a);
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(v);
        t = new TensorData(DType.INT64, shape, b);
      } else {
        t = TensorData.ofFloats(Weights.read(a), shape);
      }
      DType target = dtypes.getOrDefault(key, t.dtype());
      out.put(key, t.convertTo(target));
    }
    return new StateDict(out, name);
  }

  /** Element types of a state dict by key (what the exported checkpoint must keep). */
  public static Map<String, DType> dtypes(StateDict sd) {
    Map<String, DType> out = new LinkedHashMap<>();
    sd.asMap().forEach((k, v) -> out.put(k, v.dtype()));
    return out;
  }
}
