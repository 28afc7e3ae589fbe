package org.peftharness.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.peftharness.core.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: where it prints, and that it ends with one of the harness's exit
 * codes. Errors are not handled here: an {@code InvalidInputException} anywhere becomes exit 2 in
 * {@link Main}'s one handler, so commands just parse, call a service and print.
 */
abstract class BaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** The command's work; what it prints goes to {@link #out()}. */
  protected abstract ExitCode execute() throws Exception;

  @Override
  public final Integer call() throws Exception {
    try {
      return execute().code();
    } finally {
      out().flush();
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
