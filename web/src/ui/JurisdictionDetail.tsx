import type { JurisdictionDetail as Detail, JurisdictionNode } from '../api/types.ts';
import { Link } from '../app/router.tsx';
import { useI18n } from '../i18n/index.tsx';
import { JurisdictionFlags, LevelTag } from './Flags.tsx';
import { PlaceName } from './PlaceName.tsx';

/** Ancestors (city first) then the node itself, each ancestor a link. */
export function Breadcrumb({ ancestors, node, hrefOf }: { ancestors: JurisdictionNode[]; node: JurisdictionNode; hrefOf?: (code: string) => string }) {
  const { t } = useI18n();
  return (
    <nav aria-label={t('j.breadcrumb')} className="breadcrumb" data-testid="breadcrumb">
      <ol>
        {ancestors.map((a) => (
          <li key={a.code}>
            {hrefOf ? (
              <Link to={hrefOf(a.code)} data-testid={`crumb-${a.code}`}>
                <PlaceName name={a.name} nameEn={a.nameEn} />
              </Link>
            ) : (
              <PlaceName name={a.name} nameEn={a.nameEn} />
            )}
          </li>
        ))}
        <li aria-current="location">
          <PlaceName name={node.name} nameEn={node.nameEn} />
        </li>
      </ol>
    </nav>
  );
}

/** One jurisdiction: breadcrumb, facts and a table of its children. */
export function JurisdictionDetail({ detail, hrefOf }: { detail: Detail; hrefOf: (code: string) => string }) {
  const { t, label, formatNumber } = useI18n();
  const { node, ancestors, children } = detail;
  const parent = ancestors[ancestors.length - 1];
  return (
    <section className="panel jdetail" data-testid="jdetail" data-code={node.code}>
      {ancestors.length > 0 && <Breadcrumb ancestors={ancestors} node={node} hrefOf={hrefOf} />}
      <h2 className="jdetail-title" data-testid="jdetail-name">
        <PlaceName name={node.name} nameEn={node.nameEn} />
        <JurisdictionFlags node={node} />
      </h2>
      <dl className="facts">
        <div>
          <dt>{t('j.code')}</dt>
          <dd>
            <code className="code">{node.code}</code>
          </dd>
        </div>
        <div>
          <dt>{t('j.level')}</dt>
          <dd>{label('level', node.level)}</dd>
        </div>
        <div>
          <dt>{t('j.kind')}</dt>
          <dd>{label('kind', node.kind)}</dd>
        </div>
        <div>
          <dt>{t('j.parent')}</dt>
          <dd>{parent ? <PlaceName name={parent.name} nameEn={parent.nameEn} /> : '—'}</dd>
        </div>
        <div>
          <dt>{t('j.childCount')}</dt>
          <dd>{formatNumber(node.childCount)}</dd>
        </div>
      </dl>
      {node.special && <p className="hint">{t('j.specialHint')}</p>}
      {node.synthetic && <p className="hint">{t('j.syntheticHint')}</p>}
      <h3 className="section-title">
        {t('j.children')} <span className="muted">({formatNumber(children.length)})</span>
      </h3>
      {children.length === 0 ? (
        <p className="empty">{t('j.noChildren')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="jchildren">
            <thead>
              <tr>
                <th>{t('j.name')}</th>
                <th>{t('j.code')}</th>
                <th>{t('j.level')}</th>
                <th className="num">{t('j.childCount')}</th>
              </tr>
            </thead>
            <tbody>
              {children.map((c) => (
                <tr key={c.code} data-testid={`jchild-${c.code}`}>
                  <td>
                    <Link to={hrefOf(c.code)} className="link">
                      <PlaceName name={c.name} nameEn={c.nameEn} />
                    </Link>{' '}
                    <JurisdictionFlags node={c} />
                  </td>
                  <td>
                    <code className="code">{c.code}</code>
                  </td>
                  <td>
                    <LevelTag node={c} />
                  </td>
                  <td className="num">{formatNumber(c.childCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
