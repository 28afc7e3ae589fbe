package org.peftharness.grid;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.peftharness.core.InvalidInputException;

/**
 * Which of a plan's cells one process runs: cells by position ({@code --cell-index 3} or
 * {@code 0-9,12}), and of those, for array jobs, the {@code task}-th group of {@code perTask}
 * ({@code --task-index $SLURM_ARRAY_TASK_ID --cells-per-task 4}). A scheduler's job carries the
 * list it was given, so its tasks run the cells that were unfinished when it was submitted.
 */
public record CellSelection(List<Integer> indices, Integer task, int perTask) {
  public static final CellSelection ALL = new CellSelection(null, null, 1);

  public static CellSelection of(String cellIndex, Integer task, Integer perTask) {
    List<Integer> indices = cellIndex == null ? null : parseIndices(cellIndex, "--cell-index");
    int per = perTask == null ? 1 : perTask;
    if (per < 1) {
      throw new InvalidInputException("argument --cells-per-task", 0, null, "must be 1 or more, not " + per);
    }
    if (task != null && task < 0) {
      throw new InvalidInputException("argument --task-index", 0, null, "must be 0 or more, not " + task);
    }
    if (perTask != null && task == null) {
      throw new InvalidInputException("argument --cells-per-task", 0, null, "goes with --task-index (which group to run)");
    }
    return new CellSelection(indices, task, per);
  }

  public boolean isAll() {
    return indices == null && task == null;
  }

  /** The selected cells, in plan order. */
  public List<Cell> apply(List<Cell> cells) {
    List<Cell> chosen = new ArrayList<>();
    if (indices == null) {
      chosen.addAll(cells);
    } else {
      for (int i : indices) {
        if (i >= cells.size()) {
          throw new InvalidInputException("argument --cell-index", 0, null, "cell " + i + " does not exist: the grid has "
              + cells.size() + " cells (0-" + (cells.size() - 1) + "); was the grid edited after the job was submitted?");
        }
        chosen.add(cells.get(i));
      }
    }
    if (task == null) {
      return chosen;
    }
    int groups = groups(chosen.size(), perTask);
    if (task >= groups) {
      throw new InvalidInputException("argument --task-index", 0, null, "task " + task + " does not exist: " + chosen.size()
          + " cells in groups of " + perTask + " make " + groups + " tasks (0-" + (groups - 1) + ")");
    }
    return chosen.subList(task * perTask, Math.min(chosen.size(), (task + 1) * perTask));
  }

  public static int groups(int cells, int perTask) {
    return (cells + perTask - 1) / perTask;
  }

  /** {@code 0-3,7,9-10}: positions, ascending, each once. */
  public static List<Integer> parseIndices(String text, String option) {
    TreeSet<Integer> out = new TreeSet<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      try {
        int dash = p.indexOf('-', 1);
        int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
        int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
        if (from < 0 || to < from) {
          throw new NumberFormatException();
        }
        for (int i = from; i <= to; i++) {
          out.add(i);
        }
      } catch (NumberFormatException e) {
        throw new InvalidInputException("argument " + option, 0, null,
            "'" + p + "' is not a cell index or range (like 3 or 0-9); the list was '" + text + "'");
      }
    }
    return List.copyOf(out);
  }

  /** The shortest text {@link #parseIndices} reads back as {@code indices}: runs become ranges. */
  public static String formatIndices(List<Integer> indices) {
    List<Integer> sorted = new ArrayList<>(new TreeSet<>(indices));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < sorted.size(); i++) {
      int start = sorted.get(i);
      int end = start;
      while (i + 1 < sorted.size() && sorted.get(i + 1) == end + 1) {
        end = sorted.get(++i);
      }
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(start);
      if (end > start) {
        sb.append(end == start + 1 ? "," : "-").append(end);
      }
    }
    return sb.toString();
  }
}
