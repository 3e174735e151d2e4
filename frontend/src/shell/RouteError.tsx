import { isRouteErrorResponse, useRouteError } from 'react-router';
import { LoadError } from './LoadError';
import { NotFoundPage } from './NotFoundPage';

/** Shown when a route fails to render or its code fails to load (e.g. after a redeploy). */
export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return <LoadError error={error} onRetry={() => window.location.reload()} />;
}
