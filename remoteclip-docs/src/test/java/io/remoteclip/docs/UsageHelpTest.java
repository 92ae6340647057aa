package io.remoteclip.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.cli.Main;
import io.remoteclip.spark.SparkMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} renders without a picocli warning: picocli formats descriptions with
 * {@code String.format}, so a bare {@code %} ("target >= 85%") makes it print "Could not format ..." on stderr
 * and show the raw text. The warning goes to picocli's tracer, whose stream is fixed when picocli loads, so
 * the test points that stream at a buffer while it renders each usage message.
 */
class UsageHelpTest {
  @Test
  void noCommandPrintsAFormattingWarning() {
    List<String> warnings = new ArrayList<>();
    for (CommandLine root : List.of(Main.newCommandLine(), SparkMain.newCommandLine())) {
      List<CommandLine> all = new ArrayList<>(List.of(root));
      all.addAll(Commands.all(root));
      for (CommandLine c : all) {
        String w = warningsWhileRendering(c);
        if (!w.isEmpty()) {
          warnings.add(c.getCommandSpec().qualifiedName(" ") + " --help: " + w.strip());
        }
      }
    }
    assertTrue(warnings.isEmpty(), "usage help with picocli warnings (escape % as %%):\n" + String.join("\n", warnings));
  }

  @CommandLine.Command(name = "demo", description = "Keeps the ratio above 85% of the pure model.")
  static final class Unescaped {}

  @CommandLine.Command(name = "demo", description = "Keeps the ratio above 85%% of the pure model.")
  static final class Escaped {}

  @Test
  void aBarePercentIsCaught() {
    String w = warningsWhileRendering(new CommandLine(new Unescaped()));
    assertTrue(w.contains("Could not format"), w);
    assertEquals("", warningsWhileRendering(new CommandLine(new Escaped())));
    assertTrue(new CommandLine(new Escaped()).getUsageMessage().contains("above 85% of"));
  }

  /** What picocli's tracer printed while rendering {@code cmd}'s usage message. */
  static synchronized String warningsWhileRendering(CommandLine cmd) {
    CommandLine.Tracer tracer = CommandLine.tracer();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    CommandLine.TraceLevel level = tracer.getLevel();
    try {
      Field stream = CommandLine.Tracer.class.getDeclaredField("stream");
      stream.setAccessible(true);
      PrintStream old = (PrintStream) stream.get(tracer);
      stream.set(tracer, new PrintStream(buf, true, StandardCharsets.UTF_8));
      tracer.setLevel(CommandLine.TraceLevel.WARN);
      try {
        cmd.getUsageMessage();
      } finally {
        stream.set(tracer, old);
        tracer.setLevel(level);
      }
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("picocli's Tracer changed: " + e, e);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
