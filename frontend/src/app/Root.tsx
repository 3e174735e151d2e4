import { useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router/dom';
import { I18nProvider } from '../i18n/I18nProvider';
import { AntdProvider } from './AntdProvider';
import { createQueryClient } from './queryClient';
import { createAppRouter } from './router';

export function Root() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createAppRouter);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <AntdProvider>
          <RouterProvider router={router} />
        </AntdProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
