package io.remoteclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command lines end to end: remoteclip-spark embed/classify, then remoteclip index --from-parquet and search. */
class SparkMainTest {
  @TempDir static Path tmp;
  static Path images;
  static String table;

  record Result(int code, String out, String err) {}

  static Result run(CommandLine cmd, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  static Result spark(String... args) {
    return run(SparkMain.newCommandLine(), args);
  }

  static Result cli(String... args) {
    return run(Main.newCommandLine(), args);
  }

  @BeforeAll
  static void embed() throws Exception {
    SparkTests.session();
    images = tmp.resolve("images");
    SparkTests.writeImages(images, 10, 3);
    Files.copy(images.resolve("img-00.png"), images.resolve("copy-of-00.png"));
    table = tmp.resolve("emb.parquet").toString();
    Result r = spark("embed", images.toString(), "--out", table, "--batch-size", "4");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("11 embedded"), r.out());
    assertTrue(r.out().contains("load(s) in this JVM"), r.out());
  }

  @Test
  void indexFromParquetSearchesLikeIndexingTheFolder() throws Exception {
    String fromTable = tmp.resolve("idx-table").toString();
    String direct = tmp.resolve("idx-direct").toString();
    Result a = cli("index", "--from-parquet", table, "--index", fromTable);
    assertEquals(0, a.code(), a.err());
    assertTrue(a.out().contains("11 added"), a.out());
    Result b = cli("index", images.toString(), "--index", direct);
    assertEquals(0, b.code(), b.err());
    for (String mode : List.of("--ef=100", "--exact")) {
      Result qa = cli("search", "--index", fromTable, "-k", "10", mode, "--json", "a satellite photo of a beach");
      Result qb = cli("search", "--index", direct, "-k", "10", mode, "--json", "a satellite photo of a beach");
      assertEquals(0, qa.code(), qa.err());
      List<String> ra = ranked(new ObjectMapper().readTree(qa.out()).get("results"));
      List<String> rb = ranked(new ObjectMapper().readTree(qb.out()).get("results"));
      assertEquals(10, ra.size());
      assertEquals(rb, ra, mode);
    }
    Result again = cli("index", "--from-parquet", table, "--index", fromTable);
    // the rows the index holds unchanged are skipped: what a killed run's rerun relies on
    assertTrue(again.out().contains("0 added, 0 replaced") && again.out().contains("11 unchanged")
        && again.out().contains("11 documents"), again.out());
  }

  /** The Spark embeddings table into a SolrCloud collection (no re-encoding): same ranking as the embedded index. */
  @Test
  void indexFromParquetIntoSolrCloud() throws Exception {
    try (io.remoteclip.solr.DevCluster cluster = io.remoteclip.solr.DevCluster.start(tmp.resolve("solr"), 1, 0)) {
      String[] target = {"--solr", cluster.url(), "--collection", "emb"};
      Result c = cli(concat(new String[] {"solr", "create-collection", "--shards", "2", "--replicas", "1"}, target));
      assertEquals(0, c.code(), c.err());
      Result a = cli(concat(new String[] {"index", "--from-parquet", table}, target));
      assertEquals(0, a.code(), a.err());
      // eleven rows, ten distinct images (copy-of-00 has the bytes of img-00): ids are content hashes
      assertTrue(a.out().contains("11 inputs: 10 added") && a.out().contains("; 10 documents"), a.out());
      // The embed job as a sink: its committed table goes to a (new) collection, then a rerun adds nothing.
      String[] sinkTarget = {"--solr", cluster.url(), "--collection", "sink"};
      assertEquals(0, cli(concat(new String[] {"solr", "create-collection", "--shards", "1", "--replicas", "1"}, sinkTarget))
          .code());
      for (String expected : List.of("solr sink: 11 inputs: 10 added", "solr sink: 11 inputs: 0 added, 10 already present")) {
        Result sink = spark(concat(new String[] {"embed", images.toString(), "--out", table, "--batch-size", "4"}, sinkTarget));
        assertEquals(0, sink.code(), sink.err());
        assertTrue(sink.out().contains(expected) && sink.out().contains("; 10 documents"), sink.out());
      }
      Result again = cli(concat(new String[] {"index", "--from-parquet", table}, target));
      assertTrue(again.out().contains("0 added, 10 already present"), again.out()); // the twin is one document
      String local = tmp.resolve("idx-for-solr").toString();
      assertEquals(0, cli("index", "--from-parquet", table, "--index", local).code());
      Result qa = cli(concat(new String[] {"search", "-k", "5", "--exact", "--json", "a satellite photo of a forest"}, target));
      Result qb = cli("search", "--index", local, "-k", "6", "--exact", "--json", "a satellite photo of a forest");
      assertEquals(0, qa.code(), qa.err());
      JsonNode ra = new ObjectMapper().readTree(qa.out()).get("results");
      JsonNode rb = new ObjectMapper().readTree(qb.out()).get("results");
      java.util.Set<Double> localScores = new java.util.HashSet<>();
      rb.forEach(h -> localScores.add(Math.round(h.get("score").asDouble() * 1e4) / 1e4));
      for (JsonNode h : ra) {
        assertTrue(localScores.contains(Math.round(h.get("score").asDouble() * 1e4) / 1e4), qa.out() + " vs " + qb.out());
      }
    }
  }

