// 1,500 random expressions over random records (engines/rules/conformance/random_cases.json,
// results recorded from the Python evaluator): the browser module must give the same.
import randomCases from '../../../engines/rules/conformance/random_cases.json';

import { evaluate } from './index';

describe('random cases recorded from Python', () => {
  it('all agree', () => {
    const differ: string[] = [];
    for (const { expr, data, expected } of randomCases.cases as {
      expr: unknown;
      data: unknown;
      expected: unknown;
    }[]) {
      const got = evaluate(expr, data, { now: randomCases.clock });
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        differ.push(`${JSON.stringify(expr)} on ${JSON.stringify(data)}: ` +
          `python ${JSON.stringify(expected)}, browser ${JSON.stringify(got)}`);
      }
    }
    expect(differ).toEqual([]);
  });
});
