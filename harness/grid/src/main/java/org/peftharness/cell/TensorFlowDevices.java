package org.peftharness.cell;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;

import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;

/**
 * Whether TensorFlow runs graphs on a GPU in this process. TensorFlow places a graph's ops on
 * GPU:0 whenever the runtime has a GPU device, so a GPU in the device list is the GPU the cell used.
 * TF Java 1.1.0 has no public device listing and keeps a session's native handle private, so this
 * asks the C API ({@code TF_SessionListDevices}, tensorflow/c/c_api.h) through an empty session;
 * GPU memory is reserved per process, not per session, so the extra session costs none.
 */
final class TensorFlowDevices {
  private TensorFlowDevices() {}

  /** The devices of a process do not change, so every cell of it reads the answer found once. */
  static boolean hasGpu() {
    return Once.HAS_GPU;
  }

  private static final class Once {
    static final boolean HAS_GPU = probe();
  }

  private static boolean probe() {
    try (PointerScope scope = new PointerScope()) {
      TF_Status status = TF_Status.newStatus();
      TF_Session session = TF_Session.newSession(TF_Graph.newGraph(), TF_SessionOptions.newSessionOptions(), status);
      status.throwExceptionIfNotOK();
      TF_DeviceList devices = TF_SessionListDevices(session, status);
      status.throwExceptionIfNotOK();
      try {
        for (int i = 0; i < TF_DeviceListCount(devices); i++) {
          if (TF_DeviceListType(devices, i, status).getString().equals("GPU")) {
            return true;
          }
        }
        return false;
      } finally {
        TF_DeleteDeviceList(devices);
      }
    }
  }
}
