import type { TextStyle } from '../blocks.ts';
import type { FontName } from './fonts.ts';

export interface Style {
  font: FontName;
  size: number;
  lineHeight: number;
  color: string;
}

export const STYLES: Record<TextStyle | 'heading1' | 'heading2' | 'quote' | 'caption' | 'footnote' | 'header' | 'toc1' | 'toc2' | 'fieldLabel', Style> = {
  body: { font: 'serif', size: 10, lineHeight: 14.5, color: '#111111' },
  legal: { font: 'serifItalic', size: 10, lineHeight: 14.5, color: '#111111' },
  note: { font: 'sansOblique', size: 8.5, lineHeight: 12, color: '#444444' },
  small: { font: 'sans', size: 8.5, lineHeight: 11.5, color: '#111111' },
  mono: { font: 'mono', size: 8, lineHeight: 14.5, color: '#111111' },
  title: { font: 'sansBold', size: 28, lineHeight: 36, color: '#111111' },
  subtitle: { font: 'sans', size: 13, lineHeight: 18, color: '#333333' },
  coverLabel: { font: 'sansBold', size: 8.5, lineHeight: 12, color: '#444444' },
  coverValue: { font: 'serif', size: 10, lineHeight: 14, color: '#111111' },
  heading1: { font: 'sansBold', size: 15, lineHeight: 20, color: '#1a1a1a' },
  heading2: { font: 'sansBold', size: 11, lineHeight: 15, color: '#1a1a1a' },
  quote: { font: 'serif', size: 10, lineHeight: 14.5, color: '#111111' },
  caption: { font: 'sansBold', size: 7.5, lineHeight: 11, color: '#555555' },
  footnote: { font: 'sans', size: 7, lineHeight: 9, color: '#333333' },
  header: { font: 'sans', size: 7.5, lineHeight: 10, color: '#666666' },
  toc1: { font: 'sansBold', size: 10.5, lineHeight: 18, color: '#111111' },
  toc2: { font: 'sans', size: 9.5, lineHeight: 15, color: '#222222' },
  fieldLabel: { font: 'sansBold', size: 8.5, lineHeight: 14.5, color: '#444444' },
};

/** A4 in points, with the margins of the text block. */
export const PAGE = {
  width: 595.28,
  height: 841.89,
  left: 68,
  right: 68,
  top: 80,
  bottom: 72,
  headerY: 42,
  footerY: 800,
} as const;
export const CONTENT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
export const CONTENT_BOTTOM = PAGE.height - PAGE.bottom;
