// The training API (see trainer.ts): createTrainer and the types a caller needs.
export { createTrainer, type FreeRunning, type Metrics, type SpectrumBlock, type Trainer } from './trainer';
export { TRAINER_LIMITS, TRAIN_DEFAULTS, type InputConfig, type OptimizerConfig, type TaskConfig, type TrainerConfig } from './config';
export type { ModelParams } from './model';
export { eigenvalues, singularValues } from './spectrum';
