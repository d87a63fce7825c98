// Types of tf-gradients.mjs: it registers tfjs-core's gradients and its chained tensor methods (x.slice(), …),
// whose declarations come from tfjs-core's own module below.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
