// Neural timing model: training time per epoch on 200k synthetic customers × 30 features on the selected
// backend (tfjs-node > wasm > cpu), against the pure-JS cpu backend measured in the same run on the same
// data (one epoch, as it is much slower). Usage: npm run bench neural [-- customers]
import { chooseBackend, selectBackend } from '../../src/timing/backend.js';
import { trainNeuralTimingModel, type NeuralTimingParamsInput } from '../../src/timing/neural/index.js';
import { syntheticTiming } from '../timing/neural.synthetic.js';

const customers = Number(process.argv[2] ?? 200_000);
const features = 30;
const params: NeuralTimingParamsInput = { hiddenUnits: [64, 32], batchSize: 512, patience: 100 };

function fmt(seconds: number): string {
  return `${seconds.toFixed(2)} s`;
}

let started = performance.now();
const data = syntheticTiming(customers, 42, { features });
console.log(`data: ${customers} customers × ${features} features, generated in ${fmt((performance.now() - started) / 1000)}`);

const choice = await chooseBackend();
console.log(`backend: ${choice.name}${choice.skipped.length ? ` (skipped ${choice.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})` : ''}`);
const epochs = 3;
started = performance.now();
const model = await trainNeuralTimingModel(data.matrix, data.labels, { seed: 1, params: { ...params, maxEpochs: epochs } });
const total = (performance.now() - started) / 1000;
const perEpoch = model.state.training.secondsPerEpoch;
console.log(`${choice.name}: ${model.state.training.epochs} epochs, ${fmt(perEpoch)} per epoch (${model.state.training.trainCustomers} training customers), ${fmt(total)} in all with setup, validation and calibration`);
started = performance.now();
model.predict(data.matrix);
console.log(`${choice.name}: predict ${customers} customers in ${fmt((performance.now() - started) / 1000)}`);
model.dispose();

await selectBackend({ order: ['cpu'] });
started = performance.now();
const reference = await trainNeuralTimingModel(data.matrix, data.labels, { seed: 1, params: { ...params, maxEpochs: 1 } });
const cpuPerEpoch = reference.state.training.secondsPerEpoch;
console.log(`cpu (reference): 1 epoch, ${fmt(cpuPerEpoch)} per epoch, ${fmt((performance.now() - started) / 1000)} in all`);
reference.dispose();
console.log(`ratio: ${choice.name} is ${(cpuPerEpoch / perEpoch).toFixed(1)}× the speed of cpu per epoch`);
