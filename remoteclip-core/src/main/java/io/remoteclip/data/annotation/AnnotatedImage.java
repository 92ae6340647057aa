package io.remoteclip.data.annotation;

import io.remoteclip.remote.RasterLocation;
import java.nio.file.Path;
import java.util.List;

/**
 * An image and its objects, the one internal model every reader produces.
 *
 * @param name image file name relative to the images directory (used for output names)
 * @param location where the pixels are (a local file or a remote object); may not exist (the builder reports it)
 * @param width declared width in pixels, or -1 when the annotation format does not state it
 * @param height declared height, or -1
 * @param annotationFile the file the objects came from (for messages)
 * @param maskFile the semantic mask the objects were derived from (M2B), or null; tiling re-derives the
 *     objects of each tile from it
 */
public record AnnotatedImage(
    String name, RasterLocation location, int width, int height, List<LabeledObject> objects, Path annotationFile,
    Path maskFile) {

  public AnnotatedImage {
    objects = List.copyOf(objects);
  }

  public AnnotatedImage(
      String name, RasterLocation location, int width, int height, List<LabeledObject> objects, Path annotationFile) {
    this(name, location, width, height, objects, annotationFile, null);
  }

  /** The local file of the image, or null when it is remote. */
  public Path imagePath() {
    return location instanceof RasterLocation.Local local ? local.path() : null;
  }

  public boolean hasSize() {
    return width > 0 && height > 0;
  }

  public AnnotatedImage withSize(int w, int h) {
    return new AnnotatedImage(name, location, w, h, objects, annotationFile, maskFile);
  }

  public AnnotatedImage withObjects(List<LabeledObject> newObjects) {
    return new AnnotatedImage(name, location, width, height, newObjects, annotationFile, maskFile);
  }

  public long countedObjects() {
    return objects.stream().filter(LabeledObject::counted).count();
  }
}
