/**
 * Colour arithmetic for checking a palette, not for drawing: WCAG 2 contrast ratios, how a
 * colour looks to people with the common colour-vision deficiencies (Machado, Oliveira and
 * Fernandes 2009, severity 1), and a perceptual distance (CIE76 ΔE in CIELAB). The style's
 * tests use them to prove that every link state reads against its background and that the
 * states stay apart for colour-blind users.
 */

export type Rgb = readonly [number, number, number];

/** `#rrggbb` (or `#rgb`) to 0–255 channels. */
export function parseHex(hex: string): Rgb {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new Error(`not a hex colour: ${hex}`);
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as unknown as Rgb;
}

const toLinear = (c: number): number => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};
const fromLinear = (l: number): number => {
  const c = Math.min(1, Math.max(0, l));
  return 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
};

/** WCAG 2 relative luminance. */
export function luminance(c: string | Rgb): number {
  const [r, g, b] = (typeof c === 'string' ? parseHex(c) : c).map(toLinear) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio, 1–21 (3 is the minimum for graphics and large text, 4.5 for text). */
export function contrast(a: string | Rgb, b: string | Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `fg` drawn with `alpha` over `bg`, as a canvas composites it. */
export function over(fg: string, alpha: number, bg: string): Rgb {
  const f = parseHex(fg);
  const b = parseHex(bg);
  return [0, 1, 2].map((i) => f[i]! * alpha + b[i]! * (1 - alpha)) as unknown as Rgb;
}

export type Deficiency = 'protanopia' | 'deuteranopia' | 'tritanopia';

/** Machado et al. 2009, severity 1.0, applied to linear RGB. */
const MACHADO: Record<Deficiency, readonly number[]> = {
  protanopia: [0.152286, 1.052583, -0.204868, 0.114503, 0.786281, 0.099216, -0.003882, -0.048116, 1.051998],
  deuteranopia: [0.367322, 0.860646, -0.227968, 0.280085, 0.672501, 0.047413, -0.01182, 0.04294, 0.968881],
  tritanopia: [1.255528, -0.076749, -0.178779, -0.078411, 0.930809, 0.147602, 0.004733, 0.691367, 0.3039],
};

/** How `c` looks with a colour-vision deficiency. */
export function simulate(c: string | Rgb, deficiency: Deficiency): Rgb {
  const [r, g, b] = (typeof c === 'string' ? parseHex(c) : c).map(toLinear) as [number, number, number];
  const m = MACHADO[deficiency];
  return [0, 1, 2].map((row) => fromLinear(m[row * 3]! * r + m[row * 3 + 1]! * g + m[row * 3 + 2]! * b)) as unknown as Rgb;
}

/** CIELAB (D65) of an sRGB colour. */
function lab(c: Rgb): [number, number, number] {
  const [r, g, b] = c.map(toLinear) as [number, number, number];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIE76 colour difference: about 2.3 is just noticeable, above ~20 two colours are clearly different. */
export function deltaE(a: string | Rgb, b: string | Rgb): number {
  const la = lab(typeof a === 'string' ? parseHex(a) : a);
  const lb = lab(typeof b === 'string' ? parseHex(b) : b);
  return Math.hypot(la[0] - lb[0], la[1] - lb[1], la[2] - lb[2]);
}
