package io.remoteclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embed job with a SigLIP: the golden siglip-tiny transformers folder, its files shipped to the executors
 * (--ship files), gives the rows {@code remoteclip embed --model DIR --normalize} writes for the same images, and
 * the table's model id names the family.
 */
class SiglipShipTest {
  @TempDir Path tmp;

  @Test
  void shippedTransformersFolderEmbedsAsTheCli() throws Exception {
    Path hf = Fixtures.require("golden/siglip-tiny/hf");
    Path images = tmp.resolve("images");
    SparkTests.writeImages(images, 4, 22);
    for (String name : List.of("airplane00.jpg", "beach94.jpg")) {
      Files.copy(Path.of("..", "examples", "images", name), images.resolve(name));
    }
    String out = tmp.resolve("siglip.parquet").toString();
    SparkMainTest.Result r = SparkMainTest.spark("embed", images.toString(), "--model", hf.toString(), "--out", out,
        "--ship", "files", "--batch-size", "4");
    assertEquals(0, r.code(), r.err());
    List<Row> rows = SparkTests.session().read().parquet(out).collectAsList();
    assertEquals(6, rows.size());
    Map<String, float[]> cli = CliReference.embed(images, tmp.resolve("cli.npy"), "--model", hf.toString());
    for (Row row : rows) {
      String path = CliReference.localPath(row.getAs(Tables.PATH)).toString();
      CliReference.assertClose(cli.get(path), SparkArrays.floats(row, Tables.EMBEDDING), path, 1e-6);
      String id = row.getAs(Tables.MODEL_ID);
      assertTrue(id.endsWith("|family=siglip"), id);
    }
  }
}
