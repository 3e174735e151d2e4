import { useEffect } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { onUnauthenticated } from '../api/client';
import { isApiError } from '../api/errors';
import { useMe } from '../api/queries';
import { paths } from '../lib/paths';
import { FullPageSpinner } from '../shell/FullPageSpinner';
import { LoadError } from '../shell/LoadError';

export interface LoginState {
  expired?: boolean;
  signedOut?: boolean;
}

/** When any request answers 401 mid-session: sign in again (the login page forgets cached data), come back here. */
function useSessionExpiry(active: boolean) {
  const navigate = useNavigate();
  const location = useLocation();
  const here = location.pathname + location.search;
  useEffect(() => {
    if (!active) return undefined;
    return onUnauthenticated(() => {
      void navigate(paths.login(here), { replace: true, state: { expired: true } satisfies LoginState });
    });
  }, [active, here, navigate]);
}

/** Renders its routes only for a signed-in user; anyone else goes to the login page. */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  useSessionExpiry(me.isSuccess);
  if (me.isPending) return <FullPageSpinner />;
  if (me.isError) {
    if (isApiError(me.error) && me.error.isUnauthenticated) {
      return <Navigate to={paths.login(location.pathname + location.search)} replace />;
    }
    return <LoadError error={me.error} onRetry={() => void me.refetch()} />;
  }
  return <Outlet />;
}
