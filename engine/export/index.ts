// Writing what the engine trained: safetensors, in PyTorch's names.
export { encodeSafetensors, MAX_EXPORT_BYTES, type NamedTensor } from './safetensors';
export { charModelMetadata, charModelTensors, exportCharModel, RNN_TYPE, type CharModelWeights, type EngineLayerWeights } from './charModel';
