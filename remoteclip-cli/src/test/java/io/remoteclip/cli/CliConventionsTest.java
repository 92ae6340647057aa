package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.Json;
import io.remoteclip.fs.OutputExistsException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Conventions every command shares, on the bundled remoteclip-mini and the repository's example images (no
 * {@code ../shared} needed): {@code -v}, exit codes, the default-model setting and its one stderr line.
 */
class CliConventionsTest {
  private static final String NOTICE = "remoteclip: using the built-in demonstration model remoteclip-mini";
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final Path IMAGES = REPO.resolve("examples/images");
  private static final Path MINI = REPO.resolve("models/remoteclip-mini");
  private static final String[] PROPS = {"remoteclip.cache", "remoteclip.home", "remoteclip.model"};

  @TempDir Path home;
  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  @BeforeEach
  void isolate() {
    System.setProperty("remoteclip.cache", home.toString());
    System.setProperty("remoteclip.home", REPO.toString());
    System.clearProperty("remoteclip.model");
  }

  @AfterEach
  void restore() {
    for (String p : PROPS) {
      System.clearProperty(p);
    }
  }

  private static Run run(String... args) {
    return run(Main.newCommandLine(), args);
  }

  private static Run run(CommandLine cmd, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void everyCommandTakesVerbose() {
    CommandLine root = Main.newCommandLine();
    checkVerbose(root);
    Run r = run("tokenize", "-v", "--help");
    assertEquals(0, r.code, r.err);
    assertTrue(r.out.contains("--verbose"), r.out);
  }

  private static void checkVerbose(CommandLine cmd) {
    var options = cmd.getCommandSpec().optionsMap();
    assertTrue(options.containsKey("-v") && options.containsKey("--verbose"), cmd.getCommandSpec().qualifiedName());
    cmd.getSubcommands().values().forEach(CliConventionsTest::checkVerbose);
  }

  @Test
  void builtInDefaultIsAnnouncedOnStderrOnceAndJsonStaysClean() throws Exception {
    Run r = run("classify", "--json", "--labels", "airplane,beach,forest,harbor,river", IMAGES.toString());
    assertEquals(0, r.code, r.err);
    List<String> notices = r.err.lines().filter(l -> l.startsWith(NOTICE)).toList();
    assertEquals(1, notices.size(), r.err);
    assertTrue(notices.get(0).contains("remoteclip pull RemoteCLIP-ViT-B-32"), notices.get(0));
    assertFalse(r.out.contains("demonstration"), r.out);
    List<String> lines = r.out.strip().lines().toList();
    assertEquals(5, lines.size(), r.out);
    for (String line : lines) {
      JsonNode n = Json.mapper().readTree(line);
      assertTrue(n.has("image") && n.has("predictions"), line);
    }
    // the harbour scene is the built-in model's clearest call (0.97 in the README)
    JsonNode harbor = Json.mapper().readTree(lines.stream().filter(l -> l.contains("harbor94")).findFirst().orElseThrow());
    assertEquals("harbor", harbor.path("predictions").path(0).path("label").asText(), harbor.toString());
  }

  @Test
  void explicitModelAndEnvironmentDefaultSayNothing() {
    Run explicit = run("info", "--model", "remoteclip-mini");
    assertEquals(0, explicit.code, explicit.err);
    assertFalse(explicit.err.contains(NOTICE), explicit.err);
    System.setProperty("remoteclip.model", MINI.toString());
    Run env = run("info");
    assertEquals(0, env.code, env.err);
    assertFalse(env.err.contains(NOTICE), env.err);
    assertTrue(env.out.contains(MINI.resolve("model.safetensors").toString()), env.out);
  }

  @Test
  void setDefaultIsStoredUnderTheHomeAndUsed() throws Exception {
    Run set = run("models", "--set-default", MINI.toString());
    assertEquals(0, set.code, set.err);
    JsonNode settings = Json.mapper().readTree(home.resolve("settings.json").toFile());
    assertEquals(MINI.toString(), settings.get("default_model").asText());
    Run listed = run("models", "--json");
    JsonNode root = Json.mapper().readTree(listed.out);
    assertEquals(MINI.toString(), root.get("default_model").asText());
    assertEquals("stored", root.get("default_model_source").asText());
    Run info = run("info");
    assertEquals(0, info.code, info.err);
    assertFalse(info.err.contains(NOTICE), info.err);
    assertTrue(info.out.contains(MINI.resolve("model.safetensors").toString()), info.out);
    // the environment wins over the stored setting
    System.setProperty("remoteclip.model", "remoteclip-mini");
    assertTrue(run("info").err.contains(NOTICE));
  }

  @Test
  void setDefaultRefusesUnknownNames() {
    Run r = run("models", "--set-default", "no-such-model");
    assertEquals(2, r.code, r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);
    assertTrue(r.err.contains("no-such-model: not a registered model"), r.err);
    assertFalse(Files.exists(home.resolve("settings.json")));
  }

  @Test
  void usageMistakesExit2AndBugsExit1() throws Exception {
    Path texts = Files.writeString(tmp.resolve("t.txt"), "a harbor\n");
    Run batch = run("embed", "--model", "remoteclip-mini", "--texts", texts.toString(), "--out",
        tmp.resolve("t.npy").toString(), "--batch-size", "0");
    assertEquals(2, batch.code, batch.err);
    assertTrue(batch.err.startsWith("remoteclip: Invalid value for option '--batch-size': 0 (allowed: at least 1)"), batch.err);
    Run act = run("info", "--model", "remoteclip-mini", "--activation", "relu");
    assertEquals(2, act.code, act.err);
    assertTrue(act.err.startsWith("remoteclip: --activation relu: "), act.err);
    Run both = run("train", "--model", "remoteclip-mini", "--arch", "ViT-B-32", "--train", texts.toString(),
        "--out", tmp.resolve("run").toString());
    assertEquals(2, both.code, both.err);
    assertTrue(both.err.contains("--model and --arch exclude each other"), both.err);

    CommandLine bug = new CommandLine(new Bug());
    bug.setExecutionExceptionHandler(new ErrorReporter());
    bug.setExitCodeExceptionMapper(ErrorReporter::exitCode);
    Run internal = run(bug);
    assertEquals(1, internal.code, internal.err);
    assertTrue(internal.err.startsWith("remoteclip: internal error (java.lang.IllegalArgumentException): "
        + "index -1 out of range"), internal.err);
    assertTrue(internal.err.contains("\tat "), "a bug shows its stack trace: " + internal.err);
  }

  @Test
  void solrThatRefusesTheConnectionIsAnIoError() throws Exception {
    int freePort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      freePort = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + freePort;
    Run search = run("search", "--solr", url, "--collection", "c", "--solr-connect-timeout", "2", "x");
    assertEquals(74, search.code, search.err);
    assertEquals(1, search.err.strip().lines().count(), search.err);
    assertTrue(search.err.startsWith("remoteclip: SolrCloud at " + url + ": "), search.err);
    Run create = run("solr", "create-collection", "--model", "remoteclip-mini", "--solr", url, "--collection", "c",
        "--solr-connect-timeout", "2");
    assertEquals(74, create.code, create.err);
    assertEquals(1, create.err.strip().lines().count(), create.err);
    assertTrue(create.err.startsWith("remoteclip: SolrCloud at " + url + ": "), create.err);
  }

  @Test
  void unusableSettingIsAConfigurationError() {
    System.setProperty("remoteclip.readTimeout", "soon");
    try {
      Run r = run("models");
      assertEquals(65, r.code, r.err);
      assertEquals("remoteclip: REMOTECLIP_READ_TIMEOUT=soon: expected a positive number", r.err.strip());
    } finally {
      System.clearProperty("remoteclip.readTimeout");
    }
  }

  @CommandLine.Command(name = "bug")
  static final class Bug implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalArgumentException("index -1 out of range");
    }
  }

  @Test
  void libraryMessagesGetTheirFlagHintsHere() {
    assertEquals(" (choose another --out or pass --overwrite)",
        ErrorReporter.hint(new OutputExistsException(tmp)));
    assertEquals("", ErrorReporter.hint(new java.io.IOException("disk full")));
  }

  @Test
  void embedOfOnlyUnreadableImagesListsEachWithItsReason() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("bad"));
    Files.write(dir.resolve("a.jpg"), new byte[] {1, 2, 3});
    Files.writeString(dir.resolve("b.png"), "not a png");
    Files.write(dir.resolve("c.tif"), new byte[0]);
    Path out = tmp.resolve("e.npy");
    Run r = run("embed", "--model", "remoteclip-mini", "--images", dir.toString(), "--out", out.toString());
    assertEquals(65, r.code, r.err);
    for (String name : List.of("a.jpg", "b.png", "c.tif")) {
      String line = r.err.lines().filter(l -> l.contains(dir.resolve(name).toString())).findFirst().orElse(null);
      assertTrue(line != null && line.startsWith("remoteclip: unreadable ") && line.length()
          > ("remoteclip: unreadable " + dir.resolve(name) + ": ").length(), "no reason for " + name + ":\n" + r.err);
    }
    assertTrue(r.err.strip().endsWith("no input could be encoded (3 unreadable); nothing written"), r.err);
    assertFalse(Files.exists(out));
  }

  @Test
  void captionsPhrasesBelongToOneSource() throws Exception {
    Path manifest = Files.writeString(tmp.resolve("m.yaml"), "sources: []\n");
    Run r = run("captions", "--manifest", manifest.toString(), "--phrases", "uav", "--out", tmp.resolve("o").toString());
    assertEquals(2, r.code, r.err);
    assertTrue(r.err.contains("--phrases and --stuff describe one source"), r.err);
  }
}
