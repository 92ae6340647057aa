package io.remoteclip.checkpoint;

import io.remoteclip.CorruptCheckpointException;
import io.remoteclip.UnsupportedFormatException;
import io.remoteclip.fs.CacheDirectory;
import io.remoteclip.fs.StagingDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 * once into the cache ({@code unzipped/} below the cache root) and read from there, on this load and the next.
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

  /**
   * The checkpoint entry of {@code file} (a zip that is not a torch.save file), extracted under {@code cache} and
   * kept there; its name in {@code entry[0]}. The copy is keyed by the archive's path, size and modification time
   * and the entry's name, size and CRC, so a second load reads it without extracting again and a changed archive
   * is extracted anew; it is written to a temporary directory renamed into place, so a killed extraction is never
   * taken for a copy. Copies of archives that changed or are gone are removed. When {@code cache} cannot be
   * written, the entry goes to a temporary file deleted when the JVM exits.
   */
  static Path extract(Path file, ZipFile zip, String[] entry, Path cache) throws IOException {
    ZipEntry chosen = choose(file, zip);
    entry[0] = chosen.getName();
    String base = Path.of(chosen.getName()).getFileName().toString();
    String source = file.toAbsolutePath().normalize().toString();
    BasicFileAttributes zipAttrs = Files.readAttributes(file, BasicFileAttributes.class);
    String key = CacheDirectory.key(source) + "-" + CacheDirectory.key(zipAttrs.size() + "/" + zipAttrs.lastModifiedTime().toMillis() + "/"
        + chosen.getName() + "/" + chosen.getSize() + "/" + chosen.getCrc());
    Path dir = cache.resolve(key);
    Path cached = dir.resolve(base);
    if (isComplete(cached, chosen)) {
      return cached;
    }
    Path staging;
    try {
      Files.createDirectories(cache);
      staging = Files.createTempDirectory(cache, key + TMP);
    } catch (IOException e) {
      Path tmp = Files.createTempFile("remoteclip-unzipped-", "-" + base);
      tmp.toFile().deleteOnExit();
      copy(file, zip, chosen, tmp);
      return tmp;
    }
    try {
      copy(file, zip, chosen, staging.resolve(base));
      Files.writeString(staging.resolve(SOURCE), source);
      try {
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (!isComplete(cached, chosen)) { // else another process extracted it first
          throw e;
        }
      }
    } finally {
      deleteTree(staging);
    }
    prune(cache, dir, source);
    return cached;
  }

  private static final String TMP = ".tmp-";
  /** In each kept copy's directory: the archive it came from. */
  private static final String SOURCE = "source.txt";

  private static boolean isComplete(Path cached, ZipEntry chosen) throws IOException {
    return Files.isRegularFile(cached) && (chosen.getSize() < 0 || Files.size(cached) == chosen.getSize());
  }

  /** Removes the copies of {@code source} other than {@code keep}, those of archives that are gone, and stale staging. */
  private static void prune(Path cache, Path keep, String source) throws IOException {
    long hourAgo = System.currentTimeMillis() - 3_600_000L;
    List<Path> dirs;
    try (var s = Files.list(cache)) {
      dirs = s.filter(Files::isDirectory).toList();
    }
    for (Path d : dirs) {
      if (d.equals(keep)) {
        continue;
      }
      boolean remove;
      if (d.getFileName().toString().contains(TMP)) {
        remove = Files.getLastModifiedTime(d).toMillis() < hourAgo; // a killed extraction's
      } else {
        Path from = d.resolve(SOURCE);
        String of = Files.isRegularFile(from) ? Files.readString(from) : null;
        remove = of == null || of.equals(source) || !Files.exists(Path.of(of));
      }
      if (remove) {
        deleteTree(d);
      }
    }
  }

  private static void deleteTree(Path dir) {
    try {
      StagingDirectory.deleteTree(dir);
    } catch (IOException e) {
      // in use elsewhere: the next prune tries again
    }
  }

  /** Copies the entry to {@code target}, checking its size and CRC. */
  private static void copy(Path file, ZipFile zip, ZipEntry chosen, Path target) throws IOException {
    CRC32 crc = new CRC32();
    long copied = 0;
    try (InputStream in = zip.getInputStream(chosen); OutputStream out = Files.newOutputStream(target)) {
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        crc.update(buf, 0, n);
        copied += n;
      }
    } catch (IOException e) {
      Files.deleteIfExists(target);
      throw new CorruptCheckpointException(file + ": entry " + chosen.getName() + " cannot be extracted (" + e.getMessage() + ")", e);
    }
    if ((chosen.getSize() >= 0 && copied != chosen.getSize()) || (chosen.getCrc() != -1 && crc.getValue() != chosen.getCrc())) {
      Files.deleteIfExists(target);
      throw new CorruptCheckpointException(file + ": entry " + chosen.getName() + " fails its size or CRC check (damaged archive)");
    }
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
