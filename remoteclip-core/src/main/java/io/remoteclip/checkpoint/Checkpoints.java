package io.remoteclip.checkpoint;

import io.remoteclip.ProgressListener;
import io.remoteclip.UnsupportedFormatException;
import io.remoteclip.fs.CacheDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Entry point for checkpoint files: picks the reader by the file's first bytes (never by its extension) and
 * the writer by the target's extension.
 *
 * <ul>
 *   <li>a JSON object after 8 bytes: safetensors ({@link SafetensorsReader}), tested first (see {@link #isSafetensors});
 *   <li>{@code PK\x03\x04}: a zip, read as a {@code torch.save} checkpoint ({@link PtCheckpointReader}), or, when it
 *       has no {@code data.pkl}, as an archive holding one ({@link ZippedCheckpoint}, SkyCLIP's releases);
 *   <li>{@code 0x80 0x02}: a bare pickle, the legacy torch &lt; 1.6 format (refused with advice);
 *   <li>a JSON object from the first byte: a Hugging Face shard index ({@link ShardedCheckpoint});
 *   <li>anything else is refused, naming the formats accepted.
 * </ul>
 */
public final class Checkpoints {
  static final String ACCEPTED = "accepted: PyTorch torch.save zip checkpoints (.pt/.pth/.bin, torch >= 1.6), "
      + ".safetensors, Hugging Face shard indexes (*.index.json) and zip archives holding a checkpoint";

  private Checkpoints() {}

  /** The state dict in {@code file}, keys normalised ({@link KeyNormalizer}). */
  public static StateDict read(Path file) throws IOException {
    return read(file, ProgressListener.NONE);
  }

  public static StateDict read(Path file, ProgressListener progress) throws IOException {
    return read(file, progress, CacheDirectory.fromEnvironment().resolve("unzipped"));
  }

  /**
   * As {@link #read(Path, ProgressListener)}, keeping the checkpoints extracted from zip archives in {@code unzipped}
   * (by default {@code unzipped/} below the cache root, {@link CacheDirectory}).
   */
  public static StateDict read(Path file, ProgressListener progress, Path unzipped) throws IOException {
    byte[] head = head(file);
    if (isSafetensors(head)) {
      return SafetensorsReader.read(file, progress);
    }
    if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
      ZipFile zip;
      try {
        zip = new ZipFile(file.toFile());
      } catch (ZipException e) {
        return PtCheckpointReader.read(file, progress); // says how the archive is damaged
      }
      Path inner;
      String[] entry = new String[1];
      try (zip) {
        if (ZippedCheckpoint.isTorchSave(zip)) {
          return PtCheckpointReader.read(file, progress);
        }
        inner = ZippedCheckpoint.extract(file, zip, entry, unzipped);
      }
      StateDict sd = readSingle(inner, progress);
      List<String> notes = new ArrayList<>();
      notes.add("checkpoint " + entry[0] + " inside the zip archive");
      notes.addAll(sd.notes());
      return new StateDict(sd.asMap(), file, notes);
    }
    if (head.length >= 1 && head[0] == '{') {
      return ShardedCheckpoint.read(file, progress);
    }
    return readSingle(file, head, progress);
  }

  /** One checkpoint file: a torch.save zip or safetensors (the parts of a sharded or zipped checkpoint). */
  static StateDict readSingle(Path file, ProgressListener progress) throws IOException {
    return readSingle(file, head(file), progress);
  }

  private static byte[] head(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(9);
    }
  }

  /**
   * A JSON header after its 8-byte length. Tested before the zip signature: a header of 0x4B50 + 65536·k bytes
   * starts with "PK" too, while a zip's byte 8 is the low byte of its first entry's compression method (0 or 8).
   */
  private static boolean isSafetensors(byte[] head) {
    return head.length == 9 && head[8] == '{';
  }

  private static StateDict readSingle(Path file, byte[] head, ProgressListener progress) throws IOException {
    if (isSafetensors(head)) {
      return SafetensorsReader.read(file, progress);
    }
    if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
      return PtCheckpointReader.read(file, progress);
    }
    if (head.length >= 2 && (head[0] & 0xff) == 0x80) {
      return PtCheckpointReader.read(file, progress); // explains the legacy format, or fails as a zip
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

  /** The shard files a sharded checkpoint's {@code *.index.json} names, in its folder, in the order it names them. */
  public static java.util.List<Path> shardFiles(Path index) throws IOException {
    return ShardedCheckpoint.shardFiles(index);
  }
}
