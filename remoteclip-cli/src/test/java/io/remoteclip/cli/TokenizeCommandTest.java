package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.npy.Npy;
import io.remoteclip.npy.NpyArray;
import io.remoteclip.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokenizeCommandTest {
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
  void tokenizesGoldenCasesExactly() throws Exception {
    Path golden = Fixtures.require("golden/tokenizer");
    JsonNode cases = new ObjectMapper().readTree(golden.resolve("cases.json").toFile());
    List<String> texts = new ArrayList<>();
    List<Long> expected = new ArrayList<>();
    for (JsonNode c : cases) {
      String text = c.get("text").asText();
      if (text.contains("\n") || text.contains("\r")) {
        continue; // one text per line: texts with line breaks cannot be given this way
      }
      texts.add(text);
      c.get("tokens").forEach(t -> expected.add(t.asLong()));
    }
    Path input = dir.resolve("texts.txt");
    Files.writeString(input, String.join("\n", texts) + "\n", StandardCharsets.UTF_8);
    Path npy = dir.resolve("tokens.npy");
    assertEquals(0, run("tokenize", "--vocab", golden.resolve("bpe_simple_vocab_16e6.txt.gz").toString(),
        "--texts", input.toString(), "--out", npy.toString()), err.toString());
    NpyArray a = Npy.read(npy);
    assertEquals("<i8", a.dtype());
    assertArrayEquals(new int[] {texts.size(), 77}, a.shape());
    assertArrayEquals(expected.stream().mapToLong(Long::longValue).toArray(), a.longs());
    assertTrue(texts.size() > 330, "only " + texts.size() + " single-line cases");
    assertTrue(out.toString().contains("int64 [" + texts.size() + ", 77]"), out.toString());
  }

  @Test
  void emptyLinesAreKeptAndTheFinalNewlineAddsNoRow() throws Exception {
    Path golden = Fixtures.require("golden/tokenizer");
    JsonNode cases = new ObjectMapper().readTree(golden.resolve("cases.json").toFile());
    JsonNode first = cases.get(0);
    JsonNode second = cases.get(1);
    Path input = dir.resolve("t.txt");
    Files.writeString(input, "\uFEFF" + first.get("text").asText() + "\r\n\n" + second.get("text").asText() + "\n");
    Path npy = dir.resolve("t.npy");
    assertEquals(0, run("tokenize", "--vocab", golden.resolve("bpe_simple_vocab_16e6.txt.gz").toString(),
        "--texts", input.toString(), "--out", npy.toString(), "--context-length", "5"), err.toString());
    NpyArray a = Npy.read(npy);
    assertArrayEquals(new int[] {3, 5}, a.shape());
    long[] v = a.longs();
    // Rows cut to 5 end with <end_of_text>; the empty line is just start and end.
    for (int i = 0; i < 4; i++) {
      assertEquals(first.get("tokens").get(i).asLong(), v[i]);
      assertEquals(second.get("tokens").get(i).asLong(), v[10 + i]);
    }
    assertEquals(49407, v[4]);
    assertEquals(49407, v[14]);
    assertArrayEquals(new long[] {49406, 49407, 0, 0, 0}, java.util.Arrays.copyOfRange(v, 5, 10));
    assertTrue(out.toString().contains("2 text(s) longer than 5 tokens were cut"), out.toString());
  }

  @Test
  void missingVocabularyExits66AndWritesNothing() throws Exception {
    Path input = dir.resolve("t.txt");
    Files.writeString(input, "x\n");
    Path npy = dir.resolve("t.npy");
    assertEquals(66, run("tokenize", "--vocab", dir.resolve("none.txt.gz").toString(), "--texts", input.toString(),
        "--out", npy.toString()));
    assertTrue(err.toString().startsWith("remoteclip: " + dir.resolve("none.txt.gz")), err.toString());
    assertFalse(Files.exists(npy));
  }

  @Test
  void invalidUtf8IsADataErrorNamingTheLine() throws Exception {
    Path vocab = Fixtures.require("golden/tokenizer/bpe_simple_vocab_16e6.txt.gz");
    Path input = dir.resolve("bad.txt");
    Files.write(input, new byte[] {'o', 'k', '\n', (byte) 0xC3, '(', '\n'});
    assertEquals(65, run("tokenize", "--vocab", vocab.toString(), "--texts", input.toString(),
        "--out", dir.resolve("t.npy").toString()));
    assertEquals("remoteclip: " + input + ":2: not UTF-8 text", err.toString().trim());
  }

  @Test
  void moreTokensThanOneArrayHoldsIsRefusedBeforeTokenizing() throws Exception {
    Path vocab = io.remoteclip.testing.BundledModel.dir().resolve("vocab.txt.gz");
    Path input = dir.resolve("many.txt");
    Files.writeString(input, "a\n".repeat(270_000)); // 270,000 × 8192 tokens wrap a Java int
    Path npy = dir.resolve("many.npy");
    assertEquals(65, run("tokenize", "--vocab", vocab.toString(), "--texts", input.toString(), "--out", npy.toString(),
        "--context-length", "8192"));
    assertTrue(err.toString().trim().startsWith("remoteclip: " + input + ": 270000 texts × 8192 tokens do not fit one array"),
        err.toString());
    assertFalse(Files.exists(npy));
  }

  /** texts.json of siglip-tiny without its one multi-line text, and the matching rows of {@code npy}. */
  private List<String> siglipTexts(Path golden, List<Integer> rows) throws Exception {
    JsonNode texts = new ObjectMapper().readTree(golden.resolve("texts.json").toFile());
    List<String> out = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String t = texts.get(i).asText();
      if (!t.contains("\n") && !t.contains("\r")) {
        out.add(t);
        rows.add(i);
      }
    }
    return out;
  }

  private static long[] pick(NpyArray a, List<Integer> rows) {
    int width = a.shape()[1];
    long[] all = a.longs();
    long[] out = new long[rows.size() * width];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(all, rows.get(r) * width, out, r * width, width);
    }
    return out;
  }

  @Test
  void sentencePieceFileGivesOpenClipsSiglipTokensAndTheHfDirectoryTransformers() throws Exception {
    Path golden = Fixtures.require("golden/siglip-tiny");
    List<Integer> rows = new ArrayList<>();
    List<String> texts = siglipTexts(golden, rows);
    Path input = dir.resolve("texts.txt");
    Files.writeString(input, String.join("\n", texts) + "\n", StandardCharsets.UTF_8);

    Path oc = dir.resolve("oc.npy");
    assertEquals(0, run("tokenize", "--vocab", golden.resolve("spiece.model").toString(), "--texts", input.toString(),
        "--out", oc.toString()), err.toString());
    assertArrayEquals(new int[] {texts.size(), 64}, Npy.read(oc).shape());
    assertArrayEquals(pick(Npy.read(golden.resolve("tokens.npy")), rows), Npy.read(oc).longs());
    assertTrue(out.toString().contains("1 text(s) longer than 64 tokens were cut"), out.toString());

    Path hf = dir.resolve("hf.npy");
    assertEquals(0, run("tokenize", "--vocab", golden.resolve("hf").toString(), "--texts", input.toString(),
        "--out", hf.toString()), err.toString());
    assertArrayEquals(pick(Npy.read(golden.resolve("tokens_hf.npy")), rows), Npy.read(hf).longs());

    Path forced = dir.resolve("forced.npy");
    assertEquals(0, run("tokenize", "--vocab", golden.resolve("spiece.model").toString(), "--pipeline", "transformers",
        "--texts", input.toString(), "--out", forced.toString()), err.toString());
    assertArrayEquals(Npy.read(hf).longs(), Npy.read(forced).longs());
  }

  @Test
  void aFileThatIsNotSentencePieceIsOneLineNamingIt() throws Exception {
    Path bogus = dir.resolve("spiece.model");
    Files.write(bogus, new byte[] {(byte) 0xFF, 0x13, 0x00, 0x42, 0x17, 0x08});
    Path input = dir.resolve("t.txt");
    Files.writeString(input, "a satellite photo\n");
    Path npy = dir.resolve("t.npy");
    assertEquals(65, run("tokenize", "--vocab", bogus.toString(), "--texts", input.toString(), "--out", npy.toString()));
    String[] lines = err.toString().strip().split("\n");
    assertEquals(1, lines.length, err.toString());
    assertTrue(lines[0].startsWith("remoteclip: " + bogus + ": not "), lines[0]);
    assertFalse(Files.exists(npy));
  }
}
