package io.remoteclip.tokenizer;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Writes small SentencePiece model files for tests (the ModelProto fields the reader uses). */
public final class SpieceWriter {
  private final List<Object[]> pieces = new ArrayList<>();
  private int modelType = 1;
  private boolean byteFallback;
  private boolean addDummyPrefix = true;

  public SpieceWriter piece(String piece, float score, int type) {
    pieces.add(new Object[] {piece, score, type});
    return this;
  }

  public SpieceWriter normal(String piece, float score) {
    return piece(piece, score, 1);
  }

  /** {@code <pad>}, {@code </s>}, {@code <unk>} as T5 and SigLIP number them. */
  public SpieceWriter specials() {
    return piece("<pad>", 0, 3).piece("</s>", 0, 3).piece("<unk>", 0, 2);
  }

  public SpieceWriter bytePieces() {
    byteFallback = true;
    for (int b = 0; b < 256; b++) {
      piece(String.format("<0x%02X>", b), 0, 6);
    }
    return this;
  }

  SpieceWriter modelType(int type) {
    modelType = type;
    return this;
  }

  SpieceWriter byteFallback(boolean on) {
    byteFallback = on;
    return this;
  }

  SpieceWriter addDummyPrefix(boolean on) {
    addDummyPrefix = on;
    return this;
  }

  public byte[] bytes() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream model = CodedOutputStream.newInstance(out);
    for (Object[] p : pieces) {
      ByteArrayOutputStream pb = new ByteArrayOutputStream();
      CodedOutputStream c = CodedOutputStream.newInstance(pb);
      c.writeString(1, (String) p[0]);
      c.writeFloat(2, (Float) p[1]);
      c.writeEnum(3, (Integer) p[2]);
      c.flush();
      model.writeByteArray(1, pb.toByteArray());
    }
    ByteArrayOutputStream tb = new ByteArrayOutputStream();
    CodedOutputStream t = CodedOutputStream.newInstance(tb);
    t.writeEnum(3, modelType);
    t.writeBool(35, byteFallback);
    t.writeInt32(40, 2);
    t.writeInt32(42, 1);
    t.writeInt32(43, 0);
    t.flush();
    model.writeByteArray(2, tb.toByteArray());
    ByteArrayOutputStream nb = new ByteArrayOutputStream();
    CodedOutputStream n = CodedOutputStream.newInstance(nb);
    n.writeString(1, "identity");
    n.writeBool(3, addDummyPrefix);
    n.flush();
    model.writeByteArray(3, nb.toByteArray());
    model.flush();
    return out.toByteArray();
  }
}
