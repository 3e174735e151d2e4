import { useParams } from 'react-router';
import { useCurrentForm } from '../shell/appContext';

/** The app, form and record id a record page works on, from the URL. */
export function useFormPage() {
  const { app, form } = useCurrentForm();
  const id = useParams().id ?? '';
  return { app, form, id };
}
