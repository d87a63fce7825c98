/**
 * Serialises a tfjs network to plain data through the tfjs IO handlers (withSaveHandler / fromMemory):
 * topology JSON, weight manifest and the weights as base64 — no pickles, no file paths.
 */
import * as tf from '../tf.js';
import { inputError } from '../../core/errors.js';

export interface SerialisedNetwork {
  readonly modelTopology: Record<string, unknown>;
  readonly weightSpecs: tf.io.WeightsManifestEntry[];
  readonly weightsBase64: string;
}

function concatBuffers(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  const buffers = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(buffers.reduce((total, b) => total + b.byteLength, 0));
  let offset = 0;
  for (const buffer of buffers) {
    out.set(new Uint8Array(buffer), offset);
    offset += buffer.byteLength;
  }
  return out;
}

export async function serialiseNetwork(network: tf.LayersModel): Promise<SerialisedNetwork> {
  let captured: tf.io.ModelArtifacts | undefined;
  await network.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured?.modelTopology || !captured.weightSpecs || !captured.weightData) {
    throw new Error('tfjs save handler received no topology or weights');
  }
  return {
    modelTopology: captured.modelTopology as Record<string, unknown>,
    weightSpecs: captured.weightSpecs,
    weightsBase64: Buffer.from(concatBuffers(captured.weightData)).toString('base64'),
  };
}

export async function deserialiseNetwork(saved: SerialisedNetwork): Promise<tf.LayersModel> {
  const bytes = Buffer.from(saved.weightsBase64, 'base64');
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: saved.modelTopology, weightSpecs: saved.weightSpecs, weightData }));
  } catch (error) {
    return inputError(
      'bad_neural_artifact',
      `the neural timing artifact's network could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      'the artifact is damaged or from another tfjs version; retrain the model',
    );
  }
}
