import { hash } from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
  // The one-shot form: no Hash object per call (tokens are hashed on every request).
  return hash('sha256', data, 'hex');
}
