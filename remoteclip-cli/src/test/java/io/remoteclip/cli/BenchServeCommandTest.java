package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageIndexer;
import io.remoteclip.index.LabelSource;
import io.remoteclip.index.TinyModel;
import io.remoteclip.search.SearchService;
import io.remoteclip.server.SearchServer;
import io.remoteclip.server.ServerLimits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bench serve} against a real server on the bundled model: its figures agree with the server's counters. */
class BenchServeCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private static SearchServer server;
  private static SearchService service;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void serve() throws Exception {
    Path images = tmp.resolve("images");
    TinyModel.copyUcm(images, TinyModel.ranges(3, 1, 101, 201));
    try (ClipEncoder enc = TinyModel.open()) {
      new ImageIndexer(enc, new ImageIndexer.Options(100, LabelSource.NONE, TinyModel.weights().toString(), null))
          .update(images, tmp.resolve("index"), ProgressListener.NONE);
    }
    service = new SearchService(ImageIndex.open(tmp.resolve("index")), TinyModel.open());
    server = SearchServer.start(service, ServerLimits.defaults(), "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.stop(1);
    }
  }

  private int run(String... args) {
    CommandLine cmd = Main.newCommandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  private List<JsonNode> rows() throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      rows.add(JSON.readTree(line));
    }
    return rows;
  }

  @Test
  void distinctQueriesAtSeveralClientCountsMissTheCache() throws Exception {
    long before = service.textQueryStats().requests();
    int code = run("bench", "serve", "--url", server.url(), "--clients", "1,3", "--duration", "1", "--warmup", "0", "--json");
    assertEquals(0, code, err.toString());
    List<JsonNode> rows = rows();
    assertEquals(List.of(1, 3), rows.stream().map(r -> r.get("clients").asInt()).toList());
    long sent = 0;
    for (JsonNode r : rows) {
      long queries = r.get("queries").asLong();
      sent += queries;
      assertTrue(queries > 0, r.toString());
      assertEquals(0, r.get("errors").asInt());
      assertEquals(0, r.get("unavailable_503").asInt());
      assertEquals(queries / r.get("seconds").asDouble(), r.get("queries_per_s").asDouble(), 0.01 * r.get("queries_per_s").asDouble());
      assertTrue(r.get("p50_ms").asDouble() <= r.get("p90_ms").asDouble() && r.get("p90_ms").asDouble() <= r.get("p99_ms").asDouble()
          && r.get("p99_ms").asDouble() <= r.get("max_ms").asDouble(), r.toString());
      assertEquals(0.0, r.get("server_cache_hit_rate").asDouble(), "every query was a new text");
      assertTrue(r.get("server_mean_batch").asDouble() >= 1, r.toString());
    }
    assertEquals(sent, service.textQueryStats().requests() - before, "the server counted every query the clients sent");
  }

  @Test
  void repeatedQueriesFromAFileShowAsCacheHits() throws Exception {
    Path queries = Files.writeString(tmp.resolve("two.txt"), "a parking lot full of cars\n\nbaseball diamonds near a school\n");
    int code = run("bench", "serve", "--url", server.url(), "--clients", "2", "--duration", "1", "--warmup", "0",
        "--queries", queries.toString(), "--json");
    assertEquals(0, code, err.toString());
    JsonNode r = rows().get(0);
    assertEquals(2, r.get("distinct_queries").asInt());
    assertTrue(r.get("server_cache_hit_rate").asDouble() > 0.5, r.toString());
  }

  @Test
  void anUnreachableServerIsOneLine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    int code = run("bench", "serve", "--url", "http://127.0.0.1:" + port, "--duration", "1");
    assertEquals(ErrorReporter.IO_ERR, code);
    assertTrue(err.toString().startsWith("remoteclip: cannot reach http://127.0.0.1:" + port + "/api/health"), err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    assertEquals(2, run("bench", "serve", "--url", "ftp://x", "--duration", "1"));
  }
}
