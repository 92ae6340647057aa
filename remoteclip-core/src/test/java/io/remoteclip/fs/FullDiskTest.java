package io.remoteclip.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.remoteclip.image.BufferedImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes that fail as on a full disk: one message naming the output, nothing left behind. */
class FullDiskTest {
  @TempDir Path tmp;

  /** A stream on a full disk: the OS's error names no file. */
  private static class Full extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      throw new IOException("No space left on device");
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      write(0);
    }
  }

  @Test
  void anAtomicWriteNamesItsTargetAndLeavesNoTemporaryFile() throws Exception {
    Path target = tmp.resolve("out/quicklook.png");
    FileSystemException e = assertThrows(FileSystemException.class,
        () -> AtomicFiles.write(target, out -> new Full().write(1)));
    assertEquals(target.toAbsolutePath() + ": no space left on device", e.getMessage());
    try (Stream<Path> left = Files.list(target.getParent())) {
      assertEquals(0, left.count(), "no temporary file left");
    }
  }

  @Test
  void aDirectoryWhereTheOutputFileShouldBeIsNamedBeforeAnythingIsWritten() throws Exception {
    Path target = Files.createDirectories(tmp.resolve("out.npy"));
    boolean[] wrote = {false};
    FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(target, out -> wrote[0] = true));
    assertEquals(target + ": is a directory, not a file", e.getMessage());
    assertFalse(wrote[0], "refused before the content is made");
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(1, left.count(), "no temporary file left beside it");
    }
  }

  @Test
  void imageWritesBufferInMemoryNotInACacheFileOnTheFullDisk() throws Exception {
    Path cache = Files.createDirectories(tmp.resolve("imageio-cache"));
    java.io.File before = ImageIO.getCacheDirectory();
    boolean used = ImageIO.getUseCache();
    ImageIO.setCacheDirectory(cache.toFile());
    ImageIO.setUseCache(true);
    try {
      BufferedImage img = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
      long[] cacheFiles = {-1};
      OutputStream full = new Full() {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          try (Stream<Path> files = Files.list(cache)) {
            cacheFiles[0] = files.count();
          }
          super.write(b, off, len);
        }
      };
      IOException e = assertThrows(IOException.class, () -> BufferedImages.write(img, "png", full));
      assertEquals("no space left on device", FileErrors.reason(e));
      // ImageIO's file cache is what a failed write closes twice (a NullPointerException at exit)
      assertEquals(0, cacheFiles[0], "no ImageIO cache file while writing");
    } finally {
      ImageIO.setCacheDirectory(before);
      ImageIO.setUseCache(used);
    }
  }

  @Test
  void errorsOfAStagedFileNameTheFinalFileAndOthersStayAsTheyAre() {
    Path staging = tmp.resolve(".scan-1-2");
    Path out = tmp.resolve("out");
    IOException full = FileErrors.relocated(staging, out,
        new FileSystemException(staging.resolve("heatmap.tif").toString(), null, "No space left on device"));
    assertEquals(out.resolve("heatmap.tif") + ": no space left on device", full.getMessage());
    assertEquals(out + ": no space left on device", FileErrors.relocated(staging, out, new IOException("No space left on device"))
        .getMessage());
    NoSuchFileException input = new NoSuchFileException(tmp.resolve("scene.tif").toString());
    assertSame(input, FileErrors.relocated(staging, out, input), "an input's error already names its file");
    assertFalse(FileErrors.relocated(staging, out, new java.io.CharConversionException("bad")) instanceof FileSystemException);
  }
}
