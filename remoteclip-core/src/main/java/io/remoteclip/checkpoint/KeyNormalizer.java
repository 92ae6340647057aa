package io.remoteclip.checkpoint;

import io.remoteclip.UnsupportedFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where checkpoint wrappers are removed, as open_clip's {@code load_state_dict} does: a
 * {@code {"state_dict": ...}} wrapper (or any dict holding exactly one dict of tensors, such as
 * {@code {"epoch": 3, "model": {...}}}) is unwrapped, and a {@code module.} prefix shared by every key
 * (left by {@code DistributedDataParallel}) is stripped.
 */
public final class KeyNormalizer {
  static final String STATE_DICT = "state_dict";
  static final String DDP_PREFIX = "module.";

  private KeyNormalizer() {}

  /**
   * The dict of tensors inside an unpickled top-level object, keys normalised.
   *
   * @throws UnsupportedFormatException when no unambiguous dict of tensors is found
   */
  public static Map<String, TensorData> normalize(Object top, Path file) throws UnsupportedFormatException {
    return normalize(top, file, new ArrayList<>());
  }

  /** As {@link #normalize(Object, Path)}, adding to {@code notes} one line per wrapper or prefix removed. */
  public static Map<String, TensorData> normalize(Object top, Path file, List<String> notes)
      throws UnsupportedFormatException {
    return stripModulePrefix(unwrap(top, file, notes), notes);
  }

  /** Removes {@code module.} from every key when every key has it; otherwise returns the map unchanged. */
  public static Map<String, TensorData> stripModulePrefix(Map<String, TensorData> tensors) {
    return stripModulePrefix(tensors, new ArrayList<>());
  }

  /** As {@link #stripModulePrefix(Map)}, noting the removal in {@code notes}. */
  public static Map<String, TensorData> stripModulePrefix(Map<String, TensorData> tensors, List<String> notes) {
    if (tensors.isEmpty() || !tensors.keySet().stream().allMatch(k -> k.startsWith(DDP_PREFIX))) {
      return tensors;
    }
    Map<String, TensorData> out = new LinkedHashMap<>();
    tensors.forEach((k, v) -> out.put(k.substring(DDP_PREFIX.length()), v));
    notes.add("'" + DDP_PREFIX + "' prefix removed (DistributedDataParallel)");
    return out;
  }

  private static Map<String, TensorData> unwrap(Object top, Path file, List<String> notes)
      throws UnsupportedFormatException {
    Object current = top;
    String path = "top level";
    while (true) {
      if (!(current instanceof Map<?, ?> map)) {
        throw new UnsupportedFormatException(file + ": " + path + " of the pickle is a " + TorchUnpickler.typeName(current)
            + ", not a dict of tensors; save the weights with torch.save(model.state_dict(), f)");
      }
      if (map.isEmpty()) {
        throw new UnsupportedFormatException(file + ": " + path + " of the pickle is an empty dict: no tensors");
      }
      if (isTensorDict(map)) {
        return asTensorMap(map);
      }
      Object next = map.get(STATE_DICT) instanceof Map<?, ?> sd ? sd : onlyTensorDict(map);
      if (next == null) {
        throw new UnsupportedFormatException(file + ": " + path + " of the pickle is a dict with keys "
            + preview(map) + ", not a dict of tensors nor a wrapper holding exactly one");
      }
      String key = map.entrySet().stream().filter(e -> e.getValue() == next).map(e -> String.valueOf(e.getKey()))
          .findFirst().orElse("?");
      notes.add(wrapperNote(map, key));
      path = "entry '" + key + "'";
      current = next;
    }
  }

  /** open_clip's training checkpoints are {@code {"epoch", "name", "state_dict", "optimizer", ...}}. */
  private static String wrapperNote(Map<?, ?> map, String key) {
    Object epoch = map.get("epoch");
    String what = STATE_DICT.equals(key) && map.containsKey("optimizer") ? "training checkpoint" : "wrapper";
    return what + ": weights from entry '" + key + "'" + (epoch instanceof Number n ? " (epoch " + n + ")" : "");
  }

  private static boolean isTensorDict(Map<?, ?> map) {
    return map.entrySet().stream().allMatch(e -> e.getKey() instanceof String && e.getValue() instanceof TensorData);
  }

  private static Map<?, ?> onlyTensorDict(Map<?, ?> map) {
    List<Map<?, ?>> found = new ArrayList<>();
    for (Object v : map.values()) {
      if (v instanceof Map<?, ?> m && !m.isEmpty() && isTensorDict(m)) {
        found.add(m);
      }
    }
    return found.size() == 1 ? found.get(0) : null;
  }

  private static Map<String, TensorData> asTensorMap(Map<?, ?> map) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put((String) k, (TensorData) v));
    return out;
  }

  private static String preview(Map<?, ?> map) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (parts.size() == 8) {
        parts.add("... (" + map.size() + " in all)");
        break;
      }
      parts.add(e.getKey() + "=" + TorchUnpickler.typeName(e.getValue()));
    }
    return "[" + String.join(", ", parts) + "]";
  }
}
