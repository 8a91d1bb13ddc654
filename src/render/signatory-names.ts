import { SIGNATORIES_STYLE } from './compose-dossier.ts';
import { missingGlyphs } from './pdf/fonts.ts';
import { STYLES } from './pdf/styles.ts';

/**
 * The characters of a signatory's name that the dossier's annex cannot print.
 * A signature in such a name would make every PDF of its case refuse to render
 * (UnprintableText), and only its partner could withdraw it: the name is
 * refused where it enters, when a partner's token is made and when it signs.
 */
export const unprintableInSignatoryName = (name: string): string[] => missingGlyphs(STYLES[SIGNATORIES_STYLE].font, name);
