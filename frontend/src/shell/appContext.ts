import { useOutletContext, useParams } from 'react-router';
import type { AppDetail, FormDef } from '../api/types';
import type { DeleteRecords } from '../records/useDeleteWithUndo';

export interface AppContextValue {
  app: AppDetail;
  deleteRecords: DeleteRecords;
}

/** Deletes records of the current app with an "Undo" message (see useDeleteWithUndo). */
export function useDeleteRecords(): DeleteRecords {
  return useOutletContext<AppContextValue>().deleteRecords;
}

/** The current app's detail, loaded once by AppLayout for every page under it. */
export function useCurrentApp(): AppDetail {
  return useOutletContext<AppContextValue>().app;
}

/** The form named in the URL, or undefined when the app has no such form. */
export function useCurrentForm(): { app: AppDetail; form: FormDef | undefined } {
  const app = useCurrentApp();
  const key = useParams().form;
  return { app, form: app.definition.forms.find((form) => form.key === key) };
}
