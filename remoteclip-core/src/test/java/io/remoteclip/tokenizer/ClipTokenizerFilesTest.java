package io.remoteclip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.ModelNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vocabulary files: plain and gzip, and the errors for missing or garbled ones. */
class ClipTokenizerFilesTest {
  @TempDir Path dir;

  @Test
  void plainTextVocabularyWithoutMergesEncodesBytes() throws Exception {
    Path file = dir.resolve("v.txt");
    Files.writeString(file, "#version: 0.2\nh i</w>\n");
    ClipTokenizer tok = ClipTokenizer.load(file);
    assertEquals(515, tok.vocabSize());
    // 'h' is byte symbol 71 (the printable bytes come first, '!' = 0), "hi</w>" is the one merge (id 512).
    assertEquals(List.of(512, 71, 256 + 71), box(tok.encode("hi hh")));
    assertEquals("hi hh ", tok.decode(tok.encode("hi hh")));
    assertEquals(513, tok.startOfTextId());
  }

  @Test
  void contextLengthIsBoundedBeforeAnyRowIsAllocated() throws Exception {
    Path file = dir.resolve("short.txt");
    Files.writeString(file, "#version: 0.2\nh i</w>\n");
    ClipTokenizer t = ClipTokenizer.load(file);
    assertEquals(ClipTokenizer.MAX_CONTEXT_LENGTH, t.tokenize(List.of("hi"), ClipTokenizer.MAX_CONTEXT_LENGTH)[0].length);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.tokenize(List.of("hi"), 2_000_000_000));
    assertEquals("context length must be 2..8192, got 2000000000", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> t.withContextLength(ClipTokenizer.MAX_CONTEXT_LENGTH + 1));
  }

  @Test
  void missingFileIsModelNotFound() {
    Path file = dir.resolve("nope.txt.gz");
    ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> ClipTokenizer.load(file));
    assertTrue(e.getMessage().contains("nope.txt.gz"), e.getMessage());
  }

  @Test
  void truncatedGzipIsDataFormatError() throws Exception {
    Path file = dir.resolve("bad.txt.gz");
    Files.write(file, new byte[] {0x1F, (byte) 0x8B, 8, 0, 0, 0});
    DataFormatException e = assertThrows(DataFormatException.class, () -> ClipTokenizer.load(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }

  @Test
  void binaryOrMalformedLinesAreDataFormatErrors() throws Exception {
    Path binary = dir.resolve("bin.txt");
    Files.write(binary, new byte[] {'#', '\n', (byte) 0xFF, (byte) 0xFE, ' ', 'a', '\n'});
    assertThrows(DataFormatException.class, () -> ClipTokenizer.load(binary));
    Path threeSymbols = dir.resolve("three.txt");
    Files.writeString(threeSymbols, "#v\na b\na b c\n", StandardCharsets.UTF_8);
    DataFormatException e = assertThrows(DataFormatException.class, () -> ClipTokenizer.load(threeSymbols));
    assertTrue(e.getMessage().contains("three.txt:3:"), e.getMessage());
  }

  private static List<Integer> box(int[] a) {
    return java.util.Arrays.stream(a).boxed().toList();
  }
}
