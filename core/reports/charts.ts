/**
 * Two small SVG bar charts built as plain strings (no browser): dollar exposure by factor and
 * stress P&L by scenario. Horizontal bars around a zero axis; negatives red, positives green.
 */
export interface Bar {
  label: string;
  value: number;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function compactUsd(x: number): string {
  const a = Math.abs(x);
  const s = a >= 1e6 ? `${(a / 1e6).toFixed(2)}M` : a >= 1e3 ? `${(a / 1e3).toFixed(1)}k` : a.toFixed(0);
  return `${x < 0 ? '−' : ''}$${s}`;
}

/** Horizontal bar chart of signed USD values, one row per bar, with a title and a zero axis. */
export function barChartSvg(title: string, bars: readonly Bar[]): string {
  const row = 22, labelW = 210, plotW = 360, valueW = 80, top = 36;
  const width = labelW + plotW + valueW;
  const height = top + Math.max(bars.length, 1) * row + 12;
  const max = Math.max(...bars.map((b) => Math.abs(b.value)), 1);
  const hasNeg = bars.some((b) => b.value < 0);
  const hasPos = bars.some((b) => b.value > 0);
  const zero = labelW + (hasNeg && hasPos ? plotW / 2 : hasNeg ? plotW : 0);
  const scale = (hasNeg && hasPos ? plotW / 2 : plotW) / max;
  const rows = bars.map((b, i) => {
    const y = top + i * row;
    const w = Math.abs(b.value) * scale;
    const x = b.value < 0 ? zero - w : zero;
    return [
      `<text x="${labelW - 6}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text>`,
      `<rect x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${row - 8}" fill="${b.value < 0 ? '#c0392b' : '#27ae60'}"/>`,
      `<text x="${labelW + plotW + 6}" y="${y + 15}">${esc(compactUsd(b.value))}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<text x="8" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`,
    ...rows,
    `<line x1="${zero}" y1="${top - 4}" x2="${zero}" y2="${height - 8}" stroke="#555"/>`,
    bars.length ? '' : `<text x="${labelW}" y="${top + 15}">no data</text>`,
    '</svg>',
  ].join('\n');
}
