import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getCase } from '../../cases/cases.ts';
import { IdempotencyKey, listSignatures, sign, signerKey, SignRequest, withdrawSignature } from '../../cases/signatures.ts';
import { CaseId } from '../../evidence/case-file.ts';
import { actorOf } from '../../http/plugins/auth.ts';
import { casePaths } from '../case-view.ts';
import { textOf, WEB_PREFIX, type WebContext } from '../context.ts';
import { field, fieldErrors, formBody, noErrors, optional, refusal, type FormBody, type FormErrors } from '../forms.ts';
import { forbiddenPage, renderPage, type PageOptions } from '../render.ts';
import { needs } from '../session.ts';

/** The form's field for each part of a signing request. */
const SIGN_FIELDS: Record<string, string> = { name: 'signatory_name', role: 'signatory_role', comment: 'comment' };

export async function signatureRoutes(parent: FastifyInstance, ctx: WebContext): Promise<void> {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { cases } = ctx.deps;
  const partners = needs(forbiddenPage(ctx), 'partner');
  const CaseParams = z.object({ id: CaseId });

  /** The public list; a partner also sees its own signature with a withdraw button, or the form to sign. */
  async function signaturesPage(request: FastifyRequest, reply: FastifyReply, caseId: string, errors: FormErrors = noErrors(), values: FormBody = {}, status = 200) {
    const text = textOf(ctx, request);
    const record = await getCase(cases, caseId);
    const signatures = await listSignatures(cases, caseId);
    const principal = request.webSession?.principal;
    const partner = principal?.role === 'partner' ? principal : undefined;
    const signer = partner?.organisation ? signerKey('organisation', partner.organisation) : partner?.person ? signerKey('expert', partner.person) : undefined;
    const paths = casePaths(caseId);
    const rows = signatures.map((s) => ({
      ...s,
      categoryLabel: text.t(`signatures.category.${s.category}`),
      mine: signer !== undefined && signerKey(s.category, s.name) === signer,
      withdrawAction: `${paths.signatures}/${s.id}/withdraw`,
    }));
    // Editors and reviewers reach this page from the case; partners from the list of cases; anyone from a shared link.
    const readsEvidence = principal?.role === 'editor' || principal?.role === 'reviewer';
    const crumbs: NonNullable<PageOptions['breadcrumbs']> = principal ? [{ href: WEB_PREFIX, label: text.t('cases.title') }] : [];
    if (readsEvidence) crumbs.push({ href: paths.case, label: record.file.title, lang: record.file.language });
    return renderPage(ctx, request, reply, 'signatures.hbs', { title: text.t('signatures.title', { case: record.file.title }), path: paths.signatures, status, breadcrumbs: crumbs }, {
      case: { id: caseId, title: record.file.title, language: record.file.language, submitted: record.file.status === 'submitted', approved: record.file.status === 'approved' },
      nav: readsEvidence ? { current: 'signatures', paths } : undefined,
      signatures: rows,
      organisations: rows.filter((r) => r.category === 'organisation').length,
      experts: rows.filter((r) => r.category === 'expert').length,
      partner: partner
        ? {
            name: partner.organisation ?? partner.person,
            // An organisation signs through a person; an independent expert signs in their own name.
            category: partner.organisation ? 'organisation' : 'expert',
            signature: rows.find((r) => r.mine),
          }
        : undefined,
      signedIn: principal !== undefined,
      signAction: paths.signatures,
      // One key per form shown: sending the same form twice signs once (the rules answer the second with the first).
      idempotencyKey: field(values, 'idempotency_key') || `web-${randomBytes(16).toString('hex')}`,
      values: { name: field(values, SIGN_FIELDS.name!), role: field(values, SIGN_FIELDS.role!), comment: field(values, SIGN_FIELDS.comment!) },
      errors,
    });
  }

  app.get('/cases/:id/signatures', { schema: { params: CaseParams } }, async (request, reply) => signaturesPage(request, reply, request.params.id));

  app.post('/cases/:id/signatures', { schema: { params: CaseParams }, preHandler: [app.csrfProtection, partners] }, async (request, reply) => {
    const text = textOf(ctx, request);
    const { id } = request.params;
    const body = formBody(request.body);
    const parsed = SignRequest.safeParse({
      signatory: { name: field(body, SIGN_FIELDS.name!), role: field(body, SIGN_FIELDS.role!) },
      comment: optional(field(body, SIGN_FIELDS.comment!)),
    });
    const key = IdempotencyKey.safeParse(field(body, 'idempotency_key'));
    if (!parsed.success) return signaturesPage(request, reply, id, fieldErrors(parsed.error, text, (path) => SIGN_FIELDS[String(path.at(-1))] ?? 'form'), body, 422);
    // The form shown again with what the partner wrote, and a new key (this one cannot be sent again).
    if (!key.success) return signaturesPage(request, reply, id, { fields: {}, form: [{ message: text.t('errors.field.invalid') }] }, { ...body, idempotency_key: undefined }, 422);
    try {
      await sign(cases, id, actorOf(request), parsed.data, key.data);
    } catch (error) {
      const refused = refusal(error, text);
      if (!refused) throw error;
      return signaturesPage(request, reply, id, refused.errors, body, refused.status);
    }
    return reply.redirect(`${casePaths(id).signatures}?notice=signed`, 303);
  });

  app.post('/cases/:id/signatures/:signatureId/withdraw', {
    schema: { params: z.object({ id: CaseId, signatureId: z.string().regex(/^sig_[0-9a-f]{16}$/) }) },
    preHandler: [app.csrfProtection, partners],
  }, async (request, reply) => {
    const text = textOf(ctx, request);
    const { id, signatureId } = request.params;
    try {
      await withdrawSignature(cases, id, actorOf(request), signatureId);
    } catch (error) {
      const refused = refusal(error, text);
      if (!refused) throw error;
      return signaturesPage(request, reply, id, refused.errors, {}, refused.status);
    }
    return reply.redirect(`${casePaths(id).signatures}?notice=withdrawn`, 303);
  });
}
