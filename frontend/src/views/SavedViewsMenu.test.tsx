import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch, reply } from '../test/fetchMock';
import { renderWithApp } from '../test/render';
import { useViews, type ViewItem } from './api';
import { SavedViewsMenu } from './SavedViewsMenu';

afterEach(() => vi.unstubAllGlobals());

const VIEWS = '/api/v1/apps/crm/forms/customer/views';
const board: ViewItem = { id: 'definition:board', key: 'board', source: 'definition', name: { en: 'Board', 'zh-CN': '看板' }, shared: true, readonly: true, editable: false, type: 'kanban', group_by: 'level' };
const mine: ViewItem = { id: 'v1', source: 'saved', name: 'Big ones', shared: false, readonly: false, editable: true, mine: true, type: 'table', sort: '-revenue' };
const theirs: ViewItem = { id: 'v2', source: 'saved', name: 'Team view', shared: true, readonly: false, editable: false, mine: false, type: 'table' };
const settings = { type: 'table' as const, columns: ['name'], sort: 'name', filter: { '==': [{ var: 'level' }, 'A'] } };

function renderMenu(current = '') {
  const onPick = vi.fn();
  const onSaved = vi.fn();
  renderWithApp(<SavedViewsMenu app="crm" form="customer" current={current} settings={settings} onPick={onPick} onSaved={onSaved} />);
  return { onPick, onSaved };
}

/** The menu drawn once the views are known, as on a list whose views came with the page. */
function renderLoadedMenu() {
  const onPick = vi.fn();
  function Loaded() {
    return useViews('crm', 'customer').data ? <SavedViewsMenu app="crm" form="customer" current="" settings={settings} onPick={onPick} onSaved={vi.fn()} /> : null;
  }
  renderWithApp(<Loaded />);
  return { onPick };
}

async function openMenu(item: 'view-save' | 'view-save-as' | 'view-rename' | 'view-delete') {
  await userEvent.click(screen.getByTestId('view-menu'));
  await userEvent.click(await screen.findByTestId(item));
}

describe('SavedViewsMenu', () => {
  it("offers the app's views, mine and shared ones, and opens the one picked", async () => {
    mockFetch({ [`GET ${VIEWS}`]: { items: [board, mine, theirs], can_share: false } });
    const { onPick } = renderMenu();
    fireEvent.mouseDown(await screen.findByRole('combobox', { name: 'View' }));
    expect(await screen.findByText('Views of the app')).toBeInTheDocument();
    expect(screen.getByText('My views')).toBeInTheDocument();
    expect(screen.getByText('Shared views')).toBeInTheDocument();
    fireEvent.click(await screen.findByTitle('Board'));
    expect(onPick).toHaveBeenCalledWith(board);
  });

  it('saves the list as a new view under a name', async () => {
    const { calls } = mockFetch({
      [`GET ${VIEWS}`]: { items: [], can_share: true },
      [`POST ${VIEWS}`]: ({ body }) => ({ ...mine, id: 'v9', name: (body as { name: string }).name }),
    });
    const { onSaved } = renderMenu();
    await openMenu('view-save-as');
    // the name dialog loads on first open
    await userEvent.click(await screen.findByTestId('view-save-submit', undefined, { timeout: 5000 }));
    expect(await screen.findByText('Give the view a name')).toBeInTheDocument();
    await userEvent.type(screen.getByTestId('view-name'), 'Tier A');
    await userEvent.click(screen.getByTestId('view-share'));
    await userEvent.click(screen.getByTestId('view-save-submit'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ id: 'v9', name: 'Tier A' })));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ ...settings, name: 'Tier A', shared: true });
  });

  it('saves over the open view, and deletes it with undo', async () => {
    const { calls } = mockFetch({
      [`GET ${VIEWS}`]: { items: [board, mine], can_share: false },
      [`PATCH ${VIEWS}/v1`]: { ...mine, ...settings },
      [`DELETE ${VIEWS}/v1`]: reply(204),
      [`POST ${VIEWS}`]: { ...mine, id: 'v3' },
    });
    const { onPick } = renderMenu('v1');
    expect(await screen.findByTitle('Big ones')).toBeInTheDocument();
    // the list's sort is not the view's any more
    expect(screen.getByTestId('view-modified')).toHaveTextContent('changed');
    await openMenu('view-save');
    expect(await screen.findByText('View "Big ones" saved')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual(settings);

    await openMenu('view-delete');
    expect(await screen.findByText('View "Big ones" deleted')).toBeInTheDocument();
    expect(onPick).toHaveBeenCalledWith(null);
    await userEvent.click(screen.getByTestId('undo-view-delete'));
    await waitFor(() => expect(onPick).toHaveBeenCalledWith(expect.objectContaining({ id: 'v3' })));
    // the undo posts the deleted view again, under its name
    expect(calls.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({ type: 'table', sort: '-revenue', name: 'Big ones', shared: false });
  });

  it("cannot save over or delete the app's own view", async () => {
    mockFetch({ [`GET ${VIEWS}`]: { items: [board], can_share: false } });
    renderMenu('definition:board');
    expect(await screen.findByTitle('Board')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('view-menu'));
    expect(await screen.findByTestId('view-save')).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByTestId('view-delete')).toHaveAttribute('aria-disabled', 'true');
  });

  it('renames the open view', async () => {
    const { calls } = mockFetch({
      [`GET ${VIEWS}`]: { items: [mine], can_share: false },
      [`PATCH ${VIEWS}/v1`]: ({ body }) => ({ ...mine, ...(body as object) }),
    });
    const { onSaved } = renderMenu('v1');
    expect(await screen.findByTitle('Big ones')).toBeInTheDocument();
    await openMenu('view-rename');
    const name = await screen.findByTestId('view-name');
    expect(name).toHaveValue('Big ones');
    await userEvent.clear(name);
    await userEvent.type(name, 'Biggest');
    await userEvent.click(screen.getByTestId('view-save-submit'));
    expect(await screen.findByText('View "Biggest" saved')).toBeInTheDocument();
    // only the name changes: the list's unsaved settings are not written, nor applied
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ name: 'Biggest' });
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('draws the picker without its Select until it is pressed, then opens the real one', async () => {
    mockFetch({ [`GET ${VIEWS}`]: { items: [board, mine], can_share: false } });
    const { onPick } = renderLoadedMenu();
    const sleeping = await screen.findByRole('combobox', { name: 'View' });
    expect(screen.getByTestId('view-select')).toHaveTextContent('All records');
    expect(sleeping).toHaveAttribute('aria-expanded', 'false');
    fireEvent.mouseDown(sleeping);
    expect(await screen.findByText('Views of the app')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'View' })).toHaveFocus();
    // the press that woke it does not count as one outside it: it stays open
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.getByRole('combobox', { name: 'View' })).toHaveAttribute('aria-expanded', 'true');
    fireEvent.click(await screen.findByTitle('Board'));
    expect(onPick).toHaveBeenCalledWith(board);
  });

  it('gives the real Select the focus when the keyboard reaches the picker', async () => {
    mockFetch({ [`GET ${VIEWS}`]: { items: [board], can_share: false } });
    renderLoadedMenu();
    await screen.findByRole('combobox', { name: 'View' });
    await userEvent.tab();
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'View' })).toHaveFocus());
    expect(screen.queryByText('Views of the app')).not.toBeInTheDocument();
  });
});
