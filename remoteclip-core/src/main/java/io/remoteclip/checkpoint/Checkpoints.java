package io.remoteclip.checkpoint;

import io.remoteclip.ProgressListener;
import io.remoteclip.UnsupportedFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Entry point for checkpoint files: picks the reader by the file's first bytes (never by its extension) and
 * the writer by the target's extension.
 *
 * <ul>
 *   <li>{@code PK\x03\x04}: a zip, read as a {@code torch.save} checkpoint ({@link PtCheckpointReader});
 *   <li>{@code 0x80 0x02}: a bare pickle, the legacy torch &lt; 1.6 format (refused with advice);
 *   <li>a JSON object after 8 bytes: safetensors ({@link SafetensorsReader});
 *   <li>anything else is refused, naming the formats accepted.
 * </ul>
 */
public final class Checkpoints {
  static final String ACCEPTED = "accepted: PyTorch torch.save zip checkpoints (.pt/.pth/.bin, torch >= 1.6) "
      + "and .safetensors";

  private Checkpoints() {}

  /** The state dict in {@code file}, keys normalised ({@link KeyNormalizer}). */
  public static StateDict read(Path file) throws IOException {
    return read(file, ProgressListener.NONE);
  }

  public static StateDict read(Path file, ProgressListener progress) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(9);
    }
    if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
      return PtCheckpointReader.read(file, progress);
    }
    if (head.length >= 2 && (head[0] & 0xff) == 0x80) {
      return PtCheckpointReader.read(file, progress); // explains the legacy format, or fails as a zip
    }
    if (head.length == 9 && head[8] == '{') {
      return SafetensorsReader.read(file, progress);
    }
    throw new UnsupportedFormatException(file + ": unknown checkpoint format (first bytes "
        + HexFormat.ofDelimiter(" ").formatHex(head) + "); " + ACCEPTED);
  }

  /** Writes {@code .safetensors} when the name ends so, otherwise a torch-loadable {@code .pt} zip. */
  public static void write(Path file, StateDict stateDict) throws IOException {
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
      SafetensorsWriter.write(file, stateDict);
    } else {
      PtCheckpointWriter.write(file, stateDict);
    }
  }
}
