/** A numeric buffer: float32 for speed, float64 for gradient checks. Every kernel takes either. */
export type Buf = Float32Array | Float64Array;

/** Integer indices (class targets, embedding rows). */
export type IndexBuf = Int32Array;
