import t from 'tap';
import type { ReviewKind, ReviewRecord } from '../../src/cases/repository.ts';
import { approvalBy, approvalsOf, reviewOpen } from '../../src/cases/reviews.ts';

let n = 0;
const review = (reviewer: string, tokenId: string, kind: ReviewKind = 'approve', revision = 2): ReviewRecord => ({
  id: `rev_${String(++n).padStart(16, '0')}`,
  caseId: 'nso-group',
  tokenId,
  reviewer,
  kind,
  excerptId: null,
  text: kind === 'approve' ? null : 'A text.',
  revision,
  createdAt: '2026-11-23T10:00:00.000Z',
});

t.test('approvals count once per reviewer, whatever tokens they used, for the current revision only', async (t) => {
  const reviews = [
    review('reviewer:Jane Doe', 'tok_aaaaaaaaaaaa'),
    review('reviewer:Jane Doe', 'tok_bbbbbbbbbbbb'),
    review('reviewer:JANE DOE', 'tok_cccccccccccc'),
    review('reviewer:Ali Reviewer', 'tok_dddddddddddd', 'comment'),
    review('reviewer:Ali Reviewer', 'tok_dddddddddddd', 'approve', 1),
  ];
  t.equal(approvalsOf(reviews, 2), 1, 'Jane, three tokens, one approval; Ali only commented on revision 2');
  t.equal(approvalsOf(reviews, 1), 1, 'Ali approved revision 1');
  t.equal(approvalsOf([...reviews, review('reviewer:tok_eeeeeeeeeeee', 'tok_eeeeeeeeeeee')], 2), 2, 'a token that names no one is a reviewer of its own');
  t.equal(approvalBy(reviews, 'reviewer:jane doe', 2)?.tokenId, 'tok_aaaaaaaaaaaa', 'her first approval, whichever token asks');
  t.equal(approvalBy(reviews, 'reviewer:Ali Reviewer', 2), undefined);
});

t.test('a draft takes comments; a case in review takes all three; an approved one comments and requests changes; a submitted one nothing', async (t) => {
  const open = (status: 'draft' | 'in_review' | 'approved' | 'submitted') => (['comment', 'approve', 'request_changes'] as const).filter((kind) => reviewOpen(kind, status));
  t.same(open('draft'), ['comment']);
  t.same(open('in_review'), ['comment', 'approve', 'request_changes']);
  t.same(open('approved'), ['comment', 'request_changes']);
  t.same(open('submitted'), []);
});
