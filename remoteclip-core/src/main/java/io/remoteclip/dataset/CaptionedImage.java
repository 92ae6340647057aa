package io.remoteclip.dataset;

import java.nio.file.Path;
import java.util.List;

/** One image of a caption data set with its split and its raw captions (unchanged from the file). */
public record CaptionedImage(String filename, Path path, String split, List<String> captions) {
  public CaptionedImage {
    captions = List.copyOf(captions);
  }
}
