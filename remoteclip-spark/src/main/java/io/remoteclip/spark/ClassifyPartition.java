package io.remoteclip.spark;

import io.remoteclip.FiniteRows;
import io.remoteclip.NonFiniteEmbeddingException;
import io.remoteclip.eval.ZeroShotClassifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Zero-shot top-k for embedding rows: the class vectors (prompt ensemble, computed once on the driver), the logit
 * scale and bias and the model's family (which decides softmax or sigmoid scores) travel with the task; no model is needed on the executors.
 */
final class ClassifyPartition implements MapPartitionsFunction<Row, Row> {
  private final float[][] classVectors;
  private final float scale;
  private final float bias;
  private final io.remoteclip.model.ModelFamily family;
  private final String[] labels;
  private final int topK;
  private final String table;

  /** {@code table}: where the embedding rows come from, named when one is not finite. */
  ClassifyPartition(ZeroShotClassifier classifier, List<String> labels, int topK, String table) {
    this.table = table;
    this.classVectors = classifier.classVectors();
    this.scale = classifier.scale();
    this.bias = classifier.bias();
    this.family = classifier.family();
    this.labels = labels.toArray(new String[0]);
    this.topK = Math.min(topK, labels.size());
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    ZeroShotClassifier classifier = ZeroShotClassifier.of(classVectors, scale, bias, family);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row r = rows.next();
        float[] embedding = SparkArrays.floats(r, Tables.EMBEDDING);
        if (!FiniteRows.isFinite(embedding)) {
          // a NaN row would score every label NaN and sort first: refuse it, as every other reader does
          throw new NonFiniteEmbeddingException(FiniteRows.problem(table, "the embedding row of " + r.getAs(Tables.PATH)));
        }
        float[] probs = classifier.probabilities(embedding);
        Integer[] order = new Integer[probs.length];
        Arrays.setAll(order, i -> i);
        // stable: ties keep label order, as the CLI's classify does
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -probs[i]));
        String[] top = new String[topK];
        float[] scores = new float[topK];
        for (int k = 0; k < topK; k++) {
          top[k] = labels[order[k]];
          scores[k] = probs[order[k]];
        }
        return RowFactory.create(r.getAs(Tables.ID), r.getAs(Tables.PATH), r.getAs(Tables.MODEL_ID),
            SparkArrays.strings(top), SparkArrays.floats(scores));
      }
    };
  }
}
