package io.remoteclip.checkpoint;

import io.remoteclip.CorruptCheckpointException;
import io.remoteclip.ProgressListener;
import io.remoteclip.UnsupportedFormatException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch checkpoint written by {@code torch.save(state_dict, f)} with torch 1.6 or later (also
 * Hugging Face {@code pytorch_model.bin} files, which are the same format).
 *
 * <h2>Layout</h2>
 *
 * A zip archive whose entries are all STORED (uncompressed), under one folder {@code <name>/} whose name is
 * whatever torch chose (the file stem, or {@code archive}); it is found from the {@code data.pkl} entry,
 * never assumed:
 *
 * <pre>
 * &lt;name&gt;/data.pkl        pickle (protocol 2) of the state dict: an OrderedDict (or dict) of
 *                       torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride,
 *                                                       requires_grad, backward_hooks)
 *                       where storage is the persistent id
 *                       ("storage", torch.FloatStorage|HalfStorage|..., "&lt;key&gt;", "cpu", numel)
 * &lt;name&gt;/data/&lt;key&gt;      the storage: numel elements, little-endian, no header
 * &lt;name&gt;/version         "3\n"
 * &lt;name&gt;/byteorder       "little" (torch ≥ 2.1; absent means little-endian)
 * </pre>
 *
 * torch writes local headers with a data descriptor (sizes 0) and pads the local extra field (id
 * {@code FB}) so that data start at 64-byte offsets; sizes come from the central directory. Offsets, sizes and
 * strides are in elements; several tensors may view one storage.
 *
 * <p>Reading checks every storage (size against the pickle, CRC) by streaming it through a small buffer, but
 * keeps none of them: a contiguous view (every tensor {@code torch.save} writes for a state dict) is left in
 * the file as a byte range of its entry and read when the tensor is used ({@link TensorData#readInto}), with
 * the CRC checked again when the range is the whole storage; only other views are gathered onto the heap. So
 * a state dict costs a few KB of heap whatever the model's size.
 *
 * <p>Not read: TorchScript archives ({@code torch.jit.save}: {@code constants.pkl}, {@code code/}), the legacy
 * non-zip format of torch &lt; 1.6, pickles of anything but dicts of tensors (see {@link TorchUnpickler}).
 */
public final class PtCheckpointReader {
  private static final String PICKLE = "data.pkl";
  private static final long MAX_PICKLE_BYTES = 1L << 30;

  private PtCheckpointReader() {}

  public static StateDict read(Path file) throws IOException {
    return read(file, ProgressListener.NONE);
  }

  /** Reads {@code file}, reporting progress in bytes of storage read. */
  public static StateDict read(Path file, ProgressListener progress) throws IOException {
    rejectLegacyPickle(file);
    OpenedFile opened = OpenedFile.of(file);
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw corruptZip(file, e);
    }
    progress.start("reading " + file.getFileName(), Files.size(file));
    try (zip) {
      String prefix = locatePickle(zip, file);
      ZipEntry pickleEntry = zip.getEntry(prefix + PICKLE);
      byte[] pickle = readEntry(zip, pickleEntry, file, MAX_PICKLE_BYTES).array();
      long[] done = {0};
      TorchUnpickler.StorageSource source = (key, dtype, numel) -> {
        StoredEntry entry = checkStorage(zip, prefix, key, dtype, numel, opened);
        done[0] += entry.size();
        progress.update(done[0]);
        return entry;
      };
      Object top = new TorchUnpickler(pickle, file + ": " + pickleEntry.getName(), source).load();
      List<String> notes = new ArrayList<>();
      return new StateDict(KeyNormalizer.normalize(top, file, notes), file, notes);
    } catch (ZipException | EOFException e) {
      throw corruptZip(file, e);
    } finally {
      progress.finish();
    }
  }

  /**
   * Torch &lt; 1.6 wrote a bare pickle stream (protocol 2: {@code 0x80 0x02}) instead of a zip; so does
   * {@code pickle.dump}. Neither is read: say so instead of "corrupt zip".
   */
  private static void rejectLegacyPickle(Path file) throws IOException {
    byte[] head = new byte[2];
    try (InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, 2) == 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
        throw new UnsupportedFormatException(file + ": bare pickle, not a zip archive: a legacy PyTorch checkpoint "
            + "(torch < 1.6) or a pickle.dump; re-save it with a modern torch: torch.save(torch.load(f), 'out.pt')");
      }
    }
  }

  /** The folder holding {@code data.pkl}, with its trailing slash; refuses TorchScript archives. */
  private static String locatePickle(ZipFile zip, Path file) throws IOException {
    List<String> pickles = new ArrayList<>();
    for (ZipEntry e : Collections.list(zip.entries())) {
      String name = e.getName();
      if (name.endsWith("/constants.pkl") || name.equals("constants.pkl") || name.contains("/code/")
          || name.startsWith("code/")) {
        throw new UnsupportedFormatException(file + ": TorchScript archive (torch.jit.save, e.g. OpenAI's original "
            + "CLIP .pt files), not a state dict; load it in Python and save the weights with "
            + "torch.save(model.state_dict(), f), or use the open_clip checkpoint of the same model");
      }
      if (name.equals(PICKLE) || name.endsWith("/" + PICKLE)) {
        pickles.add(name);
      }
    }
    if (pickles.isEmpty()) {
      throw new UnsupportedFormatException(file + ": zip archive without a data.pkl entry: not a torch.save checkpoint");
    }
    pickles.sort((a, b) -> Integer.compare(a.length(), b.length()));
    String pickle = pickles.get(0);
    return pickle.substring(0, pickle.length() - PICKLE.length());
  }

  /** Checks storage {@code key}: present, of the size the pickle gives, passing its CRC check. */
  private static StoredEntry checkStorage(ZipFile zip, String prefix, String key, DType dtype, long numel,
      OpenedFile file) throws IOException {
    String name = prefix + "data/" + key;
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new CorruptCheckpointException(file.path() + ": storage entry " + name + " is missing");
    }
    if (numel < 0 || numel > Long.MAX_VALUE / 8) {
      throw new CorruptCheckpointException(file.path() + ": storage " + key + " has " + numel + " elements");
    }
    long expected = numel * dtype.size();
    if (entry.getSize() != expected) {
      throw new CorruptCheckpointException(file.path() + ": storage entry " + name + " has " + entry.getSize()
          + " bytes vs expected " + expected + " (" + numel + " × " + dtype + ")");
    }
    StoredEntry stored = new StoredEntry(file, name, entry.getSize(), entry.getCrc());
    try (InputStream in = zip.getInputStream(entry)) {
      stored.copy(in, 0, entry.getSize(), null);
    }
    return stored;
  }

  /** The whole entry, CRC-checked, as a little-endian heap buffer backed by an array. */
  private static ByteBuffer readEntry(ZipFile zip, ZipEntry entry, Path file, long maxBytes) throws IOException {
    long size = entry.getSize();
    if (size < 0 || size > maxBytes) {
      throw new UnsupportedFormatException(file + ": entry " + entry.getName() + " of " + size
          + " bytes exceeds the supported " + maxBytes);
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      bytes = in.readNBytes((int) size);
    }
    if (bytes.length != size) {
      throw new CorruptCheckpointException(file + ": entry " + entry.getName() + " has " + bytes.length
          + " bytes vs expected " + size + " (truncated zip archive)");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes);
    if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
      throw new CorruptCheckpointException(file + ": entry " + entry.getName() + " fails its CRC check (damaged file)");
    }
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * A STORED storage entry of the archive, read again from the file when a tensor viewing it is used.
   * {@code crc} is the central directory's (-1 when absent).
   */
  record StoredEntry(OpenedFile file, String name, long size, long crc) implements TorchUnpickler.StoredStorage {
    private static final int CHUNK = 1 << 20;

    @Override
    public TensorData.StoredBytes range(long start, long length) {
      return new EntryRange(this, start, length);
    }

    /**
     * Streams bytes {@code [start, start + length)} of the entry from {@code in} (positioned at its start) into
     * {@code dst} (null: only checked), checking the CRC when that is the whole entry.
     */
    void copy(InputStream in, long start, long length, ByteBuffer dst) throws IOException {
      in.skipNBytes(start);
      boolean whole = start == 0 && length == size;
      CRC32 check = whole && crc != -1 ? new CRC32() : null;
      byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(length, 1))];
      long left = length;
      while (left > 0) {
        int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
        if (n < 0) {
          throw new CorruptCheckpointException(file.path() + ": entry " + name + " ends after " + (length - left)
              + " of " + length + " bytes (truncated zip archive)");
        }
        if (check != null) {
          check.update(chunk, 0, n);
        }
        if (dst != null) {
          dst.put(chunk, 0, n);
        }
        left -= n;
      }
      if (check != null && check.getValue() != crc) {
        throw new CorruptCheckpointException(file.path() + ": entry " + name + " fails its CRC check (damaged file)");
      }
    }
  }

  /** Bytes {@code [start, start + length)} of a storage entry, read from the archive when used. */
  private record EntryRange(StoredEntry entry, long start, long length) implements TensorData.StoredBytes {
    @Override
    public void readInto(ByteBuffer dst) throws IOException {
      OpenedFile file = entry.file();
      file.checkUnchanged();
      try (ZipFile zip = new ZipFile(file.path().toFile())) {
        ZipEntry e = zip.getEntry(entry.name());
        if (e == null || e.getSize() != entry.size() || e.getCrc() != entry.crc()) {
          throw new CorruptCheckpointException(file.path() + ": entry " + entry.name() + " changed since the file was opened");
        }
        try (InputStream in = zip.getInputStream(e)) {
          entry.copy(in, start, length, dst);
        }
      } catch (ZipException | EOFException e) {
        throw corruptZip(file.path(), e);
      }
    }

    @Override
    public TensorData.StoredBytes slice(long offset, long bytes) {
      return new EntryRange(entry, start + offset, bytes);
    }
  }

  private static CorruptCheckpointException corruptZip(Path file, IOException e) {
    return new CorruptCheckpointException(file + ": truncated or corrupt zip archive (" + e.getMessage() + ")", e);
  }
}
