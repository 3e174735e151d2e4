import { startTransition, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// antd's prebuilt styles (the theme is zero-runtime, see app/theme.ts), which `vite build` trims
// to the components the app can render (scripts/antd-css.mjs); our own after it
import 'antd/dist/antd.css';
import { Root } from './app/Root';
import { hasFirstPaint } from './firstPaint/takeover/handOff';
import { createAppRouter } from './app/router';
import { loadLanguage } from './i18n/languages';
import { initialLocale } from './i18n/locale';
import './styles.css';
// a server-drawn first page (ADR 0009): its layout by width, and the app's root kept unseen under it until it takes over
import './firstPaint/render/page.css';
import './firstPaint/takeover/takeover.css';

// created first: the router starts loading the page's code (its lazy route) as it is created,
// so that runs while the language's chunk comes in, and the page may be ready for the first render
const router = createAppRouter();
const render = () => {
  const root = createRoot(document.getElementById('root')!);
  const app = (
    <StrictMode>
      <Root router={router} />
    </StrictMode>
  );
  // Under a page the server drew (ADR 0009) the person may already be typing into it: the app
  // renders there as a transition, in slices with the browser's input handled between them,
  // rather than as one ~200 ms task a keystroke waits behind (key delay p50 119 -> 29 ms on a
  // reload of the 200-field edit page, app ready within noise: docs/performance.md).
  if (hasFirstPaint()) startTransition(() => root.render(app));
  else root.render(app);
};
// the first render waits for the language's chunk (index.html's boot script has been fetching it
// with the shell); if it failed, I18nProvider asks for it again and shows the page once it is in
loadLanguage(initialLocale()).then(render, render);
