import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RENDER_HEAP_MB } from '../src/render/render-memory.ts';
import type { BenchResult } from './mapper.ts';
import { writeScaleCase, type CaseSize } from './scale-case.ts';
import { runJsonChild } from './support/processes.ts';
import { median, round, table } from './support/stats.ts';

interface SizeFigures {
  renderMs: number[];
  loadedRssMb: number;
  maxRssMb: number;
  bytes: number;
  excerpts: number;
  sources: number;
  signatories: number;
}

export const FULL: CaseSize = { excerpts: 2000, sources: 200, signatories: 1000 };
const TENTH: CaseSize = { excerpts: 200, sources: 20, signatories: 100 };

export interface ScaleOptions {
  /** Timed renders per size (after one untimed); the median counts. */
  runs?: number;
}

/**
 * A generated case of 2,000 excerpts over 200 sources with 1,000 signatories,
 * and one a tenth of its size, each loaded and rendered in a child process of
 * its own whose heap has the budget of a render thread of the service
 * (RENDER_HEAP_MB's default): render time (case → model → PDF) and the
 * process's peak RSS.
 */
export async function benchScale(options: ScaleOptions = {}): Promise<BenchResult> {
  const runs = options.runs ?? 3;
  const dir = await mkdtemp(join(tmpdir(), 'dossier-bench-scale-'));
  try {
    const measure = async (size: CaseSize, name: string) => {
      const written = await writeScaleCase(join(dir, name), size, `scale-${name}`);
      // The heap a render thread of the service has: what a render may take there.
      return runJsonChild<SizeFigures>('bench/scale-render.ts', [written.sources, written.evidence, written.caseId, String(runs)], {}, [`--max-old-space-size=${DEFAULT_RENDER_HEAP_MB}`]);
    };
    const tenth = await measure(TENTH, 'tenth');
    const full = await measure(FULL, 'full');
    const tenthMs = median(tenth.renderMs);
    const fullMs = median(full.renderMs);
    const figures = {
      timeRatio10x: round(fullMs / tenthMs),
      peakRssMb: round(full.maxRssMb),
      fullMs: round(fullMs),
      tenthMs: round(tenthMs),
      fullLoadedRssMb: round(full.loadedRssMb),
      tenthPeakRssMb: round(tenth.maxRssMb),
      fullKib: Math.round(full.bytes / 1024),
      runs,
    };
    const row = (what: string, f: SizeFigures, ms: number) => [what, `${f.excerpts} / ${f.sources} / ${f.signatories}`, round(ms), Math.round(f.loadedRssMb), Math.round(f.maxRssMb), Math.round(f.bytes / 1024)];
    return {
      key: 'scale',
      figures,
      table: [
        `scale benchmark: generated cases (NSO grown with sources cut from real text), each rendered in a process of its own with a render thread's heap (${DEFAULT_RENDER_HEAP_MB} MB), median of ${runs}`,
        ...table(['case', 'excerpts / sources / signatories', 'render ms', 'RSS loaded MB', 'peak RSS MB', 'KiB'], [row('a tenth', tenth, tenthMs), row('full', full, fullMs)]),
        `  ten times the case takes ${figures.timeRatio10x}× as long (goal ≤ 12×); peak RSS ${Math.round(figures.peakRssMb)} MB (goal < 300 MB)`,
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
