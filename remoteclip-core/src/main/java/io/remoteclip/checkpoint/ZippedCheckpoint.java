package io.remoteclip.checkpoint;

import io.remoteclip.CorruptCheckpointException;
import io.remoteclip.UnsupportedFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A zip archive holding a checkpoint file, as SkyCLIP ships its open_clip training checkpoints: the archive is
 * not itself a {@code torch.save} file (no {@code data.pkl}) but contains one ({@code .pt}, {@code .pth},
 * {@code .bin}, {@code .safetensors}). Its entries may be compressed, so the checkpoint is extracted (CRC-checked)
 * to a temporary file that is deleted when the JVM exits; the model is read from there.
 *
 * <p>With several checkpoints in the archive, open_clip's {@code epoch_latest.pt} is taken, else the highest
 * {@code epoch_N}; otherwise the choice would be a guess and the archive is refused, listing them.
 */
final class ZippedCheckpoint {
  private static final List<String> EXTENSIONS = List.of(".pt", ".pth", ".bin", ".safetensors");
  private static final Pattern EPOCH = Pattern.compile("epoch_(\\d+)\\.[a-z]+");

  private ZippedCheckpoint() {}

  /** True when the archive has a {@code data.pkl} entry: a {@code torch.save} checkpoint itself. */
  static boolean isTorchSave(ZipFile zip) {
    return Collections.list(zip.entries()).stream().map(ZipEntry::getName)
        .anyMatch(n -> n.equals("data.pkl") || n.endsWith("/data.pkl"));
  }

  /** The checkpoint entry of {@code file} (a zip that is not a torch.save file), extracted; its name in {@code entry[0]}. */
  static Path extract(Path file, ZipFile zip, String[] entry) throws IOException {
    ZipEntry chosen = choose(file, zip);
    entry[0] = chosen.getName();
    String base = Path.of(chosen.getName()).getFileName().toString();
    Path tmp = Files.createTempFile("remoteclip-unzipped-", "-" + base);
    tmp.toFile().deleteOnExit();
    CRC32 crc = new CRC32();
    long copied = 0;
    try (InputStream in = zip.getInputStream(chosen); OutputStream out = Files.newOutputStream(tmp)) {
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        crc.update(buf, 0, n);
        copied += n;
      }
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw new CorruptCheckpointException(file + ": entry " + chosen.getName() + " cannot be extracted (" + e.getMessage() + ")", e);
    }
    if ((chosen.getSize() >= 0 && copied != chosen.getSize()) || (chosen.getCrc() != -1 && crc.getValue() != chosen.getCrc())) {
      Files.deleteIfExists(tmp);
      throw new CorruptCheckpointException(file + ": entry " + chosen.getName() + " fails its size or CRC check (damaged archive)");
    }
    return tmp;
  }

  private static ZipEntry choose(Path file, ZipFile zip) throws UnsupportedFormatException {
    List<ZipEntry> candidates = new ArrayList<>();
    for (ZipEntry e : Collections.list(zip.entries())) {
      String lower = e.getName().toLowerCase(Locale.ROOT);
      if (!e.isDirectory() && !lower.startsWith("__macosx/") && EXTENSIONS.stream().anyMatch(lower::endsWith)) {
        candidates.add(e);
      }
    }
    if (candidates.isEmpty()) {
      throw new UnsupportedFormatException(file + ": zip archive holds no checkpoint (" + String.join(", ", EXTENSIONS)
          + ") and is not a torch.save file (no data.pkl)");
    }
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    for (ZipEntry e : candidates) {
      if (Path.of(e.getName()).getFileName().toString().startsWith("epoch_latest.")) {
        return e;
      }
    }
    List<ZipEntry> epochs = candidates.stream().filter(e -> epoch(e) >= 0).sorted(Comparator.comparingLong(ZippedCheckpoint::epoch)).toList();
    if (epochs.size() == candidates.size()) {
      return epochs.get(epochs.size() - 1);
    }
    throw new UnsupportedFormatException(file + ": zip archive holds " + candidates.size() + " checkpoints ("
        + String.join(", ", candidates.stream().map(ZipEntry::getName).limit(5).toList())
        + (candidates.size() > 5 ? ", ..." : "") + "); extract the one to use");
  }

  private static long epoch(ZipEntry e) {
    Matcher m = EPOCH.matcher(Path.of(e.getName()).getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }
}
