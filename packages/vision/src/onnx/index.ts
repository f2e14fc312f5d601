export {
  BATCH_DIM,
  convertGraphModelToOnnx,
  type ConvertedOnnxModel,
  type ConvertOptions,
  CONVERTER_VERSION,
  ONNX_IR_VERSION,
  ONNX_OPSET,
} from './convert';
export { supportedTfOps } from './ops/registry';
export {
  type CachedOnnxModel,
  defaultModelCacheDir,
  getOrConvertOnnxModel,
  MODEL_CACHE_DIR_ENV,
  onnxCacheKey,
  type OnnxModelCacheOptions,
} from './onnx-model-cache';
