// /portal/bundles/:code — step 1 of a bundle (情形引导): a few plain questions, and as they are
// answered, which items apply and which departments handle them. Starting creates the bundle
// application and goes on to its form.
import { useEffect, useMemo, useRef, useState } from 'react';
import { getBundle, planBundle, startBundle, type Answers, type BundleDetail, type Plan } from '../../api/applications.ts';
import { Link, navigate } from '../../app/router.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote, Loading } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PageTitle } from '../shared.tsx';
import { useAppText } from './appText.ts';
import { BundlePlanPreview } from './BundlePlanPreview.tsx';
import { BundleQuestions } from './BundleQuestions.tsx';
import { BundleSteps } from './BundleSteps.tsx';

/** The plan for some answers, asked again ~300 ms after the last change; stale answers are dropped. */
export function useLivePlan(code: string, answers: Answers): { plan: Plan | null; busy: boolean; error: unknown } {
  const [plan, setPlan] = useState<Plan | null>(null);
  const [busy, setBusy] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const turn = useRef(0);
  const key = JSON.stringify(answers);
  useEffect(() => {
    const n = ++turn.current;
    setBusy(true);
    const timer = setTimeout(() => {
      planBundle(code, JSON.parse(key) as Answers).then(
        (p) => {
          if (n !== turn.current) return;
          setPlan(p);
          setError(null);
          setBusy(false);
        },
        (err) => {
          if (n !== turn.current) return;
          setError(err);
          setBusy(false);
        },
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [code, key]);
  return { plan, busy, error };
}

export function deptEnOf(bundle: BundleDetail | undefined): Record<string, string> {
  return Object.fromEntries((bundle?.items ?? []).map((i) => [i.code, i.departmentNameEn]));
}

function Wizard({ bundle }: { bundle: BundleDetail }) {
  const { t } = useI18n();
  const text = useAppText();
  const [answers, setAnswers] = useState<Answers>({});
  const live = useLivePlan(bundle.code, answers);
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);
  const deptEn = useMemo(() => deptEnOf(bundle), [bundle]);
  const open = bundle.questions.filter((q) => answers[q.id] === undefined).length;

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      const app = await startBundle(bundle.code, answers);
      navigate(`/portal/bundles/applications/${encodeURIComponent(app.id)}`);
    } catch (err) {
      setError(err);
      setStarting(false);
    }
  };

  return (
    <div className="bw-page" data-testid="bw-wizard" data-code={bundle.code}>
      <PageTitle title={text.pick(bundle.nameZh, bundle.nameEn)}>
        <Link to="/portal/bundles" className="btn btn-small">
          {t('bundle.back')}
        </Link>
      </PageTitle>
      <BundleSteps at="answers" />
      <p className="app-intro">{text.pick(bundle.summaryZh, bundle.summaryEn)}</p>
      <div className="bw-layout">
        <section className="panel">
          <h2 className="panel-title">{t('bundle.q.title')}</h2>
          <p className="hint">{t('bundle.q.intro')}</p>
          <BundleQuestions questions={bundle.questions} answers={answers} onChange={setAnswers} />
        </section>
        <section className="panel bw-side">
          <h2 className="panel-title">{t('bundle.plan.title')}</h2>
          {live.error != null ? <ErrorNote error={live.error} /> : live.plan ? <BundlePlanPreview items={live.plan.items} materials={live.plan.materials} busy={live.busy} jointInspection={bundle.jointInspection} deptEn={deptEn} /> : <Loading />}
          {error != null && <ErrorNote error={error} testId="bw-start-error" />}
          <button type="button" className="btn btn-primary btn-large btn-block" disabled={open > 0 || starting || !live.plan?.items.length} onClick={() => void start()} data-testid="bw-start">
            {starting ? t('apply.sending') : t('bundle.start')}
          </button>
          {open > 0 && <p className="hint">{t('bundle.q.open', { n: open })}</p>}
        </section>
      </div>
    </div>
  );
}

export function BundleWizard({ code }: { code: string }) {
  const state = useAsync((signal) => getBundle(code, signal), [code]);
  if (state.loading && !state.data) return <Loading />;
  if (state.error) return <ErrorNote error={state.error} onRetry={state.reload} />;
  return <Wizard key={code} bundle={state.data!} />;
}
