package org.peftharness.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peftharness.core.InvalidInputException;

class CellSelectionTest {
  @Test
  void indexListsParseAndFormatBackToTheSameSet() {
    assertThat(CellSelection.parseIndices("0-3,7, 9-10,3", "--cell-index")).containsExactly(0, 1, 2, 3, 7, 9, 10);
    assertThat(CellSelection.formatIndices(List.of(10, 0, 1, 2, 3, 7, 9))).isEqualTo("0-3,7,9,10");
    Random rng = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      List<Integer> pick = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        if (rng.nextInt(3) > 0) {
          pick.add(i);
        }
      }
      if (pick.isEmpty()) {
        continue;
      }
      assertThat(CellSelection.parseIndices(CellSelection.formatIndices(pick), "x")).isEqualTo(pick);
    }
  }

  @Test
  void badIndexListsAreClearErrors() {
    for (String bad : List.of("", "a", "3-1", "-2", "1,,2", "1-")) {
      assertThatThrownBy(() -> CellSelection.parseIndices(bad, "--cell-index")).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("--cell-index");
    }
  }

  @Test
  void tasksTakeConsecutiveGroupsOfTheSelectedCells() {
    List<Cell> cells = GridRunnerTest.cells(10);
    CellSelection sparse = CellSelection.of("1,3-4,8", 1, 3);
    assertThat(sparse.apply(cells)).extracting(Cell::index).containsExactly(8);
    assertThat(CellSelection.of("1,3-4,8", 0, 3).apply(cells)).extracting(Cell::index).containsExactly(1, 3, 4);
    assertThat(CellSelection.of("4", null, null).apply(cells)).extracting(Cell::index).containsExactly(4);
    assertThat(CellSelection.of(null, 2, 4).apply(cells)).extracting(Cell::index).containsExactly(8, 9);
    assertThat(CellSelection.ALL.apply(cells)).hasSize(10);
    assertThat(CellSelection.groups(10, 4)).isEqualTo(3);
  }

  @Test
  void selectionsBeyondThePlanSayWhatExists() {
    List<Cell> cells = GridRunnerTest.cells(4);
    assertThatThrownBy(() -> CellSelection.of("7", null, null).apply(cells)).hasMessageContaining("the grid has 4 cells (0-3)")
        .hasMessageContaining("edited");
    assertThatThrownBy(() -> CellSelection.of("0-3", 2, 2).apply(cells)).hasMessageContaining("make 2 tasks (0-1)");
    assertThatThrownBy(() -> CellSelection.of(null, null, 2)).hasMessageContaining("--task-index");
    assertThatThrownBy(() -> CellSelection.of(null, 0, 0)).hasMessageContaining("1 or more");
  }
}
