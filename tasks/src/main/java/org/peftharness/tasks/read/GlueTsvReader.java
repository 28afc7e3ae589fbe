package org.peftharness.tasks.read;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peftharness.core.InvalidInputException;

/**
 * GLUE {@code glue_data/<TASK>/*.tsv} in the original layout. Lines are split on tab with quoting
 * off: many rows contain a literal {@code "} (QNLI dev: 611 lines), and CSV quote handling would
 * merge rows. Every row must have the header's number of columns; a row that does not is an
 * error, never dropped.
 */
public final class GlueTsvReader implements ExampleReader {
  public static final String NAME = "glue-tsv";
  private static final char BOM = '\ufeff';

  private final TsvLayout layout;

  public GlueTsvReader(TsvLayout layout) {
    this.layout = layout;
  }

  @Override
  public List<Path> sources(Path file) {
    if (layout.rebuildMrpcTrain() && !Files.exists(file)) {
      return List.of(file.resolveSibling("msr_paraphrase_train.txt"), file.resolveSibling("dev_ids.tsv"));
    }
    return List.of(file);
  }

  @Override
  public List<Example> read(Path file) {
    if (layout.rebuildMrpcTrain() && !Files.exists(file)) {
      Path msr = file.resolveSibling("msr_paraphrase_train.txt");
      Path devIds = file.resolveSibling("dev_ids.tsv");
      if (Files.exists(msr) && Files.exists(devIds)) {
        return read(msr, devPairs(devIds));
      }
      throw new InvalidInputException(
          file, 0, null, "file not found, and it cannot be rebuilt: " + msr.getFileName() + " and " + devIds.getFileName() + " are not both beside it");
    }
    return read(file, null);
  }

  /**
   * @param excludedPairs MRPC (#1 ID, #2 ID) pairs to leave out (the dev pairs when rebuilding
   *     MRPC train), or null
   */
  private List<Example> read(Path file, Set<String> excludedPairs) {
    List<Example> out = new ArrayList<>();
    try (LineReader lines = new LineReader(file)) {
      String first = lines.next();
      if (first == null) {
        throw new InvalidInputException(file, 0, null, "has no records (the file is empty)");
      }
      int width;
      int textCol;
      int pairCol = -1;
      int labelCol;
      int id1Col = -1;
      int id2Col = -1;
      String pending = null;
      if (layout.header()) {
        List<String> header = List.of(split(stripBom(first)));
        width = header.size();
        textCol = column(header, layout.text(), file);
        pairCol = layout.textPair() == null ? -1 : column(header, layout.textPair(), file);
        labelCol = column(header, layout.label(), file);
        if (excludedPairs != null) {
          id1Col = column(header, "#1 ID", file);
          id2Col = column(header, "#2 ID", file);
        }
      } else {
        pending = first;
        width = split(first).length;
        textCol = index(layout.text(), width, file);
        pairCol = layout.textPair() == null ? -1 : index(layout.textPair(), width, file);
        labelCol = index(layout.label(), width, file);
      }
      String line = pending != null ? pending : lines.next();
      while (line != null) {
        int lineNo = lines.lineNumber();
        String[] cols = split(line);
        if (cols.length != width) {
          throw new InvalidInputException(
              file, lineNo, "columns", "expected " + width + " tab-separated columns, found " + cols.length);
        }
        if (excludedPairs == null || !excludedPairs.contains(cols[id1Col].strip() + "\t" + cols[id2Col].strip())) {
          Map<String, String> inputs = new LinkedHashMap<>();
          inputs.put("text", cols[textCol]);
          if (pairCol >= 0) {
            inputs.put("text_pair", cols[pairCol]);
          }
          out.add(new Example(out.size(), lineNo, inputs, null, gold(cols[labelCol], file, lineNo)));
        }
        line = lines.next();
      }
    }
    return out;
  }

  private Example.Gold gold(String raw, Path file, int line) {
    String field = layout.label();
    if (layout.regression()) {
      double v;
      try {
        v = Double.parseDouble(raw.strip());
      } catch (NumberFormatException e) {
        throw new InvalidInputException(file, line, field, "expected a number, found '" + raw + "'");
      }
      if (!Double.isFinite(v)) {
        throw new InvalidInputException(file, line, field, "score is not finite: '" + raw + "'");
      }
      return Example.Gold.score(v);
    }
    int idx = layout.labelValues().indexOf(raw);
    if (idx < 0) {
      throw new InvalidInputException(
          file, line, field, "label '" + raw + "' is not one of " + layout.labelValues());
    }
    return Example.Gold.label(idx);
  }

  private static Set<String> devPairs(Path devIds) {
    Set<String> pairs = new HashSet<>();
    try (LineReader lines = new LineReader(devIds)) {
      String line;
      while ((line = lines.next()) != null) {
        String[] cols = split(line.strip());
        if (cols.length != 2) {
          throw new InvalidInputException(devIds, lines.lineNumber(), "columns", "expected 2 tab-separated ids, found " + cols.length);
        }
        pairs.add(cols[0] + "\t" + cols[1]);
      }
    }
    return pairs;
  }

  static String[] split(String line) {
    return line.split("\t", -1);
  }

  private static String stripBom(String s) {
    return !s.isEmpty() && s.charAt(0) == BOM ? s.substring(1) : s;
  }

  private static int column(List<String> header, String name, Path file) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new InvalidInputException(file, 1, name, "no such column in the header " + header);
    }
    return i;
  }

  private static int index(String column, int width, Path file) {
    int i;
    try {
      i = Integer.parseInt(column);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(file, 1, column, "this file has no header, so columns must be 0-based numbers");
    }
    if (i < 0 || i >= width) {
      throw new InvalidInputException(file, 1, column, "column " + i + " is outside the " + width + " columns of the first row");
    }
    return i;
  }
}
