/** DOM checks shared by the HTML export tests (linkedom). */
import { parseHTML } from 'linkedom';

export const CHARTS = ['gauge', 'cumulative', 'daily', 'models'] as const;

/** The slice of the DOM the checks use (the project compiles without the DOM lib). */
export interface El {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El> & Iterable<El>;
}

export interface Doc extends El {
  body: El;
}

/** Parses an HTML document string. */
export function parseDocument(html: string): Doc {
  return parseHTML(html).document as unknown as Doc;
}

const URL_ATTRS = [
  'src',
  'href',
  'xlink:href',
  'srcset',
  'action',
  'formaction',
  'poster',
  'data',
  'background',
  'ping',
];

/**
 * Everything in the page that could make a browser fetch: URL attributes that are not local
 * fragments or data: URIs, `@import` and `url(...)` in CSS, script elements, iframes, objects.
 */
export function externalReferences(doc: Doc, html: string): string[] {
  const found: string[] = [];
  for (const el of Array.from(doc.querySelectorAll('*'))) {
    for (const attr of URL_ATTRS) {
      const v = el.getAttribute(attr);
      if (v !== null && !v.startsWith('#') && !v.startsWith('data:'))
        found.push(`${el.tagName.toLowerCase()}[${attr}=${v}]`);
    }
    const style = el.getAttribute('style');
    if (style !== null && /url\(|@import/i.test(style)) found.push(`${el.tagName.toLowerCase()}[style]`);
  }
  for (const tag of ['script', 'iframe', 'object', 'embed', 'link', 'img', 'audio', 'video', 'source', 'base']) {
    if (doc.querySelectorAll(tag).length > 0) found.push(`<${tag}>`);
  }
  const css = Array.from(doc.querySelectorAll('style'))
    .map((s) => s.textContent ?? '')
    .join('\n');
  if (/@import/i.test(css)) found.push('@import');
  if (/url\s*\(/i.test(css)) found.push('url(');
  if (/@font-face/i.test(css)) found.push('@font-face');
  if (/(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i.test(html)) found.push('remote URL in markup');
  return found;
}
