package io.remoteclip.geo;

import io.remoteclip.DataFormatException;
import io.remoteclip.image.BandSelection;
import io.remoteclip.image.ImageSource;
import java.awt.Rectangle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The windows of a grid over a scene as in-memory images, in grid order, each read only when drawn (so an
 * encoder's look-ahead bounds the memory, and the scene is read by one thread). A window the scene cannot
 * give (a corrupt tile) ends the iteration with {@link ReadFailure}, which carries the one-line reason.
 */
public final class SceneWindows {
  private SceneWindows() {}

  public static Iterator<ImageSource> of(Scene scene, WindowGrid grid, BandSelection bands) {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < grid.count();
      }

      @Override
      public ImageSource next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Rectangle w = grid.window(next++);
        String name = scene.name() + "[" + w.x + "," + w.y + "," + w.width + "x" + w.height + "]";
        try {
          return ImageSource.of(name, scene.readImage(w, bands));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (DataFormatException e) {
          throw new ReadFailure(e);
        }
      }
    };
  }

  /** Carries a window's read failure out of the iterator; {@link #failure()} is the user-facing error. */
  public static final class ReadFailure extends RuntimeException {
    private final DataFormatException failure;

    ReadFailure(DataFormatException failure) {
      super(failure.getMessage(), failure);
      this.failure = failure;
    }

    public DataFormatException failure() {
      return failure;
    }
  }
}
