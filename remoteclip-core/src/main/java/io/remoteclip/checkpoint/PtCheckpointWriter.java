package io.remoteclip.checkpoint;

import io.remoteclip.fs.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes a state dict as {@code torch.save(state_dict, f)} with torch 1.13 would, so that {@code torch.load}
 * (1.13 and later, including {@code weights_only=True}) and open_clip's {@code load_state_dict(strict=True)}
 * accept it. Layout as in {@link PtCheckpointReader}: {@code <stem>/data.pkl}, {@code <stem>/byteorder},
 * {@code <stem>/data/<i>} (one storage per tensor, in key order, dtype preserved), {@code <stem>/version} =
 * {@code 3}; STORED entries whose data start at 64-byte offsets. The file appears atomically.
 */
public final class PtCheckpointWriter {
  static final String FORMAT_VERSION = "3\n";

  private PtCheckpointWriter() {}

  public static void write(Path file, StateDict stateDict) throws IOException {
    Map<String, Supplier<ByteBuffer>> storages = new LinkedHashMap<>();
    List<TorchPickleWriter.TensorRef> refs = refs(stateDict, storages);
    write(file, TorchPickleWriter.write(refs), storages);
  }

  /**
   * Writes {@code stateDict} inside a dict, as open_clip's training code saves its checkpoints:
   * {@code wrapper} holds the other entries (numbers, strings, booleans, null, lists, maps, {@code Object[]} tuples,
   * and {@link TensorData} such as optimizer moments) and {@code stateDictKey} (usually {@code "state_dict"}) gets
   * the state dict, in {@code wrapper}'s order.
   */
  public static void writeWrapped(Path file, Map<?, ?> wrapper, String stateDictKey, StateDict stateDict)
      throws IOException {
    Map<String, Supplier<ByteBuffer>> storages = new LinkedHashMap<>();
    Map<Object, Object> top = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : wrapper.entrySet()) {
      top.put(e.getKey(), e.getKey().equals(stateDictKey) ? null : withRefs(e.getValue(), storages));
    }
    top.put(stateDictKey, new TorchPickleWriter.StateDictRefs(refs(stateDict, storages)));
    write(file, TorchPickleWriter.writeValue(top), storages);
  }

  private static List<TorchPickleWriter.TensorRef> refs(StateDict stateDict, Map<String, Supplier<ByteBuffer>> storages) {
    List<TorchPickleWriter.TensorRef> refs = new ArrayList<>();
    for (Map.Entry<String, TensorData> e : stateDict.asMap().entrySet()) {
      refs.add(ref(e.getKey(), e.getValue(), storages));
    }
    return refs;
  }

  private static TorchPickleWriter.TensorRef ref(String name, TensorData t, Map<String, Supplier<ByteBuffer>> storages) {
    String key = Integer.toString(storages.size());
    storages.put(key, t::data); // one tensor on the heap at a time, even when the state dict is a file's
    return new TorchPickleWriter.TensorRef(name, t.dtype(), key, t.numel(), 0, t.shape(),
        StridedView.contiguousStrides(t.shape()));
  }

  /** {@code v} with every {@link TensorData} inside replaced by a reference to a new storage. */
  private static Object withRefs(Object v, Map<String, Supplier<ByteBuffer>> storages) {
    if (v instanceof TensorData t) {
      return ref("", t, storages);
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, withRefs(x, storages)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(x -> withRefs(x, storages)).toList();
    }
    return v;
  }

  /**
   * The general form: tensors may view storages at offsets, with strides, and share them. Storage
   * {@code key} holds the little-endian bytes in {@code storages.get(key)}.
   */
  static void writeViews(Path file, List<TorchPickleWriter.TensorRef> tensors, Map<String, ByteBuffer> storages)
      throws IOException {
    Map<String, Supplier<ByteBuffer>> lazy = new LinkedHashMap<>();
    storages.forEach((k, b) -> lazy.put(k, () -> b));
    write(file, tensors, lazy);
  }

  private static void write(Path file, List<TorchPickleWriter.TensorRef> tensors, Map<String, Supplier<ByteBuffer>> storages)
      throws IOException {
    write(file, TorchPickleWriter.write(tensors), storages);
  }

  private static void write(Path file, byte[] pickle, Map<String, Supplier<ByteBuffer>> storages) throws IOException {
    String stem = archiveName(file);
    AtomicFiles.write(file, out -> {
      StoredZipWriter zip = new StoredZipWriter(out);
      zip.add(stem + "/data.pkl", pickle);
      zip.add(stem + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
      for (Map.Entry<String, Supplier<ByteBuffer>> s : storages.entrySet()) {
        zip.add(stem + "/data/" + s.getKey(), s.getValue().get());
      }
      zip.add(stem + "/version", FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII));
      zip.finish();
    });
  }

  /** The archive folder torch uses: the file name without its extension. */
  static String archiveName(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    return stem.isEmpty() ? "archive" : stem;
  }
}
