/**
 * The evidence mapper: suggests, passage by passage, the criteria of the EU
 * Global Human Rights Sanctions Regime that an English or French text may
 * support, and why. A suggestion is never evidence until an editor accepts it.
 */
export { mapText } from './map-text.ts';
export { detectLanguage } from './language.ts';
export { MappingLanguage, MappingResult, PassageKind, Suggestion, type MapOptions } from './schema.ts';
