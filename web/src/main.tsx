import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { SessionProvider } from './app/session.tsx';
import { I18nProvider } from './i18n/index.tsx';
import './styles/base.css';
import './styles/frame.css';
import './styles/controls.css';
import './styles/components.css';
import './styles/jurisdictions.css';
import './styles/inbox.css';
import './styles/login.css';
import './styles/portal.css';
import './styles/command.css';
import './styles/worker.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <App />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
