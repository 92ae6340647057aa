package io.remoteclip.cli;

import io.remoteclip.CorruptCheckpointException;
import io.remoteclip.DataFormatException;
import io.remoteclip.ModelConfigException;
import io.remoteclip.ModelNotFoundException;
import io.remoteclip.NonFiniteEmbeddingException;
import io.remoteclip.RemoteClipException;
import io.remoteclip.UnsupportedFormatException;
import io.remoteclip.data.annotation.ClassTableRequiredException;
import io.remoteclip.data.annotation.BuiltinClassTables;
import io.remoteclip.fs.OutputExistsException;
import io.remoteclip.hub.InvalidSettingException;
import io.remoteclip.model.HeadLayoutException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place where exceptions become messages and exit codes: user mistakes print
 * {@code remoteclip: <message>} on one line; stack traces only with {@code -v}/{@code --verbose} or for
 * internal errors. The library's messages say what is wrong; the flag that fixes it is added here, by
 * exception type. Usage mistakes are picocli {@code ParameterException}s (exit 2) and never get here; an
 * {@link IllegalArgumentException} that does is a bug (exit 1).
 */
public final class ErrorReporter implements IExecutionExceptionHandler {
  public static final int DATA_ERR = 65;
  static final int NO_INPUT = 66;
  static final int IO_ERR = 74;

  /** What the one line starts with: the launcher's name. */
  private final String program;

  public ErrorReporter() {
    this("remoteclip");
  }

  public ErrorReporter(String program) {
    this.program = program;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    Throwable t = unwrap(ex);
    int code = exitCode(t);
    boolean verbose = parsed.expandedArgs().contains("-v") || parsed.expandedArgs().contains("--verbose");
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (t instanceof NoSuchFileException) {
      msg = t.getMessage() + ": no such file or directory";
    } else if (t instanceof AccessDeniedException) {
      msg = t.getMessage() + ": permission denied";
    } else if (code == CommandLine.ExitCode.SOFTWARE) {
      msg = "internal error (" + t.getClass().getName() + "): " + msg;
    }
    String first = msg.lines().findFirst().orElse(msg);
    cmd.getErr().println(program + ": " + first + hint(t));
    if (verbose || code == CommandLine.ExitCode.SOFTWARE) {
      t.printStackTrace(cmd.getErr());
    }
    cmd.getErr().flush();
    return code;
  }

  /** The command-line way out of a library error, or "". */
  static String hint(Throwable t) {
    if (t instanceof OutputExistsException) {
      return " (choose another --out or pass --overwrite)";
    }
    if (t instanceof io.remoteclip.index.PruneRefusedException) {
      return " (pass --prune to remove them)";
    }
    if (t instanceof HeadLayoutException) {
      return " (--config FILE)";
    }
    if (t instanceof io.remoteclip.stac.StacConformanceException) {
      return " (a static catalog is walked with --catalog)";
    }
    if (t instanceof ClassTableRequiredException) {
      return ": --classes-file FILE or --classes " + String.join("|", BuiltinClassTables.names());
    }
    return "";
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof UncheckedIOException || t instanceof java.util.concurrent.ExecutionException
            || t instanceof java.util.concurrent.CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  public static int exitCode(Throwable t) {
    t = unwrap(t);
    if (t instanceof CommandLine.ParameterException || t instanceof io.remoteclip.onnx.DeviceUnavailableException) {
      return CommandLine.ExitCode.USAGE;
    }
    if (t instanceof ModelNotFoundException || t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
      return NO_INPUT;
    }
    if (t instanceof DataFormatException || t instanceof ModelConfigException || t instanceof RemoteClipException
        || t instanceof CorruptCheckpointException || t instanceof UnsupportedFormatException
        || t instanceof InvalidSettingException || t instanceof NonFiniteEmbeddingException
        || t instanceof java.io.CharConversionException) {
      return DATA_ERR;
    }
    if (t instanceof IOException) {
      return IO_ERR;
    }
    return CommandLine.ExitCode.SOFTWARE;
  }
}
