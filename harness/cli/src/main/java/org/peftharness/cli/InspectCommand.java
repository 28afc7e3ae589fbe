package org.peftharness.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code harness inspect ...}: look inside models and methods without training. */
@Command(name = "inspect",
    description = "Look inside a model's numerics, a method's initialisation or parameter count.",
    subcommands = {InspectForwardCommand.class, InspectInitCommand.class, InspectParamsCommand.class, InspectMemoryCommand.class})
final class InspectCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
