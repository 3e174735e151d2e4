import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// antd's prebuilt styles (the theme is zero-runtime, see app/theme.ts), which `vite build` trims
// to the components the app can render (scripts/antd-css.mjs); our own after it
import 'antd/dist/antd.css';
import { Root } from './app/Root';
import { loadLanguage } from './i18n/languages';
import { initialLocale } from './i18n/locale';
import './styles.css';

const render = () =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  );
// the first render waits for the language's chunk (index.html's boot script has been fetching it
// with the shell); if it failed, I18nProvider asks for it again and shows the page once it is in
loadLanguage(initialLocale()).then(render, render);
