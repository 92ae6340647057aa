package io.remoteclip.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in headless Chromium (Debian's {@code chromium}; {@code .ci/run} installs it): a query in the
 * URL is typed into the box and run, the result grid appears with thumbnails, scores and paths. The
 * screenshot is kept as {@code target/ui-screenshot.png}.
 */
class SearchPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Pattern HIT = Pattern.compile(
      "<figure class=\"hit\" data-id=\"([0-9a-f]{16})\"[^>]*><img src=\"/api/thumb/\\1\"[^>]*>"
          + "<figcaption><div class=\"score\">(-?[0-9.]+)</div><div class=\"path\">([^<]+)</div>");

  @TempDir static Path tmp;
  private static ServedIndex served;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "skipped: " + CHROMIUM + " not installed (apt-get install chromium)");
    served = ServedIndex.start(tmp);
  }

  @AfterAll
  static void stop() throws Exception {
    if (served != null) {
      served.close();
    }
  }

  private static String chromium(String url, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-profile"),
        "--virtual-time-budget=15000", "--window-size=1280,1000"));
    cmd.addAll(List.of(extra));
    cmd.add(url);
    Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("chromium-" + System.nanoTime() + ".log").toFile()).start();
    byte[] out;
    try {
      out = p.getInputStream().readAllBytes();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        throw new IOException("chromium did not finish in 90 s");
      }
    } finally {
      p.destroyForcibly();
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void queryInTheUrlShowsTheResultGrid() throws Exception {
    String url = served.url("/?q=" + URLEncoder.encode("airplanes at an airport", StandardCharsets.UTF_8) + "&k=12");
    String dom = chromium(url, "--dump-dom");
    assertTrue(dom.contains("value=\"airplanes at an airport\"") || dom.contains("12 results for"), "query typed in: " + dom);
    assertTrue(dom.contains("12 results for \u201cairplanes at an airport\u201d"), dom);
    Matcher m = HIT.matcher(dom);
    Set<String> ids = new HashSet<>();
    double previous = Double.POSITIVE_INFINITY;
    while (m.find()) {
      ids.add(m.group(1));
      double score = Double.parseDouble(m.group(2));
      assertTrue(score <= previous + 1e-9, "scores best first");
      previous = score;
      assertTrue(Files.isRegularFile(served.root.resolve(m.group(3))) && !Path.of(m.group(3)).isAbsolute(),
          "paths relative to the indexed root, never the server's: " + m.group(3));
    }
    assertEquals(12, ids.size(), "12 result cards with thumbnail, score and path: " + dom);

    Path shot = Path.of("target", "ui-screenshot.png");
    Files.createDirectories(shot.getParent());
    Files.deleteIfExists(shot);
    chromium(url, "--screenshot=" + shot.toAbsolutePath(), "--hide-scrollbars");
    BufferedImage png = ImageIO.read(shot.toFile());
    assertEquals(1280, png.getWidth());
    // Thumbnails are photos: the screenshot must hold many distinct colours, not an empty page.
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < png.getHeight(); y += 3) {
      for (int x = 0; x < png.getWidth(); x += 3) {
        colours.add(png.getRGB(x, y));
      }
    }
    assertTrue(colours.size() > 2000, "screenshot shows images: " + colours.size() + " colours");
  }

  @Test
  void errorsAreShownOnThePage() throws Exception {
    String dom = chromium(served.url("/?q=" + "x".repeat(300)), "--dump-dom");
    assertTrue(dom.contains("class=\"error\"") && dom.contains("query too long"), dom);
  }
}
