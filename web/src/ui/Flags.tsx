import type { JurisdictionNode } from '../api/types.ts';
import { useI18n } from '../i18n/index.tsx';

/** The "special zone" and "synthetic geometry (示意)" badges of a jurisdiction. */
export function JurisdictionFlags({ node }: { node: Pick<JurisdictionNode, 'special' | 'synthetic'> }) {
  const { t } = useI18n();
  return (
    <>
      {node.special && (
        <span className="badge badge-special" title={t('j.specialHint')} data-testid="badge-special">
          {t('j.special')}
        </span>
      )}
      {node.synthetic && (
        <span className="badge badge-synthetic" title={t('j.syntheticHint')} data-testid="badge-synthetic">
          {t('j.synthetic')}
        </span>
      )}
    </>
  );
}

/** Level and kind as one quiet tag (街道/镇 · 街道); `compact` shows the kind alone, the level on hover. */
export function LevelTag({ node, compact }: { node: Pick<JurisdictionNode, 'level' | 'kind'>; compact?: boolean }) {
  const { label } = useI18n();
  const level = label('level', node.level);
  const kind = label('kind', node.kind);
  const both = level === kind ? level : `${level} · ${kind}`;
  return (
    <span className="tag" title={both}>
      {compact ? kind : both}
    </span>
  );
}
