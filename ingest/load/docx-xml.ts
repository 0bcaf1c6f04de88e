/** @module Reading the parts of a .docx package: zip entries parsed as XML, WordprocessingML lookups. */
import path from 'node:path';
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import type { ZipPackage } from './zip-package.ts';

export type { XmlElement };

/** The WordprocessingML namespace (transitional OOXML: what Word, WPS and LibreOffice write). */
export const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const RELATIONSHIPS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** The root element of a zip entry, or undefined when the package has no such part. */
export async function readXml(zip: ZipPackage, partPath: string): Promise<XmlElement | undefined> {
  const xml = await zip.read(partPath);
  if (xml === undefined) return undefined;
  // Warnings (an unknown entity, a stray character) must not lose the document; real errors throw.
  const document = new DOMParser({ onError: (level, message) => {
    if (level === 'fatalError') throw new Error(`${partPath}: ${message}`);
  } }).parseFromString(xml, 'text/xml');
  return document.documentElement ?? undefined;
}

/** The element children of `element`, only the WordprocessingML ones named `localName` when given. */
export function childElements(element: XmlElement | undefined, localName?: string): XmlElement[] {
  if (!element) return [];
  const found: XmlElement[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType !== 1) continue;
    const child = node as XmlElement;
    if (localName === undefined || (child.localName === localName && child.namespaceURI === W_NS)) found.push(child);
  }
  return found;
}

/** A w:-namespaced attribute (w:val, w:ilvl…). */
export function wAttr(element: XmlElement | undefined, name: string): string | undefined {
  return element?.getAttributeNS(W_NS, name) || undefined;
}

/** The first w:`name` child's w:val: the shape of most paragraph and run properties. */
export function wVal(parent: XmlElement | undefined, name: string): string | undefined {
  return wAttr(childElements(parent, name)[0], 'val');
}

/** The targets of a part's relationships by type suffix (/styles, /numbering, /officeDocument). */
export async function relationshipTargets(zip: ZipPackage, relsPath: string, baseFolder: string): Promise<Map<string, string>> {
  const root = await readXml(zip, relsPath);
  const targets = new Map<string, string>();
  for (let node = root?.firstChild; node; node = node.nextSibling) {
    if (node.nodeType !== 1) continue;
    const relationship = node as XmlElement;
    if (relationship.namespaceURI !== RELATIONSHIPS_NS || relationship.getAttribute('TargetMode') === 'External') continue;
    const type = relationship.getAttribute('Type')?.split('/').pop();
    const target = relationship.getAttribute('Target');
    if (!type || !target || targets.has(type)) continue;
    targets.set(type, target.startsWith('/') ? target.slice(1) : path.posix.normalize(`${baseFolder}${target}`));
  }
  return targets;
}
