// Find a jurisdiction by name (Chinese or English) or code; choosing one selects it in the browser.
import { useEffect, useState } from 'react';
import * as jurisdictions from '../api/jurisdictions.ts';
import type { JurisdictionNode } from '../api/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { LevelTag } from './Flags.tsx';
import { PlaceName } from './PlaceName.tsx';
import { useAsync } from './useAsync.ts';

export function JurisdictionSearch({ onPick }: { onPick(node: JurisdictionNode): void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const found = useAsync(async (signal) => (q ? jurisdictions.search(q, signal) : null), [q]);
  return (
    <div className="jsearch">
      <input
        type="search"
        className="input"
        placeholder={t('j.search')}
        aria-label={t('j.search')}
        value={text}
        maxLength={50}
        onChange={(e) => setText(e.target.value)}
        data-testid="jsearch"
      />
      {found.error != null && <ErrorNote error={found.error} />}
      {found.data && (
        <ul className="jsearch-results" data-testid="jsearch-results">
          {found.data.length === 0 && <li className="muted">{t('j.searchNone')}</li>}
          {found.data.map((n) => (
            <li key={n.code}>
              <button
                type="button"
                onClick={() => {
                  onPick(n);
                  setText('');
                }}
                data-testid={`jsearch-${n.code}`}
              >
                <PlaceName name={n.name} nameEn={n.nameEn} /> <LevelTag node={n} compact /> <code className="code">{n.code}</code>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
