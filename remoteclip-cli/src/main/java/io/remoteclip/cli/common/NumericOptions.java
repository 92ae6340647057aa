package io.remoteclip.cli.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The convention that every numeric option and parameter (int, long, float, double, boxed, in arrays or lists) is
 * checked at parse time by a {@link Ranges} converter and shows that range in its --help description. Both
 * launchers' tests (remoteclip, remoteclip-spark) hold their command trees to it.
 */
public final class NumericOptions {
  private NumericOptions() {}

  /** "command option: why" for each numeric option under {@code root} that breaks the convention. */
  public static List<String> unchecked(CommandLine root) {
    List<String> out = new ArrayList<>();
    walk(root, out);
    return out;
  }

  private static void walk(CommandLine cmd, List<String> out) {
    CommandSpec spec = cmd.getCommandSpec();
    for (ArgSpec arg : spec.args()) {
      if (!numeric(arg)) {
        continue;
      }
      String name = spec.qualifiedName() + " "
          + (arg instanceof OptionSpec o ? o.longestName() : ((PositionalParamSpec) arg).paramLabel());
      ITypeConverter<?>[] converters = arg.converters();
      if (converters == null || converters.length == 0 || !(converters[0] instanceof Ranges.Range<?> range)) {
        out.add(name + ": no Ranges converter");
      } else if (!String.join(" ", arg.description()).contains(range.text())) {
        out.add(name + ": its description does not show the range '" + range.text() + "'");
      }
    }
    cmd.getSubcommands().values().stream().distinct().forEach(sub -> walk(sub, out));
  }

  private static boolean numeric(ArgSpec arg) {
    return Stream.concat(Stream.of(arg.type()), Arrays.stream(arg.auxiliaryTypes())).anyMatch(NumericOptions::numeric);
  }

  private static boolean numeric(Class<?> t) {
    if (t.isArray()) {
      return numeric(t.getComponentType());
    }
    return (t.isPrimitive() && t != boolean.class && t != char.class && t != void.class) || Number.class.isAssignableFrom(t);
  }
}
