package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.index.TinyModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code index} and {@code search} end to end on UCM images with the golden tiny model. */
class IndexSearchCommandsTest {
  @TempDir static Path tmp;
  private static Path images;
  private static Path index;
  private static String[] model;
  private String out;
  private String err;

  @BeforeAll
  static void buildIndex() throws Exception {
    model = new String[] {"--model", TinyModel.weights().toString(), "--vocab", TinyModel.vocab().toString()};
    images = tmp.resolve("ucm");
    TinyModel.copyUcm(images, TinyModel.ranges(10, 1, 101, 901, 1701));
    index = tmp.resolve("idx");
  }

  private int run(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    CommandLine cmd = Main.newCommandLine();
    cmd.setOut(new PrintWriter(o));
    cmd.setErr(new PrintWriter(e));
    int code = cmd.execute(args);
    out = o.toString();
    err = e.toString();
    return code;
  }

  /** {@code command --model M --vocab V rest...}. */
  private static String[] concat(String[] modelArgs, String command, String... rest) {
    List<String> l = new ArrayList<>(List.of(command));
    l.addAll(List.of(modelArgs));
    l.addAll(List.of(rest));
    return l.toArray(new String[0]);
  }

  private void ensureIndexed() throws Exception {
    if (!Files.isDirectory(index)) {
      assertEquals(0, run(concat(model, "index", images.toString(), "--index", index.toString(),
          "--labels", TinyModel.labels(tmp).toString(), "--commit-every", "16")), err);
      assertTrue(out.contains("40 added") && out.contains("40 documents"), out);
    }
  }

  @Test
  void topKBeyondTheIndexIsCappedAtItsDocuments() throws Exception {
    ensureIndexed();
    for (String mode : List.of("--ef", "--exact")) {
      List<String> args = new ArrayList<>(List.of("search", "--index", index.toString(), "a baseball field", "-k",
          "2000000000", "--json", mode));
      if (mode.equals("--ef")) {
        args.add("2000000000");
      }
      assertEquals(0, run(args.toArray(String[]::new)), err);
      assertEquals(40, new ObjectMapper().readTree(out).get("results").size(), out);
    }
    assertEquals(0, run("search", "--index", index.toString(), "--recall-check", "-k", "2000000000", "--queries", "3"), err);
    assertTrue(out.contains("recall@40 "), out);
  }

  @Test
  void indexThenSearchAsJsonTextAndImage() throws Exception {
    ensureIndexed();
    // Re-run without --model: the index's own model is used; nothing to do.
    assertEquals(0, run("index", images.toString(), "--index", index.toString()), err);
    assertTrue(out.contains("40 unchanged") && out.contains("0 added"), out);

    assertEquals(0, run("search", "--index", index.toString(), "a baseball field", "-k", "5", "--json"), err);
    JsonNode hnsw = new ObjectMapper().readTree(out);
    JsonNode results = hnsw.get("results");
    assertEquals(5, results.size());
    for (int i = 0; i < results.size(); i++) {
      assertTrue(Files.exists(Path.of(results.get(i).get("path").asText())));
      if (i > 0) {
        assertTrue(results.get(i - 1).get("score").asDouble() >= results.get(i).get("score").asDouble());
      }
    }
    assertEquals(0, run("search", "--index", index.toString(), "a baseball field", "-k", "5", "--json", "--exact"), err);
    JsonNode exact = new ObjectMapper().readTree(out).get("results");
    for (int i = 0; i < 5; i++) {
      assertEquals(exact.get(i).get("path").asText(), results.get(i).get("path").asText(), "HNSW = exact on 40 images");
      assertEquals(exact.get(i).get("score").asDouble(), results.get(i).get("score").asDouble(), 1e-5);
    }

    assertEquals(0, run("search", "--index", index.toString(), "--image", images.resolve("905.jpg").toString(), "-k", "3"), err);
    Matcher self = Pattern.compile("(?m)^\\s+\\d\\s+(1\\.0000|0\\.9999)\\s+\\S+/905\\.jpg\\s+\\[golfcourse\\]$").matcher(out);
    assertTrue(self.find(), "the image itself at cosine 1, with its label: " + out);

    assertEquals(0, run("search", "--index", index.toString(), "golf", "-k", "20", "--filter", "label=golfcourse", "--json"), err);
    JsonNode golf = new ObjectMapper().readTree(out).get("results");
    assertEquals(10, golf.size());
    golf.forEach(r -> assertEquals("golfcourse", r.get("labels").get(0).asText()));

    assertEquals(0, run("search", "--index", index.toString(), "golf", "-k", "3", "--zero-shot", "golf course,airport", "--json"), err);
    for (JsonNode r : new ObjectMapper().readTree(out).get("results")) {
      JsonNode z = r.get("zero_shot");
      assertEquals(2, z.size(), r.toString());
      assertEquals(1.0, z.get(0).get("probability").asDouble() + z.get(1).get("probability").asDouble(), 1e-5);
      assertTrue(z.get(0).get("probability").asDouble() >= z.get(1).get("probability").asDouble(), "most probable first");
    }
    assertEquals(0, run("search", "--index", index.toString(), "golf", "-k", "2", "--zero-shot", "golf course,airport"), err);
    assertTrue(Pattern.compile("(?m)^\\s+1\\s+\\S+\\s+\\S+\\.jpg.*  ~ (golf course|airport) [01]\\.\\d\\d$").matcher(out).find(), out);
  }

