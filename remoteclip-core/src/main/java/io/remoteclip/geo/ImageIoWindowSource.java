package io.remoteclip.geo;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Windows of a classic TIFF through the JDK's TIFF plugin, which decodes only the tiles or strips a source
 * region touches. Used for JPEG-compressed scenes (the JDK plugin decodes JPEG tiles, converting YCbCr to RGB).
 */
final class ImageIoWindowSource implements Scene.WindowSource {
  private final ImageInputStream in;
  private final ImageReader reader;

  ImageIoWindowSource(SceneSource source) throws IOException {
    this.in = new ChannelImageInputStream(source.open());
    this.reader = jdkTiffReader();
    reader.setInput(in, false, true);
  }

  @Override
  public WindowPixels read(Rectangle window) throws IOException {
    ImageReadParam param = reader.getDefaultReadParam();
    param.setSourceRegion(window);
    BufferedImage img = reader.read(0, param);
    return new WindowPixels(img.getRaster().createTranslatedChild(0, 0), img.getColorModel());
  }

  @Override
  public WindowPixels overview(int step) throws IOException {
    ImageReadParam param = reader.getDefaultReadParam();
    param.setSourceSubsampling(step, step, 0, 0);
    BufferedImage img = reader.read(0, param);
    return new WindowPixels(img.getRaster(), img.getColorModel());
  }

  @Override
  public void close() throws IOException {
    reader.dispose();
    in.close();
  }

  private static ImageReader jdkTiffReader() {
    for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("tiff"); it.hasNext(); ) {
      ImageReader r = it.next();
      if (r.getClass().getName().startsWith("com.sun.imageio.")) {
        return r;
      }
    }
    throw new IllegalStateException("no JDK TIFF reader in this Java runtime");
  }
}
