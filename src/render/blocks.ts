import type { Language } from '../sources/manifest.ts';

/**
 * A dossier as a sequence of typed blocks: what to say, in which role. The
 * composer decides the blocks; a layout engine only places them on pages.
 */
export type TextStyle = 'body' | 'small' | 'legal' | 'note' | 'title' | 'subtitle' | 'coverLabel' | 'coverValue' | 'mono';

export type Block =
  | { type: 'heading'; level: 1 | 2; text: string; /** listed in the contents and the outline */ toc: boolean; /** named destination others link to */ anchor?: string }
  | { type: 'paragraph'; text: string; style: TextStyle; indent?: number; /** never last on a page */ keepWithNext?: boolean; /** when not the document's: the legal team's own words in their case's language */ lang?: Language }
  | { type: 'quote'; caption: string; text: string; lang: Language; footnote: string; /** destination of the footnote's link */ link?: string; note?: string; /** the note's language, when not the document's */ noteLang?: Language }
  | { type: 'fields'; rows: FieldRow[]; /** all rows on one page when they fit */ keepTogether?: boolean }
  | { type: 'list'; items: string[]; numbered: boolean; style: TextStyle }
  | { type: 'space'; height: number }
  | { type: 'pageBreak' };

export interface FieldRow {
  label: string;
  values: string[];
  /** Shown as an absent value ("not established"). */
  muted?: boolean;
  style?: TextStyle;
}

export interface DocumentMeta {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  lang: Language;
  /** ISO date of the dossier, used as the PDF's creation date. */
  date: string;
}

export interface ComposedDocument {
  meta: DocumentMeta;
  /** Files carried inside the PDF (PDF/A-3 associated files). */
  attachments: Array<{ name: string; description: string; mimeType: string; content: string }>;
  /** Running header, left and right. */
  header: [string, string];
  /** The footer's "Page X of Y" template. */
  pageLabel: (page: number, pages: number) => string;
  contentsTitle: string;
  /** Diagonal watermark across every page, when set. */
  watermark?: string;
  cover: Block[];
  body: Block[];
}