  @Test
  void classifyMatchesTheCliClassify() throws Exception {
    String out = tmp.resolve("labels.parquet").toString();
    String[] labelArgs = {"--labels", "beach,forest,harbor,river,desert", "--template", "a satellite photo of {}.",
        "--template", "an aerial image of {}.", "--top-k", "2"};
    Result r = spark(concat(new String[] {"classify", "--embeddings", table, "--out", out}, labelArgs));
    assertEquals(0, r.code(), r.err());
    Result c = cli(concat(new String[] {"classify", "--json", images.toString()}, labelArgs));
    assertEquals(0, c.code(), c.err());
    Map<String, JsonNode> cliTop = new HashMap<>();
    for (String line : c.out().strip().split("\n")) {
      JsonNode n = new ObjectMapper().readTree(line);
      cliTop.put(Path.of(n.get("image").asText()).toAbsolutePath().normalize().toString(), n.get("predictions"));
    }
    List<Row> rows = SparkTests.session().read().parquet(out).collectAsList();
    assertEquals(11, rows.size());
    for (Row row : rows) {
      String path = CliReference.localPath(row.getAs(Tables.PATH)).toString();
      JsonNode expected = cliTop.get(path);
      List<String> labels = row.getList(row.fieldIndex(Tables.LABELS));
      float[] scores = SparkArrays.floats(row, Tables.SCORES);
      assertEquals(2, labels.size());
      for (int k = 0; k < 2; k++) {
        assertEquals(expected.get(k).get("label").asText(), labels.get(k), path + " rank " + k);
        assertEquals(expected.get(k).get("probability").asDouble(), scores[k], 1e-5, path + " rank " + k);
      }
    }

    String direct = tmp.resolve("labels-direct.parquet").toString();
    Result d = spark(concat(new String[] {"classify", images.toString(), "--out", direct}, labelArgs));
    assertEquals(0, d.code(), d.err());
    assertEquals(11, SparkTests.session().read().parquet(direct).count());
    Result exists = spark(concat(new String[] {"classify", images.toString(), "--out", direct}, labelArgs));
    assertEquals(65, exists.code());
    assertTrue(exists.err().contains("already exists"), exists.err());
  }

  /** Issue 20: a NaN row of a table is refused by its reader, and Spark's classify refuses a repeated label. */
  @Test
  void nonFiniteTableRowsAndRepeatedLabelsAreRefused() throws Exception {
    String poisoned = tmp.resolve("nan.parquet").toString();
    var rows = SparkTests.session().read().parquet(table);
    String first = rows.select(Tables.PATH).orderBy(Tables.PATH).first().getString(0);
    rows.withColumn(Tables.EMBEDDING, org.apache.spark.sql.functions.when(rows.col(Tables.PATH).equalTo(first),
            org.apache.spark.sql.functions.expr("transform(embedding, x -> CAST(CAST('NaN' AS DOUBLE) AS FLOAT))"))
        .otherwise(rows.col(Tables.EMBEDDING))).write().parquet(poisoned);
    assertEquals(1, SparkTests.session().read().parquet(poisoned).where("isnan(embedding[0])").count());
    Path index = tmp.resolve("idx-nan");
    Result r = cli("index", "--from-parquet", poisoned, "--index", index.toString());
    assertEquals(65, r.code(), r.out() + r.err());
    assertTrue(r.err().strip().matches("remoteclip: " + java.util.regex.Pattern.quote(poisoned)
        + ": embedding row \\d+ is not finite \\(NaN or infinity\\)"), r.err());
    assertTrue(Files.notExists(index), "no index left behind");
    Path classified = tmp.resolve("nan-classified.parquet");
    Result nan = spark("classify", "--embeddings", poisoned, "--labels", "beach,forest", "--out", classified.toString());
    assertEquals(65, nan.code(), nan.out() + nan.err());
    assertTrue(nan.err().strip().startsWith("remoteclip-spark: " + poisoned + ": the embedding row of ")
        && nan.err().strip().endsWith(first.substring(first.lastIndexOf('/') + 1) + " is not finite (NaN or infinity)")
        && nan.err().strip().lines().count() == 1, nan.err());
    assertTrue(Files.notExists(classified), "no table of NaN scores");

    Path labels = Files.writeString(tmp.resolve("labels.txt"), "beach\nforest\nbeach\n");
    Path out = tmp.resolve("dup.parquet");
    Result dup = spark("classify", "--embeddings", table, "--labels-file", labels.toString(), "--out", out.toString());
    assertEquals(65, dup.code(), dup.out() + dup.err());
    assertTrue(dup.err().contains(labels + ": label 'beach' is given twice"), dup.err());
    assertTrue(Files.notExists(out));
  }

