package io.remoteclip.tokenizer;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.remoteclip.DataFormatException;
import io.remoteclip.ModelNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A SentencePiece model file ({@code spiece.model}): the protobuf {@code ModelProto} of Google's sentencepiece
 * library, read field by field with protobuf-java's wire reader (field numbers of {@code
 * sentencepiece_model.proto}; fields this project does not use are skipped). Holds the pieces with their scores
 * and types, the special ids of the trainer spec and the normalizer spec (rule name, precompiled character map,
 * whitespace options).
 *
 * <p>The same checks as sentencepiece's {@code ModelInterface::InitializePieces} refuse a broken file: empty or
 * duplicate pieces, no or two {@code <unk>}, byte pieces without byte fallback or not all 256 of them. Only
 * unigram models are accepted (SigLIP's, T5's); a BPE model is refused by name. Immutable.
 */
public final class SentencePieceModel {
  /** {@code ModelProto.SentencePiece.Type}. */
  public enum PieceType {
    NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

    static PieceType of(int wire) {
      switch (wire) {
        case 1: return NORMAL;
        case 2: return UNKNOWN;
        case 3: return CONTROL;
        case 4: return USER_DEFINED;
        case 5: return UNUSED;
        case 6: return BYTE;
        default: return null;
      }
    }
  }

  private static final String[] MODEL_TYPES = {null, "unigram", "bpe", "word", "char"};

  private final String[] pieces;
  private final float[] scores;
  private final PieceType[] types;
  private final int unkId;
  private final int eosId;
  private final int padId;
  private final boolean byteFallback;
  private final boolean treatWhitespaceAsSuffix;
  private final String normalizerName;
  private final byte[] charsMap;
  private final boolean addDummyPrefix;
  private final boolean removeExtraWhitespaces;
  private final boolean escapeWhitespaces;

  private SentencePieceModel(Builder b) {
    pieces = b.pieces.toArray(new String[0]);
    scores = new float[pieces.length];
    types = b.types.toArray(new PieceType[0]);
    for (int i = 0; i < scores.length; i++) {
      scores[i] = b.scores.get(i);
    }
    unkId = b.unkId;
    eosId = b.eosId;
    padId = b.padId;
    byteFallback = b.byteFallback;
    treatWhitespaceAsSuffix = b.treatWhitespaceAsSuffix;
    normalizerName = b.normalizerName;
    charsMap = b.charsMap;
    addDummyPrefix = b.addDummyPrefix;
    removeExtraWhitespaces = b.removeExtraWhitespaces;
    escapeWhitespaces = b.escapeWhitespaces;
  }

