package io.remoteclip.fs;

import java.io.CharConversionException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Input files read by path, checked first so that a mistake gets a message naming the file: the JDK says
 * "Is a directory" or "Input length = 1" and names nothing, and a FIFO blocks the reader forever.
 */
public final class InputFiles {
  private InputFiles() {}

  /**
   * Returns {@code file} when it is a regular file (after links); a missing one is a {@link NoSuchFileException},
   * a directory, FIFO, socket or device a {@link FileNotFoundException} saying which.
   */
  public static Path requireRegular(Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      return file;
    }
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    if (Files.isDirectory(file)) {
      throw new FileNotFoundException(file + ": is a directory, not a file");
    }
    String kind = Files.isSymbolicLink(file) && !Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? "a broken link"
        : "not a regular file (a FIFO, socket or device)";
    throw new FileNotFoundException(file + ": " + kind + "; give a file");
  }

  /**
   * The lines of a UTF-8 text file (as {@link Files#readAllLines}); a file that is not UTF-8 is a
   * {@link CharConversionException} naming the file and the line of the first bad byte.
   */
  public static List<String> readLines(Path file) throws IOException {
    return readText(file).lines().toList();
  }

  /** The content of a UTF-8 text file, checked as {@link #readLines} does. */
  public static String readText(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(requireRegular(file));
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      throw notUtf8(file, bytes, in.position());
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  private static CharConversionException notUtf8(Path file, byte[] bytes, int at) {
    int line = 1;
    for (int i = 0; i < at; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return new CharConversionException(file + ":" + line + ": not UTF-8 text");
  }
}
