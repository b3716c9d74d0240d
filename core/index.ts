export { alloc, allocPinned, allocScoped, allocationCount, AllocationError, formatBytes, type DType } from './alloc.js';
export { withScope, keep, dispose, carry, inScope } from './scope.js';
export {
  setBackend,
  setBackendByVariable,
  getBackend,
  wasmAvailable,
  backendNames,
  type BackendName,
} from './backend.js';
export {
  ArgumentError,
  NonFiniteError,
  FormatError,
  describe,
  checkFiniteValues,
  firstNonFiniteIndex,
} from './errors.js';
export type { Buf, IndexBuf } from '../kernels/js/types.js';
export { sizeOf, shapeStr, type Shape } from './shape.js';
export { Tensor, type TensorOptions } from './tensor.js';
export { Tape, wantsGrad, type TapeEntry, type Backward, type Releasable } from './tape.js';
export { record, output, checkTensors, checkIndices, rowsAndCols } from './ops/common.js';
export { Rng } from './rng.js';
export { ParamStore } from './params.js';
export * as ops from './ops/index.js';
export type { Reduction, CrossEntropyOptions, DropoutOptions } from './ops/index.js';
export {
  gradcheck,
  GRADCHECK_DEFAULTS,
  REL_ERR_FLOOR,
  randomTensor,
  weightedSum,
  type GradcheckOptions,
  type GradcheckReport,
  type GradcheckInputReport,
} from './gradcheck.js';
export {
  encodeSafetensors,
  decodeSafetensors,
  fromHalf,
  toHalf,
  safetensorsDtypes,
  type SafetensorsDtype,
  type SafetensorsEntry,
  type SafetensorsFile,
  type SafetensorsInput,
  type SafetensorsArray,
} from './safetensors.js';
export * from './ops/recurrent/index.js';
export { argmaxRows, padTimeMajor } from './rows.js';
