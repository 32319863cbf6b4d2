// PLACEHOLDER: replaced by the real pure-TS twin.
import type { Views } from '../memory/views.js';
export function makeEltwiseRef(_v: Views): Record<string, never> {
  return {};
}
