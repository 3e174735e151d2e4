import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// antd's prebuilt styles (the theme is zero-runtime, see app/theme.ts), which `vite build` trims
// to the components the app can render (scripts/antd-css.mjs); our own after it
import 'antd/dist/antd.css';
import { Root } from './app/Root';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
