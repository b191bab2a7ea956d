// The part of opentype.js 2 that outlines.ts uses (the package ships no types).
declare module 'opentype.js' {
  export interface PathCommand { type: 'M' | 'L' | 'Q' | 'C' | 'Z'; x?: number; y?: number; x1?: number; y1?: number; x2?: number; y2?: number }
  export interface Path { commands: PathCommand[]; toPathData(decimals?: number): string }
  export interface Glyph { index: number; advanceWidth?: number; getPath(x: number, y: number, fontSize: number): Path }
  export interface Font {
    unitsPerEm: number;
    charToGlyph(c: string): Glyph;
    getKerningValue(left: Glyph, right: Glyph): number;
  }
  const opentype: { parse(buffer: ArrayBuffer, options?: { lowMemory?: boolean }): Font };
  export default opentype;
}
