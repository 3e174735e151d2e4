import { render } from '@testing-library/react';
import { ConfigProvider, theme as antdTheme } from 'antd';
import { precomputedAlgorithm, theme, TOKEN } from './theme';

/** The seed antd hands the algorithm: its default seed under our tokens (useToken's merge). */
const seed = Object.assign({}, antdTheme.defaultSeed, TOKEN);

describe('the precomputed antd theme', () => {
  it('is what antd computes for our seed (run with -u after changing TOKEN or upgrading antd)', async () => {
    const file = { seed: JSON.stringify(seed), map: antdTheme.defaultAlgorithm(seed) };
    await expect(`${JSON.stringify(file, null, 2)}\n`).toMatchFileSnapshot('./antdMapToken.json');
  });

  it('answers our seed without computing and any other seed by computing', () => {
    expect(precomputedAlgorithm(seed)).toEqual(antdTheme.defaultAlgorithm(seed));
    const other = { ...seed, colorPrimary: '#ff0000' };
    expect(precomputedAlgorithm(other)).toEqual(antdTheme.defaultAlgorithm(other));
    expect(precomputedAlgorithm(other).colorPrimary).toBe('#ff0000');
  });

  it("is what the app's ConfigProvider gets: antd's algorithm does not run", () => {
    const algorithm = vi.spyOn(antdTheme, 'defaultAlgorithm');
    let primary = '';
    function Probe() {
      primary = antdTheme.useToken().token.colorPrimary;
      return null;
    }
    render(
      <ConfigProvider theme={theme}>
        <Probe />
      </ConfigProvider>,
    );
    expect(primary).toBe(TOKEN.colorPrimary);
    expect(algorithm).not.toHaveBeenCalled();
    algorithm.mockRestore();
  });
});
