package io.remoteclip.testing;

import io.remoteclip.checkpoint.PtCheckpointWriter;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** open_clip training checkpoints and SkyCLIP-style zips of them, written from a plain state dict. */
public final class TrainingCheckpoints {
  private TrainingCheckpoints() {}

  /** {@code plain} under {@code module.} inside open_clip's training wrapper, with AdamW moments for two tensors. */
  public static Path write(StateDict plain, Path file, int epoch) throws Exception {
    Map<String, TensorData> prefixed = new LinkedHashMap<>();
    plain.asMap().forEach((k, v) -> prefixed.put("module." + k, v));
    Map<Object, Object> state = new LinkedHashMap<>();
    int i = 0;
    for (TensorData t : plain.asMap().values()) {
      if (i == 2) {
        break;
      }
      Map<String, Object> moments = new LinkedHashMap<>();
      moments.put("step", TensorData.ofFloats(new float[] {100f}));
      moments.put("exp_avg", t);
      moments.put("exp_avg_sq", t);
      state.put(i++, moments);
    }
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("lr", 5e-5);
    group.put("betas", new Object[] {0.9, 0.98});
    group.put("eps", 1e-6);
    group.put("weight_decay", 0.2);
    group.put("amsgrad", false);
    group.put("foreach", null);
    group.put("params", List.of(0, 1));
    Map<String, Object> optimizer = new LinkedHashMap<>();
    optimizer.put("state", state);
    optimizer.put("param_groups", List.of(group));
    Map<String, Object> wrapper = new LinkedHashMap<>();
    wrapper.put("epoch", epoch);
    wrapper.put("name", "skyclip-like");
    wrapper.put("state_dict", null);
    wrapper.put("optimizer", optimizer);
    PtCheckpointWriter.writeWrapped(file, wrapper, "state_dict", new StateDict(prefixed, file));
    return file;
  }

  /** A deflated zip, as the {@code zip} tool writes, of {@code entries} (name → file). */
  public static void zip(Path zip, Map<String, Path> entries) throws Exception {
    try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, Path> e : new java.util.TreeMap<>(entries).entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        Files.copy(e.getValue(), z);
        z.closeEntry();
      }
    }
  }

}
