package org.peftharness.results;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.files.TextFiles;

/**
 * The CSV form of result rows: RFC 4180, a fixed header, LF line ends, numbers written with
 * {@link Double#toString} (shortest text that reads back to the same double) so pandas and R
 * read the file as is and equal runs give equal bytes.
 */
public final class ResultsCsv {
  public static final List<String> HEADER = List.of(
      "grid", "cell_id", "cell_index", "model", "method", "rank", "task", "seed", "status",
      "metric", "protocol", "protocol_version", "value", "n", "higher_is_better",
      "trainable_params", "total_params", "tokens_per_s", "wall_s", "started_at", "finished_at",
      "harness_version", "git_commit", "reason", "train_on", "eval_id", "sweep", "split", "selection", "precision");

  /**
   * The header before a cell could train on a set and evaluate several tasks. A file whose header
   * is a shorter prefix of {@link #HEADER}, down to this one, is read with the missing columns at
   * their meaning for it: train_on = the task, no evaluation id, no sweep, the reported split, selection
   * and precision not recorded.
   */
  static final List<String> HEADER_V1 = HEADER.subList(0, HEADER.size() - 6);

  /** Columns that differ between two otherwise identical runs. */
  public static final Set<String> TIME_COLUMNS = Set.of("tokens_per_s", "wall_s", "started_at", "finished_at");

  private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

  private ResultsCsv() {}

  public static String format(List<ResultRow> rows) {
    StringWriter out = new StringWriter();
    try (CSVPrinter p = new CSVPrinter(out, FORMAT)) {
      p.printRecord(HEADER);
      for (ResultRow r : rows) {
        p.printRecord(r.grid(), r.cellId(), r.cellIndex(), r.model(), r.method(), text(r.rank()), r.task(), r.seed(),
            r.status(), text(r.metric()), text(r.protocol()), text(r.protocolVersion()), text(r.value()), text(r.n()),
            text(r.higherIsBetter()), text(r.trainableParams()), text(r.totalParams()), text(r.tokensPerSecond()),
            text(r.wallSeconds()), text(r.startedAt()), text(r.finishedAt()), text(r.harnessVersion()),
            text(r.gitCommit()), text(r.reason()), text(r.trainOn()), text(r.evalId()), text(r.sweep()), text(r.split()),
            text(r.selection()), text(r.precision()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static String text(Object o) {
    return o == null ? "" : o.toString();
  }

  public static List<ResultRow> read(Path file) {
    // strict UTF-8 first, so a bad byte is reported by offset and line, not as "Input length = 1"
    try (Reader in = new StringReader(TextFiles.readUtf8(file))) {
      return read(file.toString(), in);
    } catch (IOException e) {
      throw new InvalidInputException(file, null, "cannot read: " + e.getMessage());
    }
  }

  public static List<ResultRow> read(String source, Reader in) throws IOException {
    List<ResultRow> rows = new ArrayList<>();
    try (CSVParser parser = CSVParser.builder().setReader(in).setFormat(FORMAT).get()) {
      List<String> header = null;
      for (CSVRecord rec : parser) {
        if (header == null) {
          header = rec.toList();
          if (header.size() < HEADER_V1.size() || header.size() > HEADER.size() || !header.equals(HEADER.subList(0, header.size()))) {
            throw new InvalidInputException(source, 1, null, "not a results.csv header: expected " + HEADER);
          }
          continue;
        }
        rows.add(row(source, rec, header));
      }
    } catch (IllegalStateException | UncheckedIOException e) {
      throw new InvalidInputException(source, 0, null, "malformed CSV: " + e.getMessage());
    }
    return rows;
  }

  private static ResultRow row(String source, CSVRecord r, List<String> header) {
    int line = (int) r.getRecordNumber();
    if (r.size() != header.size()) {
      throw new InvalidInputException(source, line, null, "has " + r.size() + " fields, expected " + header.size());
    }
    Field f = new Field(source, line, r, header);

    return new ResultRow(f.s("grid"), f.s("cell_id"), f.num("cell_index", Integer::parseInt), f.s("model"),
        f.s("method"), f.opt("rank", Integer::parseInt), f.s("task"), f.num("seed", Long::parseLong),
        f.num("status", s -> CellStatus.valueOf(s.toUpperCase(Locale.ROOT))), f.opt("metric", s -> s),
        f.opt("protocol", s -> s), f.opt("protocol_version", Integer::parseInt), f.opt("value", Double::parseDouble),
        f.opt("n", Integer::parseInt), f.opt("higher_is_better", ResultsCsv::bool), f.opt("trainable_params", Long::parseLong),
        f.opt("total_params", Long::parseLong), f.opt("tokens_per_s", Double::parseDouble), f.opt("wall_s", Double::parseDouble),
        f.opt("started_at", s -> s), f.opt("finished_at", s -> s), f.opt("harness_version", s -> s),
        f.opt("git_commit", s -> s), f.opt("reason", s -> s), f.or("train_on", f.s("task")), f.or("eval_id", ""), f.or("sweep", ""),
        f.or("split", ""), f.or("selection", ""), f.or("precision", ""));
  }

  private static Boolean bool(String s) {
    if (s.equals("true") || s.equals("false")) {
      return Boolean.valueOf(s);
    }
    throw new IllegalArgumentException("expected true or false");
  }

  private record Field(String source, int line, CSVRecord rec, List<String> header) {
    String s(String name) {
      return rec.get(header.indexOf(name));
    }

    /** The column's text, or {@code absent} in a file written before the column existed. */
    String or(String name, String absent) {
      return header.contains(name) ? s(name) : absent;
    }

    <T> T num(String name, Function<String, T> parse) {
      T v = opt(name, parse);
      if (v == null) {
        throw new InvalidInputException(source, line, name, "is empty");
      }
      return v;
    }

    <T> T opt(String name, Function<String, T> parse) {
      String v = s(name);
      if (v.isEmpty()) {
        return null;
      }
      try {
        return parse.apply(v);
      } catch (RuntimeException e) {
        throw new InvalidInputException(source, line, name, "cannot read '" + v + "'");
      }
    }
  }
}
