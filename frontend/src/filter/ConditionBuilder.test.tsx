import { useState } from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import '../fields';
import { customerForm } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import { ConditionBuilder } from './ConditionBuilder';
import { EMPTY_FILTER, toExpression, type FilterModel } from './model';

function Harness({ onChange, initial = EMPTY_FILTER }: { onChange: (model: FilterModel) => void; initial?: FilterModel }) {
  const [value, setValue] = useState(initial);
  return (
    <ConditionBuilder
      fields={customerForm.fields}
      value={value}
      onChange={(next) => {
        setValue(next);
        onChange(next);
      }}
    />
  );
}

async function pick(container: HTMLElement, name: string, option: string) {
  fireEvent.mouseDown(within(container).getByRole('combobox', { name }));
  const choices = await screen.findAllByTitle(option);
  fireEvent.click(choices[choices.length - 1]);
}

describe('ConditionBuilder', () => {
  it('builds "level is Key account and revenue > 1000" as JsonLogic', async () => {
    const onChange = vi.fn();
    renderWithApp(<Harness onChange={onChange} />);
    expect(screen.getByText('No conditions: every record is shown.')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('filter-add'));
    let rows = screen.getAllByTestId('condition');
    await pick(rows[0], 'Field', 'Level');
    await pick(rows[0], 'Operator', 'equals');
    // the value is edited with the field's own editor: here the option list of a select
    fireEvent.mouseDown(within(within(rows[0]).getByTestId('condition-value')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('Key account'));

    await userEvent.click(screen.getByTestId('filter-add'));
    rows = screen.getAllByTestId('condition');
    await pick(rows[1], 'Field', 'Revenue');
    await pick(rows[1], 'Operator', 'greater than');
    fireEvent.change(within(rows[1]).getByRole('spinbutton'), { target: { value: '1000' } });

    await waitFor(() =>
      expect(toExpression(onChange.mock.lastCall![0] as FilterModel)).toEqual({
        and: [{ '==': [{ var: 'level' }, 'A'] }, { '>': [{ var: 'revenue' }, 1000] }],
      }),
    );
    // with two conditions, "all" can become "any"
    await pick(document.body, 'Match', 'any condition');
    await waitFor(() => expect((onChange.mock.lastCall![0] as FilterModel).match).toBe('or'));
  });

  it('hides the value for "is empty" and removes conditions', async () => {
    const onChange = vi.fn();
    renderWithApp(<Harness onChange={onChange} initial={{ match: 'and', conditions: [{ field: 'notes', op: 'is_empty' }] }} />);
    const row = screen.getByTestId('condition');
    expect(within(row).queryByTestId('condition-value')).not.toBeInTheDocument();
    await userEvent.click(within(row).getByRole('button', { name: 'Remove condition' }));
    expect(onChange).toHaveBeenLastCalledWith({ match: 'and', conditions: [] });
  });

  it('keeps percent values as fractions, as the API stores them', async () => {
    const onChange = vi.fn();
    renderWithApp(<Harness onChange={onChange} initial={{ match: 'and', conditions: [{ field: 'discount', op: '>=' }] }} />);
    fireEvent.change(within(screen.getByTestId('condition')).getByRole('spinbutton'), { target: { value: '15' } });
    await waitFor(() => expect(toExpression(onChange.mock.lastCall![0] as FilterModel)).toEqual({ '>=': [{ var: 'discount' }, 0.15] }));
  });
});
