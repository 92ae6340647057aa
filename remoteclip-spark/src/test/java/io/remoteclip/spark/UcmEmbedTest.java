package io.remoteclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance run on real data: the 2,100 UCM images (listed in a CSV, with a corrupt file and a missing
 * one added) embedded on local[2] with remoteclip-mini equal {@code remoteclip embed} row by row.
 */
class UcmEmbedTest {
  @TempDir Path tmp;

  @Test
  void ucmEqualsTheCliRowByRowAndRerunsAddNothing() throws Exception {
    Path ucm = Fixtures.require("data/ucm-captions/images");
    SparkSession spark = SparkTests.session();
    Path broken = tmp.resolve("broken.tif");
    Files.write(broken, new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 99, 99});
    List<String> lines = new ArrayList<>(List.of("file,split"));
    try (Stream<Path> s = Files.list(ucm)) {
      s.sorted().forEach(p -> lines.add(p.toAbsolutePath() + ",all"));
    }
    lines.add(broken + ",all");
    lines.add(tmp.resolve("missing.jpg") + ",all");
    Path csv = tmp.resolve("ucm.csv");
    Files.write(csv, lines);
    String table = tmp.resolve("ucm.parquet").toString();
    EmbedJob.Request request = new EmbedJob.Request(new ImageSource.Listed(csv.toString(), "csv", "file"), table,
        table + ".errors", true, 4, SparkTests.mini(), null);

    EmbedJob.Summary s = EmbedJob.run(spark, request);
    System.out.println("ucm: " + s);
    assertEquals(2100, s.embedded(), s.toString());
    assertEquals(2, s.errors(), s.toString());

    Map<String, float[]> cli = CliReference.embed(ucm, tmp.resolve("cli.npy"));
    assertEquals(2100, cli.size());
    List<Row> rows = spark.read().parquet(table).collectAsList();
    assertEquals(2100, rows.size());
    for (Row r : rows) {
      String path = CliReference.localPath(r.getAs(Tables.PATH)).toString();
      CliReference.assertClose(cli.get(path), SparkArrays.floats(r, Tables.EMBEDDING), path, 1e-6);
    }
    List<String> reasons = spark.read().parquet(table + ".errors").orderBy(Tables.PATH).select(Tables.REASON).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(2, reasons.size(), reasons.toString());
    assertTrue(reasons.stream().anyMatch(m -> m.contains("broken.tif")), reasons.toString());
    assertTrue(reasons.stream().anyMatch(m -> m.contains("missing.jpg") && m.contains("no such file")), reasons.toString());

    EmbedJob.Summary again = EmbedJob.run(spark, request);
    assertEquals(0, again.embedded(), again.toString());
    assertEquals(2100, spark.read().parquet(table).count(), "a rerun adds 0 rows");
  }
}
