/**
 * A minimal DOM, enough for Plot.plot to build its SVG in Node: elements with attributes,
 * children, styles and text; querySelector for tag names; a canvas stub for colour ramps.
 * (The same as the one inside test/unit/plots/chart-plot.test.ts, shared for other plot tests.)
 */
import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';

export class FakeNode {
  childNodes: FakeNode[] = [];
  parentNode: FakeNode | null = null;
  attributes = new Map<string, string>();
  style: Record<string, unknown> & { setProperty(k: string, v: string): void; removeProperty(k: string): void };
  private text = '';
  constructor(
    public ownerDocument: FakeDocument,
    public tagName: string,
    public namespaceURI: string | null,
    public nodeType = 1,
  ) {
    const style: Record<string, unknown> = {};
    this.style = Object.assign(style, {
      setProperty: (k: string, v: string) => void (style[k] = v),
      removeProperty: (k: string) => void delete style[k],
      getPropertyValue: (k: string) => style[k] ?? '',
    });
  }
  get nodeName() {
    return this.tagName.toUpperCase();
  }
  get localName() {
    return this.tagName;
  }
  get firstChild(): FakeNode | null {
    return this.childNodes[0] ?? null;
  }
  get lastChild(): FakeNode | null {
    return this.childNodes[this.childNodes.length - 1] ?? null;
  }
  get children(): FakeNode[] {
    return this.childNodes.filter((c) => c.nodeType === 1);
  }
  get firstElementChild(): FakeNode | null {
    return this.children[0] ?? null;
  }
  get nextSibling(): FakeNode | null {
    const s = this.parentNode?.childNodes;
    return s ? (s[s.indexOf(this) + 1] ?? null) : null;
  }
  get textContent(): string {
    return this.nodeType === 3 ? this.text : this.text + this.childNodes.map((c) => c.textContent).join('');
  }
  set textContent(v: string) {
    this.childNodes = [];
    this.text = v ?? '';
  }
  get ownerSVGElement(): FakeNode | null {
    let n = this.parentNode;
    while (n && n.tagName !== 'svg') n = n.parentNode;
    return n;
  }
  appendChild(c: FakeNode) {
    return this.insertBefore(c, null);
  }
  append(...cs: (FakeNode | string)[]) {
    for (const c of cs) this.appendChild(typeof c === 'string' ? this.ownerDocument.createTextNode(c) : c);
  }
  insertBefore(c: FakeNode, ref: FakeNode | null) {
    if (c.nodeType === 11) {
      for (const k of [...c.childNodes]) this.insertBefore(k, ref);
      return c;
    }
    c.parentNode?.removeChild(c);
    const i = ref ? this.childNodes.indexOf(ref) : -1;
    if (i < 0) this.childNodes.push(c);
    else this.childNodes.splice(i, 0, c);
    c.parentNode = this;
    return c;
  }
  removeChild(c: FakeNode) {
    this.childNodes = this.childNodes.filter((k) => k !== c);
    c.parentNode = null;
    return c;
  }
  remove() {
    this.parentNode?.removeChild(this);
  }
  setAttribute(k: string, v: unknown) {
    this.attributes.set(k, String(v));
  }
  setAttributeNS(_ns: string | null, k: string, v: unknown) {
    this.setAttribute(k, v);
  }
  getAttribute(k: string) {
    return this.attributes.get(k) ?? null;
  }
  hasAttribute(k: string) {
    return this.attributes.has(k);
  }
  removeAttribute(k: string) {
    this.attributes.delete(k);
  }
  removeAttributeNS(_ns: string | null, k: string) {
    this.attributes.delete(k);
  }
  addEventListener() {}
  removeEventListener() {}
  dispatchEvent() {
    return true;
  }
  cloneNode(deep = false): FakeNode {
    const n = new FakeNode(this.ownerDocument, this.tagName, this.namespaceURI, this.nodeType);
    n.attributes = new Map(this.attributes);
    n.text = this.text;
    if (deep) for (const c of this.childNodes) n.appendChild(c.cloneNode(true));
    return n;
  }
  querySelectorAll(selector: string): FakeNode[] {
    const tags = selector.split(',').map((s) => s.trim());
    const out: FakeNode[] = [];
    const walk = (n: FakeNode) => {
      for (const c of n.children) {
        if (tags.includes('*') || tags.includes(c.tagName)) out.push(c);
        walk(c);
      }
    };
    walk(this);
    return out;
  }
  querySelector(selector: string) {
    return this.querySelectorAll(selector)[0] ?? null;
  }
  getContext() {
    return new Proxy({}, { get: () => () => undefined, set: () => true });
  }
  toDataURL() {
    return 'data:,';
  }
  getBBox() {
    return { x: 0, y: 0, width: 0, height: 0 };
  }
  /** Serialises to markup (enough to check what was drawn). */
  get outerHTML(): string {
    if (this.nodeType === 3) return this.text;
    const attrs = [...this.attributes].map(([k, v]) => ` ${k}="${v}"`).join('');
    return `<${this.tagName}${attrs}>${this.text}${this.childNodes.map((c) => c.outerHTML).join('')}</${this.tagName}>`;
  }
}

export class FakeDocument {
  documentElement: FakeNode;
  defaultView = { Event: class {}, getComputedStyle: () => ({ getPropertyValue: () => '' }) };
  constructor() {
    this.documentElement = new FakeNode(this, 'html', 'http://www.w3.org/1999/xhtml');
  }
  createElementNS(ns: string, tag: string) {
    return new FakeNode(this, tag, ns);
  }
  createElement(tag: string) {
    return new FakeNode(this, tag, 'http://www.w3.org/1999/xhtml');
  }
  createTextNode(text: string) {
    const n = new FakeNode(this, '#text', null, 3);
    n.textContent = text;
    return n;
  }
  createDocumentFragment() {
    return new FakeNode(this, '#fragment', null, 11);
  }
  querySelector() {
    return null;
  }
}

/** Renders Plot options on the fake DOM. */
export function renderPlot(o: PlotOptions): FakeNode {
  return Plot.plot({ ...o, document: new FakeDocument() as unknown as Document }) as unknown as FakeNode;
}

/** The number of elements with a tag name under a node. */
export function countTags(n: FakeNode, tag: string): number {
  return n.querySelectorAll(tag).length;
}
