/**
 * Renders that may wait for a free render thread, by default. Each waiting
 * render holds its dossier model in the service's memory, and a reviewer
 * waiting behind sixteen renders already waits several seconds: past that, a
 * request is turned away at once with a time to come back.
 */
export const DEFAULT_RENDER_QUEUE = 16;

/** Every render thread is busy and as many renders as the queue takes (RENDER_QUEUE) already wait for one. */
export class RenderQueueFull extends Error {
  constructor(limit: number) {
    super(`every render thread is busy and the queue of renders waiting for one is full (RENDER_QUEUE=${limit})`);
    this.name = 'RenderQueueFull';
  }
}
