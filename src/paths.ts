import { fileURLToPath } from 'node:url';

/** The folders the project ships, resolved from the code's own location so that any working directory works. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SEEDS_DIR = fileURLToPath(new URL('../seeds', import.meta.url));
export const EVIDENCE_DIR = fileURLToPath(new URL('../evidence', import.meta.url));
export const TEMPLATES_DIR = fileURLToPath(new URL('../templates', import.meta.url));
