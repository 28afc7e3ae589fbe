package org.peftharness.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.peftharness.core.ExitCode;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.files.FileFaults;
import org.peftharness.model.Offline;
import org.peftharness.results.provenance.BuildInfo;
import org.tensorflow.TensorFlow;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** The {@code harness} command. Subcommands are thin: parse, call a service, print. */
@Command(
    name = "harness",
    // -h and -V on every command, inherited rather than repeated on each
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    versionProvider = Main.Version.class,
    description = "Reproducible benchmarks of parameter-efficient fine-tuning methods.",
    subcommands = {RunCommand.class, ValidateCommand.class, PlanCommand.class, ReportCommand.class, CheckCommand.class,
        SubmitCommand.class, StatusCommand.class, ReproduceCommand.class, RescoreCommand.class, InspectCommand.class, ScoreCommand.class, EvaluateCommand.class, LsCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:a check found a regression",
      "2:invalid input (the message names file, line and field), or a path that cannot be read or written",
      "3:a run failed",
      "4:internal error (a bug in the harness)",
      "130:interrupted (Ctrl-C; the running cells are recorded as cancelled)"
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line and returns the exit code (tests call this directly). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Offline.enforce();
    CommandLine cmd = new CommandLine(new Main());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(ex, commandLine.getErr()));
    return cmd.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static int handle(Exception ex, PrintWriter err) {
    InvalidInputException invalid = findInvalidInput(ex);
    if (invalid != null) {
      if (invalid instanceof InvalidInputException.Many many) {
        many.all().forEach(e -> err.println("error: " + e.getMessage()));
        err.println(many.all().size() + " errors");
      } else {
        err.println("error: " + invalid.getMessage());
      }
      return ExitCode.INVALID_INPUT.code();
    }
    if (ex instanceof RunFailedException) {
      err.println("run failed: " + ex.getMessage());
      return ExitCode.RUN_FAILED.code();
    }
    FileSystemException refused = FileFaults.find(ex);
    if (refused != null) {
      // a path the user gave (or its disk) refused a read or a write: their environment, not a bug
      err.println("error: " + FileFaults.describe(refused));
      return ExitCode.INVALID_INPUT.code();
    }
    String full = fullDisk(ex);
    if (full != null) {
      // a write the disk had no room for ends as a plain IOException: the environment, not a bug
      err.println("error: no space left on device: " + full);
      return ExitCode.INVALID_INPUT.code();
    }
    err.println("internal error (a bug in the harness): " + ex);
    try {
      // inside the harness's cache, like every file it writes outside a results folder
      String cache = System.getProperty("harness.cache");
      Path logs = cache == null ? null : Files.createDirectories(Path.of(cache, "crash-logs"));
      Path log = logs == null ? Files.createTempFile("harness-crash-", ".log") : Files.createTempFile(logs, "harness-crash-", ".log");
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
        ex.printStackTrace(w);
      }
      err.println("the stack trace is in " + log);
    } catch (IOException io) {
      ex.printStackTrace(err);
    }
    return ExitCode.INTERNAL_ERROR.code();
  }

  /** The message of an IOException in the chain that says the disk is full, or null. */
  private static String fullDisk(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException && c.getMessage() != null && c.getMessage().contains("No space left on device")) {
        return c.getMessage();
      }
    }
    return null;
  }

  private static InvalidInputException findInvalidInput(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof InvalidInputException) {
        return (InvalidInputException) c;
      }
    }
    return null;
  }

  /** {@code --version}: harness version, git commit, TensorFlow and Java versions. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return BuildInfo.current(TensorFlow.version()).lines();
    }
  }
}
