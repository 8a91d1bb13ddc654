import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ttf = (name: string) => require.resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`);

/**
 * DejaVu covers every character of the sources (é œ « » ’ – • and the no-break
 * space), and an embedded TrueType font is what PDF/A and any reader need.
 */
export const FONTS = {
  serif: ttf('DejaVuSerif'),
  serifItalic: ttf('DejaVuSerif-Italic'),
  sans: ttf('DejaVuSans'),
  sansBold: ttf('DejaVuSans-Bold'),
  sansOblique: ttf('DejaVuSans-Oblique'),
  mono: ttf('DejaVuSansMono'),
} as const;
export type FontName = keyof typeof FONTS;
