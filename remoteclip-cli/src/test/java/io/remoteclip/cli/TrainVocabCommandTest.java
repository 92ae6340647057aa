package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.testing.Fixtures;
import io.remoteclip.tokenizer.ClipTokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainVocabCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = Main.newCommandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void karpathyJsonGivesTheReferenceMerges() throws Exception {
    Path json = Fixtures.require("data/ucm-captions/dataset_ucm.json");
    Path vocab = dir.resolve("ucm.txt.gz");
    assertEquals(0, run("train-vocab", "--texts", json.toString(), "--merges", "300", "--out", vocab.toString()),
        err.toString());
    List<String> lines;
    try (var in = new GZIPInputStream(Files.newInputStream(vocab))) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    assertEquals(301, lines.size());
    // SHA-256 of the 300 merges joined by '\n', from an independent naive Python trainer (same tie rule).
    byte[] digest = MessageDigest.getInstance("SHA-256")
        .digest(String.join("\n", lines.subList(1, 301)).getBytes(StandardCharsets.UTF_8));
    assertEquals("33d1b5c0f930aa7d7789a2a9447fb77570cdfc6ca99c1c51007b18c7b0e2a951", HexFormat.of().formatHex(digest));
    assertEquals(814, ClipTokenizer.load(vocab).vocabSize());
    assertTrue(out.toString().contains("learned 300 merges from 10500 captions; vocabulary size 814"), out.toString());
  }

  @Test
  void captionsCsvAndPlainTextGiveTheSameVocabulary() throws Exception {
    Path csv = dir.resolve("captions.csv");
    Files.writeString(csv, "filepath\ttitle\nimages/1.jpg\tA harbor with many boats\nimages/2.jpg\tboats in a harbor\n");
    Path txt = dir.resolve("captions.txt");
    Files.writeString(txt, "A harbor with many boats\n\nboats in a harbor\n");
    Path a = dir.resolve("a.txt");
    Path b = dir.resolve("b.txt");
    assertEquals(0, run("train-vocab", "--texts", csv.toString(), "--merges", "50", "--out", a.toString()), err.toString());
    assertEquals(0, run("train-vocab", "--texts", txt.toString(), "--merges", "50", "--out", b.toString()), err.toString());
    List<String> la = Files.readAllLines(a);
    assertEquals(la.subList(1, la.size()), Files.readAllLines(b).subList(1, la.size()));
    // "harbor" and "boats" occur twice; merging stops when no pair occurs twice.
    assertTrue(la.size() > 5 && la.size() < 51, "lines: " + la.size());
    assertTrue(out.toString().contains("stopped early"), out.toString());
    ClipTokenizer tok = ClipTokenizer.load(a);
    assertEquals("boats harbor ", tok.decode(tok.encode("Boats  harbor")));
  }

  @Test
  void tooManyMergesIsAUsageError() {
    assertEquals(2, run("train-vocab", "--texts", "x.txt", "--merges", "60000", "--out", dir.resolve("v").toString()));
    assertTrue(err.toString().contains("--merges': 60000 (allowed: 0 to 48894)"), err.toString());
  }

  @Test
  void csvWithoutTitleColumnIsADataError() throws Exception {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "filepath\tcaption\na.jpg\tx\n");
    assertEquals(65, run("train-vocab", "--texts", csv.toString(), "--merges", "5", "--out", dir.resolve("v").toString()));
    assertTrue(err.toString().startsWith("remoteclip: " + csv + ":1: tab-separated header without a 'title' column"),
        err.toString());
  }
}
