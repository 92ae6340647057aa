package io.remoteclip.data.build;

import io.remoteclip.data.annotation.AnnotatedImage;
import io.remoteclip.data.annotation.LabeledObject;
import io.remoteclip.data.tile.Tile;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * What becomes one output image: a whole annotated image or one tile of it, with its objects in its own
 * pixel frame.
 *
 * @param tile the tile rectangle in the scene, or null for the whole image
 * @param objects objects inside (clipped to the tile)
 * @param cut objects partly visible but below the inside-fraction threshold (tiles only)
 * @param pixels decoded pixels for tiles; null for whole images (the file is copied as it is)
 */
public record ImageUnit(
    String source, AnnotatedImage image, Tile tile, int width, int height, List<LabeledObject> objects,
    List<LabeledObject> cut, BufferedImage pixels) {

  /** Output path below {@code images/}: {@code <source>/<name>} or {@code <source>/<stem>__x___y.<fmt>}. */
  public String outputName(String tileFormat) {
    String name = image.location().fileName();
    if (tile == null) {
      return source + "/" + name;
    }
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    return source + "/" + stem + tile.suffix() + "." + tileFormat;
  }

  public long countedObjects() {
    return objects.stream().filter(LabeledObject::counted).count();
  }
}