  /**
   * Reads a {@code spiece.model}.
   *
   * @throws ModelNotFoundException if the file does not exist
   * @throws DataFormatException naming the file if it is not a SentencePiece model or not a unigram one
   */
  public static SentencePieceModel read(Path file) throws ModelNotFoundException, DataFormatException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ModelNotFoundException(file + ": SentencePiece model not found", e);
    } catch (IOException e) {
      if (Files.isDirectory(file)) {
        throw new DataFormatException(file + ": is a directory, not a SentencePiece model file", e);
      }
      throw new DataFormatException(file + ": cannot read the SentencePiece model: " + e.getMessage(), e);
    }
    return parse(bytes, file.toString());
  }

  /** Parses the bytes of a model file; {@code source} names it in error messages. */
  public static SentencePieceModel parse(byte[] bytes, String source) throws DataFormatException {
    Builder b = new Builder();
    try {
      b.readModel(CodedInputStream.newInstance(bytes));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      throw new DataFormatException(source + ": not a SentencePiece model (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new DataFormatException(source + ": not a SentencePiece model (" + e.getMessage() + ")", e);
    }
    String problem = b.validate();
    if (problem != null) {
      throw new DataFormatException(source + ": not a usable SentencePiece model: " + problem);
    }
    return new SentencePieceModel(b);
  }

  public int size() {
    return pieces.length;
  }

  public String piece(int id) {
    return pieces[id];
  }

  public float score(int id) {
    return scores[id];
  }

  public PieceType type(int id) {
    return types[id];
  }

  /** Id of {@code piece} (first occurrence), or -1. */
  public int idOf(String piece) {
    for (int i = 0; i < pieces.length; i++) {
      if (pieces[i].equals(piece)) {
        return i;
      }
    }
    return -1;
  }

  public int unkId() {
    return unkId;
  }

  /** The trainer spec's {@code eos_id} (-1: none). */
  public int eosId() {
    return eosId;
  }

  /** The trainer spec's {@code pad_id} (-1: none). */
  public int padId() {
    return padId;
  }

  public boolean byteFallback() {
    return byteFallback;
  }

  boolean treatWhitespaceAsSuffix() {
    return treatWhitespaceAsSuffix;
  }

  /** The normalization rule the model was trained with ({@code nmt_nfkc}, {@code identity}, ...). */
  public String normalizerName() {
    return normalizerName;
  }

  /** The precompiled character map (empty: no normalization table). */
  byte[] charsMap() {
    return charsMap;
  }

  public boolean addDummyPrefix() {
    return addDummyPrefix;
  }

  boolean removeExtraWhitespaces() {
    return removeExtraWhitespaces;
  }

  boolean escapeWhitespaces() {
    return escapeWhitespaces;
  }

  private static final class Builder {
    final List<String> pieces = new ArrayList<>();
    final List<Float> scores = new ArrayList<>();
    final List<PieceType> types = new ArrayList<>();
    int modelType = 1;
    int unkId = 0;
    int eosId = 2;
    int padId = -1;
    boolean byteFallback;
    boolean treatWhitespaceAsSuffix;
    String normalizerName = "";
    byte[] charsMap = new byte[0];
    boolean addDummyPrefix = true;
    boolean removeExtraWhitespaces = true;
    boolean escapeWhitespaces = true;
    boolean sawNormalizer;

    void readModel(CodedInputStream in) throws IOException {
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (tag) {
          case (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED:
            readMessage(in, this::readPiece);
            break;
          case (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED:
            readMessage(in, this::readTrainerSpec);
            break;
          case (3 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED:
            sawNormalizer = true;
            readMessage(in, this::readNormalizerSpec);
            break;
          default:
            skip(in, tag);
        }
      }
    }

    private void readPiece(CodedInputStream in) throws IOException {
      String piece = "";
      float score = 0f;
      int type = 1;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (tag) {
          case (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: piece = in.readStringRequireUtf8(); break;
          case (2 << 3) | WireFormat.WIRETYPE_FIXED32: score = in.readFloat(); break;
          case (3 << 3) | WireFormat.WIRETYPE_VARINT: type = in.readEnum(); break;
          default: skip(in, tag);
        }
      }
      PieceType t = PieceType.of(type);
      if (t == null) {
        throw new IllegalArgumentException("piece " + pieces.size() + " has unknown type " + type);
      }
      pieces.add(piece);
      scores.add(score);
      types.add(t);
    }

    private void readTrainerSpec(CodedInputStream in) throws IOException {
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (tag) {
          case (3 << 3) | WireFormat.WIRETYPE_VARINT: modelType = in.readEnum(); break;
          case (24 << 3) | WireFormat.WIRETYPE_VARINT: treatWhitespaceAsSuffix = in.readBool(); break;
          case (35 << 3) | WireFormat.WIRETYPE_VARINT: byteFallback = in.readBool(); break;
          case (40 << 3) | WireFormat.WIRETYPE_VARINT: unkId = in.readInt32(); break;
          case (42 << 3) | WireFormat.WIRETYPE_VARINT: eosId = in.readInt32(); break;
          case (43 << 3) | WireFormat.WIRETYPE_VARINT: padId = in.readInt32(); break;
          default: skip(in, tag);
        }
      }
    }

    private void readNormalizerSpec(CodedInputStream in) throws IOException {
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (tag) {
          case (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: normalizerName = in.readStringRequireUtf8(); break;
          case (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: charsMap = in.readByteArray(); break;
          case (3 << 3) | WireFormat.WIRETYPE_VARINT: addDummyPrefix = in.readBool(); break;
          case (4 << 3) | WireFormat.WIRETYPE_VARINT: removeExtraWhitespaces = in.readBool(); break;
          case (5 << 3) | WireFormat.WIRETYPE_VARINT: escapeWhitespaces = in.readBool(); break;
          default: skip(in, tag);
        }
      }
    }

    private interface MessageReader {
      void read(CodedInputStream in) throws IOException;
    }

    private static void readMessage(CodedInputStream in, MessageReader reader) throws IOException {
      int limit = in.pushLimit(in.readRawVarint32());
      reader.read(in);
      in.checkLastTagWas(0);
      in.popLimit(limit);
    }

    private static void skip(CodedInputStream in, int tag) throws IOException {
      if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_END_GROUP || !in.skipField(tag)) {
        throw new IllegalArgumentException("malformed field " + WireFormat.getTagFieldNumber(tag));
      }
    }

    /** sentencepiece's InitializePieces checks, plus what this port needs; null when the model is usable. */
    String validate() {
      if (pieces.isEmpty()) {
        return "it has no pieces";
      }
      if (modelType != 1) {
        String name = modelType > 0 && modelType < MODEL_TYPES.length ? MODEL_TYPES[modelType] : "type " + modelType;
        return "it is a " + name + " model; only unigram SentencePiece models (SigLIP, T5) are supported";
      }
      Set<String> seen = new HashSet<>();
      int unk = -1;
      boolean[] bytes = new boolean[256];
      int byteCount = 0;
      for (int i = 0; i < pieces.size(); i++) {
        String p = pieces.get(i);
        if (p.isEmpty()) {
          return "piece " + i + " is empty";
        }
        if (!seen.add(p)) {
          return "piece " + i + " \"" + p + "\" is defined twice";
        }
        PieceType t = types.get(i);
        if (t == PieceType.UNKNOWN) {
          if (unk >= 0) {
            return "two unknown pieces (" + unk + " and " + i + ")";
          }
          unk = i;
        }
        if (t == PieceType.BYTE) {
          if (!byteFallback) {
            return "byte piece " + p + " although byte_fallback is false";
          }
          int b = byteOfPiece(p);
          if (b < 0) {
            return "byte piece " + p + " is invalid";
          }
          if (!bytes[b]) {
            bytes[b] = true;
            byteCount++;
          }
        }
        if (!Float.isFinite(scores.get(i))) {
          return "piece " + i + " has a non-finite score";
        }
      }
      if (unk < 0) {
        return "no unknown piece (<unk>)";
      }
      unkId = unk;
      if (byteFallback && byteCount != 256) {
        return "byte_fallback is true but there are " + byteCount + " byte pieces instead of 256";
      }
      if (eosId >= pieces.size() || padId >= pieces.size()) {
        return "eos_id " + eosId + " or pad_id " + padId + " is outside the " + pieces.size() + " pieces";
      }
      if (!sawNormalizer) {
        normalizerName = "identity";
      }
      try {
        if (charsMap.length > 0) {
          CharsMap.parse(charsMap);
        }
      } catch (IllegalArgumentException e) {
        return "broken precompiled character map: " + e.getMessage();
      }
      return null;
    }
  }

  /** The byte of a piece {@code <0xAB>}, or -1. */
  static int byteOfPiece(String piece) {
    if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') {
      return -1;
    }
    int hi = Character.digit(piece.charAt(3), 16);
    int lo = Character.digit(piece.charAt(4), 16);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
  }
}
