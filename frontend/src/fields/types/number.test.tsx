import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fieldBox, l, renderFields, saveAndRead } from './fieldTestKit';

/** The editor of a field: its look-alike is pressed, then the real InputNumber has the focus. */
async function numberInput(key: string): Promise<HTMLInputElement> {
  const box = within(fieldBox(key)).getByRole('spinbutton');
  fireEvent.mouseDown(box);
  fireEvent.focus(box);
  return (await within(fieldBox(key)).findByRole('spinbutton')) as HTMLInputElement;
}

describe('percent fields', () => {
  // The CRM's price rate: stored as a fraction from 0 to 1 with 4 places ("90% means 10% off").
  const rate = { key: 'rate', type: 'percent', label: l('Price rate', '折扣率'), min: 0, max: 1, precision: 4 };

  // 90 typed is 90 % (limits given as fractions: 0..1 is 0..100 %); 150 % still stops at the limit
  it.each([
    ['90', '90.00', 0.9],
    ['150', '100.00', 1],
  ])('takes %s typed as a percent: shows %s, sends %s', async (typed, shown, sent) => {
    const { onSubmit } = renderFields([rate]);
    const input = await numberInput('rate');
    await userEvent.type(input, typed);
    fireEvent.blur(input);
    expect(input.value).toBe(shown);
    expect(await saveAndRead(onSubmit)).toEqual({ rate: sent });
  });

  it('shows the places of the percent: a fraction kept to 2 places is a whole percent', async () => {
    renderFields([{ ...rate, key: 'win', precision: 2 }], { record: { _id: 'r1', _version: 1, win: 0.35 } });
    expect(screen.getByDisplayValue('35')).toBeInTheDocument();
  });
});
