export * from './bands.ts';
export * from './judgement.ts';
export * from './police-dash-2009.ts';
export * from './registry.ts';
export * from './safelives-dash-ric.ts';
export * from './scoring.ts';
export type * from './types.ts';
export { ANSWER_VALUES } from './types.ts';
