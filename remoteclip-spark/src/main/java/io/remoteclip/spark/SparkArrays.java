package io.remoteclip.spark;

import java.util.List;
import org.apache.spark.sql.Row;

/** Java arrays to and from the values Spark's row encoders take for array columns. */
final class SparkArrays {
  private SparkArrays() {}

  static scala.collection.immutable.Seq<Object> floats(float[] v) {
    return scala.collection.immutable.ArraySeq$.MODULE$.unsafeWrapArray(v);
  }

  static scala.collection.immutable.Seq<Object> doubles(double[] v) {
    return scala.collection.immutable.ArraySeq$.MODULE$.unsafeWrapArray(v);
  }

  static scala.collection.immutable.Seq<Object> strings(String[] v) {
    return scala.collection.immutable.ArraySeq$.MODULE$.unsafeWrapArray(v);
  }

  static float[] floats(Row row, String column) {
    List<Float> list = row.getList(row.fieldIndex(column));
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }
}
