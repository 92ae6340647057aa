package io.remoteclip.cli;

import io.remoteclip.fs.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes vectors as an embeddings table with the columns of {@code remoteclip-spark embed} that
 * {@link ParquetEmbeddings} reads (one Parquet file, written atomically): path = the row number (the key {@code bench search} gives
 * the row), id = SHA-256 of the vector's bytes, so that {@code index --from-parquet} builds what {@code bench search}
 * measures. Columns are optional, as Spark writes them.
 */
final class VectorTable {
  private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
      message spark_schema {
        optional binary id (STRING);
        optional binary path (STRING);
        optional int32 width;
        optional int32 height;
        optional binary model_id (STRING);
        optional boolean normalized;
        optional group embedding (LIST) { repeated group list { required float element; } }
      }""");

  private VectorTable() {}

  /** Writes {@code rows} (unit vectors) to {@code file} atomically ({@link AtomicFiles}). */
  static void write(Path file, float[][] rows, String modelId) throws IOException {
    AtomicFiles.write(file, out -> {
      SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
      MessageDigest sha = sha256();
      ByteBuffer bytes = ByteBuffer.allocate(rows.length == 0 ? 0 : rows[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
      try (ParquetWriter<Group> w = ExampleParquetWriter.builder(outputFile(out)).withType(SCHEMA).build()) {
        for (int i = 0; i < rows.length; i++) {
          bytes.clear();
          bytes.asFloatBuffer().put(rows[i]);
          Group g = groups.newGroup().append("id", HexFormat.of().formatHex(sha.digest(bytes.array())))
              .append("path", Integer.toString(i)).append("width", 0).append("height", 0).append("model_id", modelId)
              .append("normalized", true);
          Group list = g.addGroup("embedding");
          for (float v : rows[i]) {
            list.addGroup("list").append("element", v);
          }
          w.write(g);
        }
      }
    });
  }

  /** Parquet's output over the stream {@link AtomicFiles} gives (which it closes itself). */
  private static OutputFile outputFile(OutputStream out) {
    PositionOutputStream stream = new PositionOutputStream() {
      private long pos;

      @Override
      public long getPos() {
        return pos;
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        pos++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        pos += len;
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
    return new OutputFile() {
      @Override
      public PositionOutputStream create(long blockSizeHint) {
        return stream;
      }

      @Override
      public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return stream;
      }

      @Override
      public boolean supportsBlockSize() {
        return false;
      }

      @Override
      public long defaultBlockSize() {
        return 0;
      }
    };
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
