/**
 * TensorFlow.js as this project uses it: the core ops, the layers API, the pure-JavaScript 'cpu' backend and
 * the gradients and chained tensor methods of tfjs-core (tf-gradients.mjs); backend.ts adds the WebAssembly
 * backend and, when installed, tfjs-node. Importing these pieces instead of the '@tensorflow/tfjs' bundle
 * leaves out what a Node program never loads: the WebGL backend, the graph-model converter, tfjs-data and a
 * copy of every bundle for browsers (about 200 MB installed).
 */
import '@tensorflow/tfjs-backend-cpu';
import './tf-gradients.mjs';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
