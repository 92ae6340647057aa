package io.remoteclip.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.hub.Checksums;
import io.remoteclip.remote.RasterLocation;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scene read through a {@link RasterLocation.Stored} channel: the samples of the Path route, and only its
 * windows' bytes.
 */
class StoredLocationTest {
  private static final GeoTiffWriter.Tags UTM = new GeoTiffWriter.Tags(
      new AffineTransform(10, 0, 0, -10, 400_000, 5_000_000), 32632, false);

  @TempDir Path tmp;

  /** Any store as far as {@link Scene} can tell (not a local path), counting the bytes it reads. */
  record CountingSource(Path file, AtomicLong bytesRead) implements RasterLocation.Stored {
    CountingSource(Path file) {
      this(file, new AtomicLong());
    }

    @Override
    public String name() {
      return "test://" + file.getFileName();
    }

    @Override
    public SeekableByteChannel open() throws IOException {
      SeekableByteChannel c = Files.newByteChannel(file);
      return new SeekableByteChannel() {
        @Override
        public int read(ByteBuffer dst) throws IOException {
          int n = c.read(dst);
          bytesRead.addAndGet(Math.max(0, n));
          return n;
        }

        @Override
        public int write(ByteBuffer src) {
          throw new UnsupportedOperationException();
        }

        @Override
        public long position() throws IOException {
          return c.position();
        }

        @Override
        public SeekableByteChannel position(long p) throws IOException {
          c.position(p);
          return this;
        }

        @Override
        public long size() throws IOException {
          return c.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) {
          throw new UnsupportedOperationException();
        }

        @Override
        public boolean isOpen() {
          return c.isOpen();
        }

        @Override
        public void close() throws IOException {
          c.close();
        }
      };
    }
  }

  @Test
  void channelWindowsEqualPathWindowsAndReadOnlyTheirTiles() throws Exception {
    Path f = tmp.resolve("scene.tif");
    GeoTiffWriter.write(f, TestScenes.rgb(1024, 1024), List.of(), UTM, GeoTiffWriter.Options.tiled(64, null));
    CountingSource source = new CountingSource(f);
    Rectangle w = new Rectangle(448, 512, 64, 64); // exactly one tile
    try (Scene byPath = Scene.open(f); Scene byChannel = Scene.open(source)) {
      assertEquals("test://scene.tif", byChannel.name());
      assertEquals(byPath.width(), byChannel.width());
      assertEquals(byPath.georeferencing().orElseThrow().crsName(), byChannel.georeferencing().orElseThrow().crsName());
      long header = source.bytesRead().get();
      WindowPixels a = byPath.read(w);
      WindowPixels b = byChannel.read(w);
      assertArrayEquals(a.raster().getPixels(0, 0, 64, 64, (int[]) null), b.raster().getPixels(0, 0, 64, 64, (int[]) null));
      assertEquals(a.sha256(), b.sha256());
      assertEquals(byPath.readImage(w, null), byChannel.readImage(w, null));
      long window = source.bytesRead().get() - header;
      long size = Files.size(f);
      // one uncompressed 64x64 RGB tile is 12 KiB of a 3 MiB file; SIS reads in buffers of a few KiB more
      assertTrue(window >= 64 * 64 * 3 && window < size / 20, "one window read " + window + " of " + size + " bytes");
      assertTrue(header < size / 20, "opening read " + header + " of " + size + " bytes");
    }
  }

  @Test
  void jpegTilesReadThroughTheChannelToo() throws Exception {
    Path f = tmp.resolve("jpeg.tif");
    GeoTiffWriter.write(f, TestScenes.rgb(300, 200), List.of(), UTM, GeoTiffWriter.Options.tiled(64, "JPEG"));
    Rectangle w = new Rectangle(37, 51, 120, 90);
    try (Scene byPath = Scene.open(f); Scene byChannel = Scene.open(new CountingSource(f))) {
      assertEquals(byPath.readImage(w, null), byChannel.readImage(w, null));
    }
  }

  @Test
  void storedLocationDefaults() throws Exception {
    Path f = Files.write(tmp.resolve("bytes.tif"), new byte[1234]);
    CountingSource s = new CountingSource(f);
    assertEquals("bytes.tif", s.fileName());
    assertEquals(java.net.URI.create("test://bytes.tif"), s.uri());
    assertEquals(new RasterLocation.Stat(1234, 0), s.stat());
    assertEquals("test://bytes.tif", s.source());
    assertTrue(!s.isRemote());
  }

  @Test
  void notATiffNamesTheSource() throws Exception {
    Path f = Files.writeString(tmp.resolve("notes.tif"), "not a raster at all");
    DataFormatException e = assertThrows(DataFormatException.class, () -> Scene.open(new CountingSource(f)));
    assertTrue(e.getMessage().startsWith("test://notes.tif: not a TIFF"), e.getMessage());
  }

  /** The id is GDAL's raw pixel-interleaved crop of the window, hashed: independent of how the file is laid out. */
  @Test
  void windowIdIsTheHashOfGdalsRawCrop() throws Exception {
    Gdal.require();
    Path f = tmp.resolve("ids.tif");
    GeoTiffWriter.write(f, TestScenes.rgb(200, 150), List.of(), UTM, GeoTiffWriter.Options.tiled(64, "Deflate"));
    Path raw = tmp.resolve("crop.bin");
    Gdal.run("gdal_translate", "-q", "-of", "ENVI", "-co", "INTERLEAVE=BIP", "-srcwin", "70", "40", "100", "80",
        f.toString(), raw.toString());
    try (Scene scene = Scene.open(new CountingSource(f))) {
      assertEquals(Checksums.sha256(Files.readAllBytes(raw)), scene.read(new Rectangle(70, 40, 100, 80)).sha256());
    }
  }
}
