package org.peftharness.results.provenance;

import java.util.Map;

/**
 * What {@code cells/<id>/provenance.json} records, split as Tribuo splits provenance: the
 * configuration the cell was asked to run ({@code configured}, whose canonical JSON hashes to the
 * cell id) and what was observed while it ran. {@link ProvenanceIO} reads and writes it.
 *
 * @param schema the layout version; {@link #SCHEMA} when written now, 0 for files written before
 *     the version was recorded (their keys are the same)
 * @param cellIndex the cell's position in its grid, or 0 when not recorded
 * @param grid the grid's name, or null when not recorded
 * @param configured the resolved configuration, as plain JSON values (maps, lists, numbers, text)
 */
public record CellProvenance(int schema, String cellId, int cellIndex, String grid, Map<String, Object> configured,
    Observed observed) {
  /**
   * 2: a cell is a training and its evaluations: {@code configured} has {@code train_on} and no
   * {@code eval}, {@code observed.datasets} has the training data only, the prompt hash is over the
   * training prompts, and each evaluation records itself in {@code eval/<task>/evaluation.json}.
   * 1: the layout of the first versioned files (the unversioned layout plus {@code schema}).
   */
  public static final int SCHEMA = 2;
}
