import { ACTIVATION_OPS } from './activation';
import { BATCH_NORM_OPS } from './batch-norm';
import { CONCAT_OPS } from './concat';
import { CONV_OPS } from './conv';
import { ELEMENTWISE_OPS } from './elementwise';
import { IDENTITY_OPS } from './identity';
import { MATMUL_OPS } from './matmul';
import type { OpConverter } from './op-converter';
import { PAD_OPS } from './pad';
import { POOL_OPS } from './pool';
import { REDUCE_OPS } from './reduce';
import { RESHAPE_OPS } from './reshape';
import { SOFTMAX_OPS } from './softmax';

/** Every TF op the converter translates (besides Placeholder and Const, which the driver reads itself). */
export const OP_CONVERTERS: ReadonlyMap<string, OpConverter> = new Map(
  Object.entries({
    ...ACTIVATION_OPS,
    ...BATCH_NORM_OPS,
    ...CONCAT_OPS,
    ...CONV_OPS,
    ...ELEMENTWISE_OPS,
    ...IDENTITY_OPS,
    ...MATMUL_OPS,
    ...PAD_OPS,
    ...POOL_OPS,
    ...REDUCE_OPS,
    ...RESHAPE_OPS,
    ...SOFTMAX_OPS,
  }),
);

/** Names of the TF ops that convert, sorted (for messages and docs). */
export function supportedTfOps(): string[] {
  return ['Const', 'Placeholder', ...OP_CONVERTERS.keys()].sort();
}
