package io.remoteclip.checkpoint;

import io.remoteclip.ModelConfigException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Named tensors in file order, as a PyTorch {@code state_dict}, plus the file they came from (for
 * messages). Keys are already normalised (no {@code state_dict} wrapper, no {@code module.} prefix).
 */
public final class StateDict {
  private final Map<String, TensorData> tensors;
  private final Path source;
  private final List<String> notes;

  public StateDict(Map<String, TensorData> tensors, Path source) {
    this(tensors, source, List.of());
  }

  /** {@code notes}: what reading changed on the way in (wrappers unwrapped, prefixes removed, keys mapped). */
  public StateDict(Map<String, TensorData> tensors, Path source, List<String> notes) {
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    this.source = source;
    this.notes = List.copyOf(notes);
  }

  public Path source() {
    return source;
  }

  /** One line per wrapper unwrapped, prefix removed or renaming done while reading, in order; empty for a plain file. */
  public List<String> notes() {
    return notes;
  }

  public Set<String> keys() {
    return tensors.keySet();
  }

  public Map<String, TensorData> asMap() {
    return tensors;
  }

  public boolean contains(String key) {
    return tensors.containsKey(key);
  }

  public int size() {
    return tensors.size();
  }

  /** The tensor named {@code key}, or a {@link ModelConfigException} naming the file and key. */
  public TensorData get(String key) throws ModelConfigException {
    TensorData t = tensors.get(key);
    if (t == null) {
      throw new ModelConfigException(source + ": missing key '" + key + "' in checkpoint");
    }
    return t;
  }

  /** Like {@link #get} and also checks the shape: "actual vs expected" in the message. */
  public TensorData get(String key, long... expectedShape) throws ModelConfigException {
    TensorData t = get(key);
    if (!Arrays.equals(t.shape(), expectedShape)) {
      throw new ModelConfigException(source + ": tensor '" + key + "' has shape " + Arrays.toString(t.shape())
          + " vs expected " + Arrays.toString(expectedShape));
    }
    return t;
  }

  /** Highest N + 1 over keys {@code prefix + N + "."...}, i.e. the number of numbered sub-modules. */
  public int countNumbered(String prefix) {
    int max = -1;
    for (String k : tensors.keySet()) {
      if (k.startsWith(prefix)) {
        String rest = k.substring(prefix.length());
        int dot = rest.indexOf('.');
        if (dot > 0) {
          try {
            max = Math.max(max, Integer.parseInt(rest.substring(0, dot)));
          } catch (NumberFormatException ignored) {
            // not a numbered child
          }
        }
      }
    }
    return max + 1;
  }

  public long parameterCount() {
    return tensors.entrySet().stream()
        .filter(e -> e.getValue().dtype().isFloatingPoint() && !e.getKey().endsWith("running_mean")
            && !e.getKey().endsWith("running_var"))
        .mapToLong(e -> e.getValue().numel())
        .sum();
  }
}
