import { FastColor } from '@ant-design/fast-color';

/** WCAG 2.1 AA's minimum contrast for body text (1.4.3). */
export const AA_TEXT = 4.5;

/** The WCAG contrast ratio of two colours, 1 (same) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [new FastColor(a).getLuminance(), new FastColor(b).getLuminance()].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/**
 * `color` made darker, step by step, until text in it reads at `ratio` on `background` (light):
 * an option's own colour on its own pale tint (antd's filled-tag look) is often 2:1 — green
 * #52c41a on its tint is 2.1:1. The hue stays, so the tag still says which option it is.
 */
export function readableOn(color: string, background: string, ratio = AA_TEXT): string {
  let shade = new FastColor(color);
  for (let step = 0; step < 20 && contrastRatio(shade.toHexString(), background) < ratio; step += 1) {
    shade = shade.darken(5);
  }
  return shade.toHexString();
}
