// 统一身份认证: username + password; problem+json detail on failure; demo accounts when offered.
import { useEffect, useState, type FormEvent } from 'react';
import * as auth from '../api/auth.ts';
import type { DemoAccount } from '../api/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx';
import { useSession } from './session.tsx';

function DemoAccounts({ onPick }: { onPick(a: DemoAccount): void }) {
  const { t, locale, label } = useI18n();
  const [list, setList] = useState<DemoAccount[]>([]);
  useEffect(() => {
    let live = true;
    auth.demoAccounts().then((l) => live && setList(l));
    return () => {
      live = false;
    };
  }, []);
  if (list.length === 0) return null;
  return (
    <section className="demo-accounts" data-testid="demo-accounts" aria-label={t('login.demo.title')}>
      <h2>{t('login.demo.title')}</h2>
      <p className="hint">{t('login.demo.hint')}</p>
      <ul>
        {list.map((a) => (
          <li key={a.username}>
            <button type="button" onClick={() => onPick(a)} data-testid={`demo-account-${a.username}`}>
              <span className="demo-name">{a.displayName ?? a.username}</span>
              <code className="code">{a.username}</code>
              <span className="demo-meta">
                {(locale === 'en' ? a.descriptionEn : a.description) ||
                  [(a.roles ?? []).map((r) => label('role', r)).join(' / '), a.scopeName, a.departmentName].filter(Boolean).join(' · ')}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** After a successful login the session changes and App redirects to the fitting area. */
export function LoginPage() {
  const { t } = useI18n();
  const { signedIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!username.trim() || !password) {
      setError(new Error(t('login.required')));
      return;
    }
    setBusy(true);
    try {
      signedIn(await auth.login(username.trim(), password));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const pick = (a: DemoAccount) => {
    setUsername(a.username);
    if (a.password) setPassword(a.password);
    setError(null);
  };

  return (
    <div className="login-page" data-testid="login-page">
      <header className="login-top">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true">
            一网
          </span>
          <span className="brand-text">
            <span className="brand-area">{t('app.fullName')}</span>
            <span className="brand-sub">{t('app.tagline')}</span>
          </span>
        </span>
        <LanguageSwitch />
      </header>
      <main className="login-main">
        <section className="login-intro">
          <h1>{t('app.fullName')}</h1>
          <dl>
            <div>
              <dt>{t('login.intro.services')}</dt>
              <dd>{t('login.intro.servicesText')}</dd>
            </div>
            <div>
              <dt>{t('login.intro.operations')}</dt>
              <dd>{t('login.intro.operationsText')}</dd>
            </div>
          </dl>
          <p>{t('login.intro.spine')}</p>
        </section>
        <div className="login-side">
          <form className="login-card" onSubmit={submit} noValidate data-testid="login-form">
            <h2>{t('login.title')}</h2>
            <p className="hint">{t('login.subtitle')}</p>
            <label className="field">
              <span>{t('login.username')}</span>
              <input
                className="input"
                name="username"
                autoComplete="username"
                autoFocus
                placeholder={t('login.usernamePlaceholder')}
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                data-testid="login-username"
              />
            </label>
            <label className="field">
              <span>{t('login.password')}</span>
              <input
                className="input"
                name="password"
                type="password"
                autoComplete="current-password"
                placeholder={t('login.passwordPlaceholder')}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                data-testid="login-password"
              />
            </label>
            {error != null && <ErrorNote error={error} title={t('login.failed')} testId="login-error" />}
            <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="login-submit">
              {busy ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
          <DemoAccounts onPick={pick} />
        </div>
      </main>
      <footer className="login-footer">{t('login.footer')}</footer>
    </div>
  );
}
