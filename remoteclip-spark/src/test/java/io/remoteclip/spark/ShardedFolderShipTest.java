package io.remoteclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.Json;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transformers folder whose weights are sharded, shipped to the executors as files: the shards its index names
 * and its tokenizer files travel too (only weights, vocabulary and config did), and the rows equal those of the
 * folder read by path.
 */
class ShardedFolderShipTest {
  @TempDir Path tmp;

  @Test
  void shardsAndTokenizerFilesTravelWithTheIndex() throws Exception {
    Path golden = Fixtures.require("golden/siglip-tiny/hf");
    Path folder = tmp.resolve("sharded");
    Files.createDirectories(folder);
    for (String name : List.of("config.json", "spiece.model", "tokenizer_config.json", "special_tokens_map.json")) {
      Files.copy(golden.resolve(name), folder.resolve(name));
    }
    StateDict sd = Checkpoints.read(golden.resolve("model.safetensors"));
    List<String> keys = new ArrayList<>(sd.keys());
    ObjectNode index = Json.mapper().createObjectNode();
    ObjectNode map = index.putObject("weight_map");
    for (int s = 0; s < 2; s++) {
      String name = "model-0000" + (s + 1) + "-of-00002.safetensors";
      Map<String, TensorData> part = new LinkedHashMap<>();
      for (String k : keys.subList(s * keys.size() / 2, (s + 1) * keys.size() / 2)) {
        part.put(k, sd.asMap().get(k));
        map.put(k, name);
      }
      Checkpoints.write(folder.resolve(name), new StateDict(part, folder.resolve(name)));
    }
    Json.mapper().writeValue(folder.resolve("model.safetensors.index.json").toFile(), index);

    Path images = tmp.resolve("images");
    Files.createDirectories(images);
    for (String name : List.of("airplane00.jpg", "beach94.jpg")) {
      Files.copy(Path.of("..", "examples", "images", name), images.resolve(name));
    }
    Map<String, float[]> byPath = null;
    for (String ship : List.of("shared", "files")) {
      String out = tmp.resolve(ship + ".parquet").toString();
      SparkMainTest.Result r = SparkMainTest.spark("embed", images.toString(), "--model", folder.toString(), "--out", out,
          "--ship", ship, "--batch-size", "2");
      assertEquals(0, r.code(), ship + ": " + r.err());
      List<Row> rows = SparkTests.session().read().parquet(out).collectAsList();
      Map<String, float[]> these = EmbedJobTest.byPath(rows);
      if (byPath == null) {
        byPath = these;
      } else {
        assertEquals(byPath.keySet(), these.keySet());
        for (String p : these.keySet()) {
          CliReference.assertClose(byPath.get(p), these.get(p), p, 0);
        }
      }
    }
  }
}
