package io.remoteclip.data.annotation;

import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads one annotation format into the common model. Faults confined to one object, line or file are
 * recorded as {@link AnnotationIssue}s and the reader goes on; only an unusable input as a whole (missing
 * path, a single-file format that cannot be parsed) throws.
 */
public interface AnnotationReader {

  /**
   * @param annotations a file or a directory of annotation files, as the format keeps them
   * @param images where the images the annotations name are: a directory or a remote prefix
   * @param classes label → name/role table ({@link ClassTable#open()} accepts every label)
   */
  Annotations read(Path annotations, ImageRoot images, ClassTable classes) throws IOException, DataFormatException;

  /** {@link #read(Path, ImageRoot, ClassTable)} with the images in a local directory. */
  default Annotations read(Path annotations, Path images, ClassTable classes) throws IOException, DataFormatException {
    return read(annotations, ImageRoot.of(images), classes);
  }
}
