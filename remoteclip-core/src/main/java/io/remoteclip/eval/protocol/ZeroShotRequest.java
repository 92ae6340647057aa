package io.remoteclip.eval.protocol;

import io.remoteclip.dataset.ClassNames;
import io.remoteclip.dataset.ClassificationDataset;
import io.remoteclip.eval.Ensemble;
import java.util.List;

/**
 * Zero-shot classification: labelled images against one text vector per class.
 *
 * @param images the images to classify, as embeddings or as a data set to encode
 * @param classes the class texts: per-template class embeddings, or prompts to encode
 * @param ensemble how several templates combine into one class vector
 */
public record ZeroShotRequest(Images images, ClassTexts classes, Ensemble ensemble) implements EvalRequest {
  public sealed interface Images permits Embeddings, Dataset {}

  /** Image embeddings [n, D], their labels and the class names in index order. */
  public record Embeddings(float[][] rows, int[] labels, List<String> classNames) implements Images {
    public Embeddings {
      if (rows.length != labels.length) {
        throw new IllegalArgumentException("rows=" + rows.length + " labels=" + labels.length);
      }
      classNames = List.copyOf(classNames);
    }
  }

  /** Every image of a data set, encoded by the evaluator's encoder. */
  public record Dataset(ClassificationDataset data) implements Images {}

  public sealed interface ClassTexts permits TemplateEmbeddings, Prompts {}

  /** {@code perTemplate.get(t)[c]}: the embedding of class {@code c} written with template {@code t}. */
  public record TemplateEmbeddings(List<float[][]> perTemplate) implements ClassTexts {
    public TemplateEmbeddings {
      if (perTemplate.isEmpty()) {
        throw new IllegalArgumentException("no template embeddings");
      }
      perTemplate = List.copyOf(perTemplate);
    }
  }

  /** Readable class names in index order and templates ({@code {}} stands for the name), to encode. */
  public record Prompts(List<String> readableNames, List<String> templates) implements ClassTexts {
    public Prompts {
      readableNames = List.copyOf(readableNames);
      templates = List.copyOf(templates);
    }
  }

  /** A data set end to end: class identifiers made readable by {@code names}, prompted with {@code templates}. */
  public static ZeroShotRequest of(ClassificationDataset data, ClassNames names, List<String> templates,
      Ensemble ensemble) {
    return new ZeroShotRequest(new Dataset(data), new Prompts(names.readable(data.classes()), templates), ensemble);
  }

  @Override
  public Protocol protocol() {
    return Protocol.ZEROSHOT;
  }

  @Override
  public boolean needsEncoder() {
    return images instanceof Dataset || classes instanceof Prompts;
  }
}
