/**
 * What the page templates' tests compare (page.test.tsx, publicPage.test.tsx): a page as one
 * layout shows it, and its outline.
 */

/** The page as one layout shows it: the other layout's wrappers gone, this one's unwrapped, no style element. */
export function shownAt(html: string, layout: 'desktop' | 'phone'): HTMLElement {
  const box = document.createElement('div');
  box.innerHTML = html;
  box.querySelectorAll('style').forEach((element) => element.remove());
  box.querySelectorAll(layout === 'desktop' ? '.fp-phone' : '.fp-desktop').forEach((element) => element.remove());
  box.querySelectorAll(layout === 'desktop' ? '.fp-desktop' : '.fp-phone').forEach((element) => element.replaceWith(...element.childNodes));
  box.normalize();
  return box;
}

/** Elements and text in order, without attributes: what the phone comparison holds to. */
export const outline = (node: Node): string =>
  node.nodeType === Node.TEXT_NODE ? (node.textContent ?? '') : `<${(node as Element).localName}>${[...node.childNodes].map(outline).join('')}</>`;
