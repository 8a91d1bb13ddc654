/**
 * The smallest body that creates a case, as an editor posts it: a company named
 * by a register extract, claimed under Art. 1(1)(d)(iv), with no evidence yet.
 */
export function newCaseBody(id: string) {
  return {
    id,
    title: 'Proposed listing of Example Surveillance Ltd',
    language: 'en',
    submitted_by: ['Example Coalition'],
    target: {
      type: 'legal_person',
      names: [{ value: 'Example Surveillance Ltd', sources: [{ citation: 'Companies register extract of 1 March 2024', verified: true }] }],
    },
    claims: { criteria: ['art1.1.d.iv'], involvement: 'art3.1.b' },
  };
}
