package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Help as people read it: every command's summary is a whole sentence, and every command has -h. */
class HelpTextTest {
  @Test
  void everyCommandSummaryIsAWholeSentence() {
    List<CommandLine> all = new ArrayList<>();
    collect(new CommandLine(new Main()), all);
    assertThat(all).hasSizeGreaterThan(12);
    for (CommandLine c : all) {
      String[] description = c.getCommandSpec().usageMessage().description();
      assertThat(description).as(c.getCommandName()).isNotEmpty();
      // the summary 'harness --help' shows is the first element; picocli wraps it, so it must not be hard-wrapped
      assertThat(description[0]).as(c.getCommandName()).endsWith(".");
      assertThat(c.getCommandSpec().findOption("--help")).as(c.getCommandName() + " has --help").isNotNull();
    }
  }

  @Test
  void topLevelHelpListsNoSummaryCutMidPhrase() {
    CliRunner r = CliRunner.run("--help");
    assertThat(r.exitCode()).isZero();
    for (String line : r.out().split("\n")) {
      assertThat(line.strip()).doesNotEndWith("/").doesNotEndWith(" or to").doesNotEndWith(" under");
    }
  }

  private static void collect(CommandLine c, List<CommandLine> out) {
    out.add(c);
    c.getSubcommands().values().stream().filter(s -> s != c && !s.getCommandName().equals("help")).forEach(s -> collect(s, out));
  }
}
