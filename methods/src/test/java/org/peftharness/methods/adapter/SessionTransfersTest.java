package org.peftharness.methods.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.adapter.SessionTransfers.Assignment;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class SessionTransfersTest {
  private static final long MIB = 1L << 20;

  @Test
  void groupsConsecutiveItemsWithinTheRunBudgetAndKeepsTheirOrder() {
    long quarter = SessionTransfers.RUN_BYTES / 4;
    List<Long> sizes = List.of(quarter, quarter, quarter, quarter, 1L, 3 * quarter, quarter, quarter);
    List<List<Long>> runs = SessionTransfers.runs(sizes, Long::longValue);
    // 4 quarters fill a run exactly; the fifth item opens the next, which takes 1 + 3 quarters
    assertThat(runs).containsExactly(List.of(quarter, quarter, quarter, quarter), List.of(1L, 3 * quarter),
        List.of(quarter, quarter));
  }

  @Test
  void aTensorLargerThanARunGoesAlone() {
    long big = SessionTransfers.RUN_BYTES + MIB;
    assertThat(SessionTransfers.runs(List.of(MIB, big, MIB), Long::longValue))
        .containsExactly(List.of(MIB), List.of(big), List.of(MIB));
    assertThat(SessionTransfers.runs(List.<Long>of(), Long::longValue)).isEmpty();
  }

  /**
   * 40 variables of 12 to 60 bytes in runs of at most 120 bytes: when a value is read, every earlier
   * run has already been executed (the variable just before the value's run holds its value) and
   * nothing of a later run has been read, so a run holds only its own tensors on the host.
   */
  @Test
  void assignsAndFetchesEveryVariableBitForBitAndReadsEachValueOnlyWhenItsRunComes() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      List<Variable<TFloat32>> vars = new ArrayList<>();
      List<Assignment> assignments = new ArrayList<>();
      List<FloatTensor> values = new ArrayList<>();
      List<Integer> readOrder = new ArrayList<>();
      List<Integer> runStarts = new ArrayList<>();
      long budget = 120;
      long filled = budget;
      for (int i = 0; i < 40; i++) {
        long[] shape = {i % 5 + 1, 3};
        long bytes = 4 * shape[0] * shape[1];
        if (filled + bytes > budget) {
          runStarts.add(i);
          filled = 0;
        }
        filled += bytes;
        Variable<TFloat32> v = tf.withName("v" + i).variable(Shape.of(shape), TFloat32.class);
        Placeholder<TFloat32> feed = tf.withName("v" + i + ".feed").placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
        float[] data = new float[(int) (shape[0] * shape[1])];
        for (int k = 0; k < data.length; k++) {
          data[k] = Float.intBitsToFloat(0x3f800000 + i * 977 + k * 31);
        }
        FloatTensor value = new FloatTensor(shape, data);
        vars.add(v);
        values.add(value);
        int index = i;
        assignments.add(new Assignment(feed, tf.assign(v, feed), () -> {
          int start = runStarts.stream().filter(r -> r <= index).reduce((x, y) -> y).orElseThrow();
          if (start > 0) {
            // the previous run was executed before this run's first value was read
            assertThat(SessionTransfers.fetch(s, List.of(vars.get(start - 1))).get(0).data())
                .isEqualTo(values.get(start - 1).data());
          }
          readOrder.add(index);
          return value;
        }));
      }
      assertThat(runStarts).hasSizeGreaterThan(5);
      assertThat(readOrder).isEmpty();
      SessionTransfers.assign(s, assignments, budget);
      assertThat(readOrder).isEqualTo(IntStream.range(0, 40).boxed().toList());

      List<FloatTensor> fetched = SessionTransfers.fetch(s, vars);
      assertThat(fetched).hasSize(40);
      for (int i = 0; i < 40; i++) {
        assertThat(fetched.get(i).shape()).isEqualTo(values.get(i).shape());
        assertThat(fetched.get(i).data()).isEqualTo(values.get(i).data());
      }
    }
  }
}
