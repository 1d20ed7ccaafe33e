/**
 * Two whole-chronology scenarios. All people, places and references are invented.
 *
 * (a) is modelled on the inspection's case study of a 12-year-old girl: several incidents each
 *     graded standard over two years, calls she made herself, custody episodes her school never
 *     heard about, a run of social workers, and no safety plan.
 * (b) is good practice: a young child, a plan after two incidents, and incidents reducing since.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  AgencyKindForTest,
  ChronologyEvent,
  ChronologyEventData,
  ChronologyEventType,
} from './risk-scenarios.types.ts';
