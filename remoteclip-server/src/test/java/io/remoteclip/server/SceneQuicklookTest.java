package io.remoteclip.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.index.GeoTiffs;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageIndexer;
import io.remoteclip.index.LabelSource;
import io.remoteclip.index.SceneWindowIndexer;
import io.remoteclip.index.TinyModel;
import io.remoteclip.search.SearchService;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windows of a scene served: hits carry WGS84 footprints, {@code /api/quicklook/ID} is a PNG of the hit's scene
 * with the hit's window outlined, {@code /api/thumb/ID} the window itself; ids only.
 */
class SceneQuicklookTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int OUTLINE = 0xff2828;

  @TempDir Path tmp;

  private record Reply(int status, String type, byte[] body) {}

  private static Reply get(HttpClient http, String url) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  @Test
  void quicklookOutlinesTheHitsWindowOnItsScene() throws Exception {
    Path scene = tmp.resolve("scenes/utm.tif");
    java.nio.file.Files.createDirectories(scene.getParent());
    GeoTiffs.write(scene, ByteOrder.LITTLE_ENDIAN, 128, 96, 5, 500_000, 5_200_000, 10, 32632, false);
    Path idx = tmp.resolve("idx");
    try (ClipEncoder enc = TinyModel.open()) {
      new SceneWindowIndexer(enc, new ImageIndexer.Options(100, LabelSource.of(false, null), TinyModel.weights().toString(),
          null), 32, 32).update(List.of(scene), idx, ProgressListener.NONE);
    }
    SearchServer server = SearchServer.start(new SearchService(ImageIndex.open(idx), TinyModel.open()), ServedIndex.LIMITS,
        "127.0.0.1", 0);
    try {
      String base = "http://127.0.0.1:" + server.port();
      HttpClient http = HttpClient.newHttpClient();
      Reply search = get(http, base + "/api/search?q=a%20farm&k=12");
      assertEquals(200, search.status(), new String(search.body(), StandardCharsets.UTF_8));
      JsonNode results = JSON.readTree(search.body()).get("results");
      assertEquals(12, results.size());
      for (JsonNode hit : results) {
        Rectangle w = SceneWindowIndexer.parse(hit.get("path").asText()).orElseThrow().window();
        assertEquals("EPSG:32632", hit.get("crs").asText());
        assertEquals(4, hit.get("lonlat_bounds").size());
        // 9 degrees east (UTM 32N central meridian) at about 47 N
        assertEquals(9.0, hit.get("lonlat_bounds").get(0).asDouble(), 0.1);
        assertEquals(46.9, hit.get("lonlat_bounds").get(1).asDouble(), 0.1);

        Reply look = get(http, base + "/api/quicklook/" + hit.get("id").asText());
        assertEquals(200, look.status());
        assertEquals("image/png", look.type());
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(look.body()));
        // The scene is smaller than the quick-look's limit: one quick-look pixel per scene pixel.
        assertEquals(128, png.getWidth());
        assertEquals(96, png.getHeight());
        int onOutline = 0;
        int inside = 0;
        for (int i = 4; i < w.height - 4; i++) {
          onOutline += (png.getRGB(w.x, w.y + i) & 0xffffff) == OUTLINE ? 1 : 0;
          inside += (png.getRGB(w.x + w.width / 2, w.y + i) & 0xffffff) == OUTLINE ? 1 : 0;
        }
        assertEquals(w.height - 8, onOutline, "left edge of " + w + " outlined");
        assertTrue(inside < 3, "window interior is the scene's pixels");

        Reply thumb = get(http, base + "/api/thumb/" + hit.get("id").asText());
        assertEquals(200, thumb.status());
        assertEquals(32, ImageIO.read(new ByteArrayInputStream(thumb.body())).getWidth());
      }
      assertEquals(404, get(http, base + "/api/quicklook/0123456789abcdef").status());
      assertEquals(400, get(http, base + "/api/quicklook/..%2Fscenes%2Futm.tif").status());
    } finally {
      server.stop(1);
    }
  }
}