  @Test
  void modelShippedAsFilesGivesTheSameRows() {
    String shipped = tmp.resolve("shipped.parquet").toString();
    Result r = spark("embed", images.toString(), "--out", shipped, "--ship", "files", "--batch-size", "4");
    assertEquals(0, r.code(), r.err());
    var spark = SparkTests.session();
    Map<String, float[]> a = EmbedJobTest.byPath(spark.read().parquet(table).collectAsList());
    List<Row> rows = spark.read().parquet(shipped).collectAsList();
    assertEquals(a.size(), rows.size());
    for (Row row : rows) {
      String path = CliReference.localPath(row.getAs(Tables.PATH)).toString();
      CliReference.assertClose(a.get(path), SparkArrays.floats(row, Tables.EMBEDDING), path, 0);
    }
    assertEquals(spark.read().parquet(table).first().<String>getAs(Tables.MODEL_ID), rows.get(0).getAs(Tables.MODEL_ID));
  }

  /** The ONNX Runtime engine on the executors: its export shipped as files (or by path), rows equal to DJL's. */
  @Test
  void onnxRuntimeEngineOnTheExecutorsGivesTheDjlRows() {
    var spark = SparkTests.session();
    Map<String, float[]> djl = EmbedJobTest.byPath(spark.read().parquet(table).collectAsList());
    for (String ship : List.of("files", "shared")) {
      String out = tmp.resolve("ort-" + ship + ".parquet").toString();
      Result r = spark("embed", images.toString(), "--out", out, "--ship", ship, "--batch-size", "4", "--engine", "onnxruntime");
      assertEquals(0, r.code(), r.err());
      List<Row> rows = spark.read().parquet(out).collectAsList();
      assertEquals(djl.size(), rows.size());
      for (Row row : rows) {
        String path = CliReference.localPath(row.getAs(Tables.PATH)).toString();
        CliReference.assertClose(djl.get(path), SparkArrays.floats(row, Tables.EMBEDDING), path, 1e-5);
      }
      // fp32 on either engine is the same encoder: the tables can be mixed in one index
      assertEquals(spark.read().parquet(table).first().<String>getAs(Tables.MODEL_ID), rows.get(0).getAs(Tables.MODEL_ID));
    }
    Path export = tmp.resolve("mini-onnx");
    assertEquals(0, cli("export", "--onnx", "--out", export.toString()).code());
    Result refused = spark("embed", images.toString(), "--out", tmp.resolve("z.parquet").toString(), "--engine", "onnxruntime",
        "--model", export.toString());
    assertEquals(2, refused.code(), refused.err());
    assertTrue(refused.err().contains("is an ONNX export"), refused.err());
  }

  @Test
  void badInputIsOneLineAndAnExitCode() {
    Result missing = spark("embed", tmp.resolve("nowhere").toString(), "--out", tmp.resolve("x.parquet").toString());
    assertEquals(65, missing.code(), missing.err());
    List<String> lines = missing.err().strip().lines().filter(l -> !l.contains("built-in demonstration model")).toList();
    assertEquals(1, lines.size(), missing.err());
    assertTrue(lines.get(0).startsWith("remoteclip-spark: ") && lines.get(0).contains("nowhere"), missing.err());
    Result both = spark("embed", images.toString(), "--from-table", "t.csv", "--out", "y");
    assertEquals(2, both.code(), both.err());
    assertTrue(both.err().startsWith("remoteclip-spark: "), both.err());
    Result wait = spark("embed", images.toString(), "--out", tmp.resolve("w.parquet").toString(), "--lock-wait", "-1");
    assertEquals(2, wait.code(), wait.err());
    assertTrue(wait.err().contains("Invalid value for option '--lock-wait': -1 (allowed: 0 to 86400)"), wait.err());
    Result noTable = cli("index", "--from-parquet", tmp.resolve("none.parquet").toString(), "--index", tmp.resolve("i").toString());
    assertEquals(66, noTable.code(), noTable.err());
  }

  /**
   * "score path" per hit, best first; hits of equal score (identical images: img-00 and its copy) sorted by
   * path, since Lucene orders ties by insertion order, which differs between the two indexes.
   */
  static List<String> ranked(JsonNode results) {
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode r : results) {
      out.add(String.format(java.util.Locale.ROOT, "%.5f %s", r.get("score").asDouble(), r.get("path").asText()));
    }
    out.sort(java.util.Comparator.comparing((String x) -> -Double.parseDouble(x.substring(0, x.indexOf(' '))))
        .thenComparing(x -> x));
    return out;
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
