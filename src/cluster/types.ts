/** Dense row-major feature matrix (nRows × nCols) of preprocessed features. */
export interface FeatureMatrix {
  readonly values: Float64Array;
  readonly nRows: number;
  readonly nCols: number;
}

export function featureMatrix(values: Float64Array, nRows: number, nCols: number): FeatureMatrix {
  return { values, nRows, nCols };
}
