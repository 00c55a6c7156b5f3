/**
 * Charts out of the page: the Plot rendered in a host element as one standalone SVG (its colour
 * legend drawn into it, a white background, the namespace and a font stack with CJK fonts), and
 * that SVG as a PNG. Uses the DOM; no framework.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
/** The fonts a chart asks for: the reader's system UI font, then common CJK fonts. */
export const CHART_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';

function size(svg: SVGSVGElement): { w: number; h: number } {
  const vb = svg.viewBox?.baseVal;
  const w = Number(svg.getAttribute('width')) || vb?.width || svg.getBoundingClientRect().width || 640;
  const h = Number(svg.getAttribute('height')) || vb?.height || svg.getBoundingClientRect().height || 400;
  return { w, h };
}

/** A rough text width (CJK characters count double) for laying out legend entries. */
function textWidth(text: string, fontSize: number): number {
  let units = 0;
  for (const ch of text) units += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/.test(ch) ? 1 : 0.58;
  return units * fontSize;
}

/**
 * The chart in `host` (Plot's `<svg>`, or its `<figure>` with swatch and ramp legends) as one
 * standalone SVG string; null when the host holds no chart.
 */
export function standaloneSvg(host: Element): string | null {
  const root = host.querySelector(':scope > svg, :scope > figure');
  if (!root) return null;
  const doc = host.ownerDocument;
  const svgs = root.tagName.toLowerCase() === 'svg' ? [root as SVGSVGElement] : [...root.querySelectorAll('svg')].filter((s) => !s.parentElement?.closest('svg') && !s.closest('[class*="swatch"]')) as SVGSVGElement[];
  if (svgs.length === 0) return null;
  const swatches = root.tagName.toLowerCase() === 'figure'
    ? [...root.querySelectorAll('[class*="-swatch"]:not([class*="-swatches"])')].map((el) => {
        const sw = el.querySelector('svg');
        const fill = sw?.getAttribute('fill') || sw?.querySelector('[fill]')?.getAttribute('fill') || (sw ? getComputedStyle(sw).fill : '') || '#888';
        return { color: fill, label: (el.textContent ?? '').trim() };
      })
    : [];
  const width = Math.max(...svgs.map((s) => size(s).w));
  const out = doc.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  out.setAttribute('font-family', CHART_FONT);
  out.setAttribute('font-size', '11');
  const background = doc.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  out.append(background);
  let y = 0;
  // Swatch legends: a row of squares and labels, wrapped to the chart's width.
  if (swatches.length) {
    let x = 0;
    y = 4;
    for (const s of swatches) {
      const w = 14 + 5 + textWidth(s.label, 11) + 14;
      if (x > 0 && x + w > width) {
        x = 0;
        y += 18;
      }
      const rect = doc.createElementNS(SVG_NS, 'rect');
      rect.setAttribute('x', String(x));
      rect.setAttribute('y', String(y));
      rect.setAttribute('width', '12');
      rect.setAttribute('height', '12');
      rect.setAttribute('fill', s.color);
      const text = doc.createElementNS(SVG_NS, 'text');
      text.setAttribute('x', String(x + 17));
      text.setAttribute('y', String(y + 10));
      text.setAttribute('fill', '#333');
      text.textContent = s.label;
      out.append(rect, text);
      x += w;
    }
    y += 24;
  }
  for (const s of svgs) {
    const { w, h } = size(s);
    const copy = s.cloneNode(true) as SVGSVGElement;
    copy.removeAttribute('xmlns');
    copy.setAttribute('x', '0');
    copy.setAttribute('y', String(y));
    copy.setAttribute('width', String(w));
    copy.setAttribute('height', String(h));
    if (!copy.getAttribute('viewBox')) copy.setAttribute('viewBox', `0 0 ${w} ${h}`);
    copy.setAttribute('font-family', CHART_FONT);
    copy.style.removeProperty('max-width');
    // A tooltip left open by the pointer is not part of the chart.
    copy.querySelectorAll('[aria-label="tip"]').forEach((n) => n.remove());
    out.append(copy);
    y += h + 6;
  }
  const height = Math.ceil(y - 6);
  out.setAttribute('width', String(Math.ceil(width)));
  out.setAttribute('height', String(height));
  out.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${height}`);
  const text = new XMLSerializer().serializeToString(out);
  // XMLSerializer repeats the namespace on nested <svg>s; one on the root is enough.
  return text.replace(/(<svg\b[^>]*?)\s+xmlns="http:\/\/www\.w3\.org\/2000\/svg"(?=[^>]*>)/g, (m, head: string, offset: number) => (offset === 0 ? m : head));
}

/** The pixel size an SVG string declares. */
export function svgSize(svg: string): { width: number; height: number } {
  const w = /\bwidth="([\d.]+)"/.exec(svg);
  const h = /\bheight="([\d.]+)"/.exec(svg);
  return { width: w ? Number(w[1]) : 640, height: h ? Number(h[1]) : 400 };
}

/** The SVG drawn onto a canvas at `scale` × its size over white, as PNG bytes. */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const { width, height } = svgSize(svg);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = new Image();
    img.decoding = 'sync';
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the chart could not be drawn as an image'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A file name from a cell title: letters, digits (any script), - and _ kept; the rest becomes -. */
export function fileSlug(name: string, fallback = 'chart'): string {
  const slug = name.normalize('NFC').replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return slug || fallback;
}
