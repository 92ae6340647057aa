package io.remoteclip.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.CorruptCheckpointException;
import io.remoteclip.Json;
import io.remoteclip.ProgressListener;
import io.remoteclip.UnsupportedFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face sharded checkpoint: {@code model.safetensors.index.json} (or {@code pytorch_model.bin.index.json})
 *
 * <pre>
 * {"metadata": {"total_size": N}, "weight_map": {"tensor name": "model-00001-of-00002.safetensors", ...}}
 * </pre>
 *
 * next to the shard files it names. Every shard is read as a checkpoint of its own (tensors stay in their files)
 * and each tensor is taken from the shard the index names. A shard file that is missing, or that lacks a tensor
 * the index places in it, is refused, naming the file.
 */
final class ShardedCheckpoint {
  static final String WEIGHT_MAP = "weight_map";

  private ShardedCheckpoint() {}

  static StateDict read(Path index, ProgressListener progress) throws IOException {
    Map<String, List<String>> byShard = shards(index);
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : byShard.entrySet()) {
      Path shard = index.resolveSibling(e.getKey());
      if (!Files.isRegularFile(shard)) {
        throw new NoSuchFileException(shard.toString(), null, "shard listed in " + index.getFileName());
      }
      StateDict part = Checkpoints.readSingle(shard, progress);
      for (String key : e.getValue()) {
        TensorData t = part.asMap().get(key);
        if (t == null) {
          throw new CorruptCheckpointException(shard + ": no tensor '" + key + "', which " + index.getFileName()
              + " places in this shard");
        }
        tensors.put(key, t);
      }
    }
    List<String> notes = new ArrayList<>();
    notes.add("sharded: " + byShard.size() + " shard" + (byShard.size() == 1 ? "" : "s") + " listed in " + index.getFileName());
    return new StateDict(tensors, index, notes);
  }

  static List<Path> shardFiles(Path index) throws IOException {
    List<Path> out = new ArrayList<>();
    for (String shard : shards(index).keySet()) {
      out.add(index.resolveSibling(shard));
    }
    return out;
  }

  /** Tensor names per shard file, shards in the order the index first names them. */
  private static Map<String, List<String>> shards(Path index) throws IOException {
    JsonNode root;
    try {
      root = Json.mapper().readTree(index.toFile());
    } catch (JsonProcessingException e) {
      throw new CorruptCheckpointException(index + ": not valid JSON (" + e.getOriginalMessage() + ")");
    }
    JsonNode map = root == null ? null : root.get(WEIGHT_MAP);
    if (map == null || !map.isObject() || map.isEmpty()) {
      throw new UnsupportedFormatException(index + ": JSON without a non-empty \"" + WEIGHT_MAP
          + "\" object: not a sharded checkpoint index");
    }
    Map<String, List<String>> byShard = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String shard = f.getValue().asText("");
      if (!f.getValue().isTextual() || shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.equals("..")) {
        throw new CorruptCheckpointException(index + ": tensor '" + f.getKey() + "' is mapped to " + f.getValue()
            + ", not a file name in the index's folder");
      }
      byShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(f.getKey());
    }
    return byShard;
  }
}
