import { contrastRatio, readableOn } from './contrast';

describe('contrast', () => {
  it('measures as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#8c8c8c', '#ffffff')).toBeCloseTo(3.36, 2);
    expect(contrastRatio('#ffffff', '#8c8c8c')).toBeCloseTo(3.36, 2);
  });

  it('darkens a pale colour until it reads at 4.5:1 on its tint, and leaves a dark one', () => {
    const green = readableOn('#52c41a', '#effce8');
    expect(contrastRatio(green, '#effce8')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#52c41a', '#effce8')).toBeLessThan(4.5);
    expect(readableOn('#1d39c4', '#ffffff')).toBe('#1d39c4');
  });
});
