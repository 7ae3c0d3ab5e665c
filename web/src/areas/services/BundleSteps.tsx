// The bundle's steps: 1 情形引导, 2 填写表单, 3 上传材料, 4 办理进度. While drafting, the first three
// can be gone back to.
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

export type BundleStep = 'answers' | 'form' | 'materials' | 'progress';
const STEPS: BundleStep[] = ['answers', 'form', 'materials', 'progress'];

export function BundleSteps({ at, onPick }: { at: BundleStep; onPick?(step: BundleStep): void }) {
  const { t } = useI18n();
  const current = STEPS.indexOf(at);
  return (
    <ol className="app-steps bw-steps" data-testid="bw-steps" data-at={at}>
      {STEPS.map((s, i) => {
        const state = i < current ? 'done' : i === current ? 'current' : 'todo';
        const label = t(`bundle.step.${s}` as MessageKey);
        const pickable = onPick && s !== 'progress' && i !== current;
        return (
          <li key={s} className={`app-step ${state}`} data-state={state} aria-current={state === 'current' ? 'step' : undefined}>
            <span className="app-step-n">{i + 1}</span>
            {pickable ? (
              <button type="button" className="bw-step-btn" onClick={() => onPick(s)} data-testid={`bw-step-${s}`}>
                {label}
              </button>
            ) : (
              <span>{label}</span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
