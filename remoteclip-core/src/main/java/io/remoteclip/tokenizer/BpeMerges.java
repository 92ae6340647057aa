package io.remoteclip.tokenizer;

import io.remoteclip.DataFormatException;
import io.remoteclip.ModelNotFoundException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads and writes the merge list of a vocabulary file (format: see the package documentation). */
public final class BpeMerges {
  /** Merges CLIP uses from {@code bpe_simple_vocab_16e6}: 49408 ids − 512 byte symbols − 2 special tokens. */
  public static final int CLIP_MERGES = 49152 - 256 - 2;

  private BpeMerges() {}

  /**
   * The first {@code limit} merges of {@code file} (plain text or gzip, detected by its magic bytes), each as
   * {@code {first, second}}. A trailing empty line is allowed; any other line must hold exactly two symbols.
   */
  public static List<String[]> read(Path file, int limit) throws ModelNotFoundException, DataFormatException {
    if (!Files.isRegularFile(file)) {
      throw new ModelNotFoundException(file + ": BPE vocabulary file not found");
    }
    List<String[]> merges = new ArrayList<>();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        BufferedReader reader = new BufferedReader(new InputStreamReader(maybeGunzip(raw),
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)))) {
      String header = reader.readLine();
      if (header == null) {
        throw new DataFormatException(file + ": empty BPE vocabulary file");
      }
      int lineNo = 1;
      String line;
      while (merges.size() < limit && (line = reader.readLine()) != null) {
        lineNo++;
        if (line.isEmpty()) {
          if (reader.readLine() == null) {
            break;
          }
          throw DataFormatException.at(file, lineNo, "empty line in the merge list");
        }
        String[] parts = line.trim().split("\\s+");
        if (parts.length != 2) {
          throw DataFormatException.at(file, lineNo, "expected a merge \"a b\" (two symbols), got: " + abbreviate(line));
        }
        merges.add(parts);
      }
    } catch (NoSuchFileException e) {
      throw new ModelNotFoundException(file + ": BPE vocabulary file not found", e);
    } catch (CharacterCodingException e) {
      throw new DataFormatException(file + ": not a BPE vocabulary (not UTF-8 text)", e);
    } catch (IOException e) {
      throw new DataFormatException(file + ": cannot read BPE vocabulary: " + e.getMessage(), e);
    }
    return merges;
  }

  private static InputStream maybeGunzip(InputStream in) throws IOException {
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return (b0 == 0x1F && b1 == 0x8B) ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
