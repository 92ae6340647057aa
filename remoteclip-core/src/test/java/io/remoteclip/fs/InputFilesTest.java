package io.remoteclip.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.remoteclip.image.ImageDecoder;
import java.io.CharConversionException;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {
  @TempDir Path tmp;

  @Test
  void onlyRegularFilesAreRead() throws Exception {
    assertThrows(NoSuchFileException.class, () -> InputFiles.requireRegular(tmp.resolve("missing.csv")));
    Path dir = Files.createDirectories(tmp.resolve("labels.csv"));
    assertEquals(dir + ": is a directory, not a file",
        assertThrows(FileNotFoundException.class, () -> InputFiles.readLines(dir)).getMessage());
    Path fifo = tmp.resolve("pipe.png");
    Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo here");
    FileNotFoundException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThrows(FileNotFoundException.class, () -> ImageDecoder.decode(fifo)));
    assertEquals(fifo + ": not a regular file (a FIFO, socket or device); give a file", e.getMessage());
  }

  @Test
  void textIsUtf8WithTheLineOfTheFirstBadByte() throws Exception {
    Path ok = Files.writeString(tmp.resolve("ok.txt"), "for\u00eat\r\n\nairport\n");
    assertEquals(List.of("for\u00eat", "", "airport"), InputFiles.readLines(ok));
    Path latin1 = Files.write(tmp.resolve("latin1.txt"), new byte[] {'a', '\n', 'b', '\n', 'c', 'a', 'f', (byte) 0xe9});
    assertEquals(latin1 + ":3: not UTF-8 text",
        assertThrows(CharConversionException.class, () -> InputFiles.readLines(latin1)).getMessage());
  }
}