  @Test
  void recallCheckPrintsRecall() throws Exception {
    ensureIndexed();
    assertEquals(0, run("search", "--index", index.toString(), "--recall-check", "-k", "10", "--queries", "40"), err);
    Matcher m = Pattern.compile("recall@10 (\\d\\.\\d{4}) \\(min [\\d.]+\\) over 40 queries").matcher(out);
    assertTrue(m.find(), out);
    assertTrue(Double.parseDouble(m.group(1)) >= 0.99, out);
  }

  @Test
  void userMistakesAreOneLineErrors() throws Exception {
    ensureIndexed();
    assertEquals(2, run("search", "--index", index.toString(), "  "));
    assertTrue(err.contains("the query is empty"), err);
    assertEquals(2, run("search", "--index", index.toString()));
    assertTrue(err.contains("give a text QUERY or --image FILE"), err);
    assertEquals(2, run("search", "--index", index.toString(), "x", "--filter", "colour=red"));
    assertTrue(err.contains("expected label=VALUE"), err);
    assertEquals(2, run("search", "--index", index.toString(), "x", "--zero-shot", "one"));
    assertTrue(err.contains("at least two distinct labels"), err);
    assertEquals(66, run("search", "--index", tmp.resolve("missing").toString(), "x"));
    assertTrue(err.startsWith("remoteclip: ") && err.contains("no index there"), err);
    Path notIndex = Files.createDirectories(tmp.resolve("empty-dir"));
    assertEquals(65, run("search", "--index", notIndex.toString(), "x"));
    assertTrue(err.contains("not an image index"), err);
    assertEquals(65, run(concat(model, "index", images.toString(), "--index", index.toString(), "--activation", "gelu")));
    assertTrue(err.contains("cannot be mixed") && !err.contains("\tat "), err);
    assertEquals(65, run(concat(model, "search", "--index", index.toString(), "x", "--activation", "gelu")));
    assertTrue(err.contains("query with the index's own model"), err);
    Path badCsv = tmp.resolve("bad.csv");
    Files.writeString(badCsv, "name,colour\na.jpg,red\n");
    assertEquals(65, run(concat(model, "index", images.toString(), "--index", tmp.resolve("idx2").toString(), "--labels", badCsv.toString())));
    assertTrue(err.contains("bad.csv:1:") || err.contains("bad.csv"), err);
  }

  @Test
  void anEmptyOrWrongFolderNeverEmptiesTheIndex() throws Exception {
    ensureIndexed();
    Path unmounted = Files.createDirectories(tmp.resolve("mnt-not-mounted"));
    assertEquals(65, run("index", unmounted.toString(), "--index", index.toString()));
    assertTrue(err.startsWith("remoteclip: " + unmounted) && err.contains("no image files") && err.lines().count() == 1, err);
    Path few = tmp.resolve("few");
    TinyModel.copyUcm(few, 1, 2);
    assertEquals(65, run("index", few.toString(), "--index", index.toString()));
    assertTrue(err.contains("would remove 38 of its 40 documents") && err.contains("--prune") && err.lines().count() == 1, err);
    assertEquals(0, run("index", images.toString(), "--index", index.toString()), err);
    assertTrue(out.contains("40 unchanged") && out.contains("40 documents"), "refused runs left the index as it was: " + out);
  }
}
