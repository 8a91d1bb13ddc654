import type { Catalogue } from '../criteria/catalogue.ts';
import { isVerified, type CaseFile, type FactSource } from './case-file.ts';

/**
 * The proposed listing as FollowTheMoney entities, so that sanctions-data tools
 * (OpenSanctions, yente) can load it: the target as a Company, related entities
 * linked by Ownership (or UnknownLink where the sources establish no ownership),
 * and a Sanction with status "proposed". Only verified facts go out: the
 * entities carry no mark of a fact seen only in secondary material, which the
 * dossier prints as unverified, and a tool loading them would take it as established.
 */
export interface FtmEntity {
  id: string;
  schema: 'Company' | 'Ownership' | 'UnknownLink' | 'Sanction';
  properties: Record<string, string[]>;
}

const slug = (text: string) => text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export const SANCTION_PROGRAM = 'EU Global Human Rights Sanctions Regime';
export const SANCTION_AUTHORITY = 'Council of the European Union';

export function toFollowTheMoney(file: CaseFile, catalogue: Catalogue): FtmEntity[] {
  const { target } = file;
  const targetId = `${file.id}-target`;
  const values = (facts: Array<{ value: string; sources: FactSource[] }>) => facts.filter((f) => isVerified(f.sources)).map((f) => f.value);
  const names = values(target.names);
  const company: FtmEntity = {
    id: targetId,
    schema: 'Company',
    properties: Object.fromEntries(
      Object.entries({
        name: names.slice(0, 1),
        alias: [...names.slice(1), ...values(target.aliases)],
        legalForm: values(target.legal_form),
        incorporationDate: values(target.date_of_registration),
        registrationNumber: values(target.registration_number),
        address: values(target.place_of_business),
        topics: ['sanction.proposed'],
      }).filter(([, v]) => v.length > 0),
    ),
  };
  // Numbered in the case's order: names in another script slug to nothing, and two spellings can slug alike.
  const related = target.related_entities.flatMap((entity, i): FtmEntity[] => {
    if (!isVerified(entity.sources)) return [];
    const id = `${file.id}-related-${i + 1}-${slug(entity.name)}`.replace(/-$/, '');
    const node: FtmEntity = { id, schema: 'Company', properties: { name: [entity.name] } };
    const linkId = `${file.id}-link-${i + 1}-${slug(entity.name)}`.replace(/-$/, '');
    if (entity.link === 'associate') {
      return [node, { id: linkId, schema: 'UnknownLink', properties: { subject: [targetId], object: [id], role: [entity.relationship] } }];
    }
    const [owner, asset] = entity.link === 'owner' ? [id, targetId] : [targetId, id];
    return [node, { id: linkId, schema: 'Ownership', properties: { owner: [owner], asset: [asset], role: [entity.relationship] } }];
  });
  const decision = catalogue.act('dec-2020-1999');
  const sanction: FtmEntity = {
    id: `${file.id}-sanction`,
    schema: 'Sanction',
    properties: {
      entity: [targetId],
      authority: [SANCTION_AUTHORITY],
      program: [SANCTION_PROGRAM],
      status: ['proposed'],
      reason: [file.statement_of_reasons.map((p) => p.sentences.map((s) => s.text).join(' ')).join('\n\n')],
      provisions: [...catalogue.sort(file.claims.criteria), file.claims.involvement].map((id) => catalogue.get(id).citation.en),
      sourceUrl: [decision.eli],
    },
  };
  return [company, ...related, sanction];
}

/** One JSON entity per line, as FollowTheMoney tools read them. */
export function toJsonLines(entities: readonly FtmEntity[]): string {
  return entities.map((e) => JSON.stringify(e)).join('\n') + '\n';
}
