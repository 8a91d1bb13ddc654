import { ProblemsError, type Problem } from '../../src/shared/problems.ts';

/** The problems a call raised; fails the test (by throwing) when it raised none or something else. */
export async function problemsOf(run: () => unknown): Promise<Problem[]> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ProblemsError) return error.problems;
    throw error;
  }
  throw new Error('expected a ProblemsError, but nothing was thrown');
}
